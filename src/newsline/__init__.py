"""newsline: raw news pages in, a coded, deduplicated, sourced PLOVER event dataset out.

Python API (see `newsline.api`): `newsline.run(paths, db=..., workers=...)`, `newsline.clean(path_or_text)`,
`newsline.open_store(db)`, `newsline.extract(text, published=None)` (event mentions of one text, as dicts).
"""

from __future__ import annotations

import types
from typing import Any

__version__ = "0.1.0"
__all__ = ["run", "clean", "extract", "open_store", "__version__"]


class _CallableCleanPackage(types.ModuleType):
    """`newsline.clean` is both the clean stage package and the API function `newsline.clean(...)`.

    Python binds a subpackage as an attribute of its parent on import, which would shadow a function of
    the same name; making the package callable keeps both `newsline.clean("page.html")` and
    `newsline.clean.clean_document` working.
    """

    def __call__(self, path_or_text: Any, **kwargs: Any) -> Any:
        from newsline.api import clean

        return clean(path_or_text, **kwargs)


def __getattr__(name: str) -> Any:
    # run / open_store load the pipeline and DuckDB only when used, and the clean package (trafilatura,
    # fastText, ftfy) when first touched (it makes itself callable as it loads): `import newsline.records`
    # stays light, and stage packages importing records do not import the pipeline (which imports them)
    if name == "clean":
        import importlib

        return importlib.import_module("newsline.clean")
    if name in ("run", "open_store"):
        from newsline import api

        return getattr(api, name)
    if name == "extract":  # loads spaCy on first call, not on import
        from newsline.code import extract

        return extract
    raise AttributeError(f"module 'newsline' has no attribute {name!r}")
