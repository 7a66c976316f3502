"""newsline: raw news pages in, a coded, deduplicated, sourced PLOVER event dataset out."""

__version__ = "0.1.0"
