"""A hostile corpus (issue 13): every input is generated here, run one by one and all in one run, with a
deadline. No crash, no hang; every bad document is stored as failed with a reason, every good one is stored.

Each case writes its files into its own folder `<case>/` of an input root, so file ids are `<case>/<name>`;
JSONL records carry their case in their own id. `expect` maps every document id the case must produce to
None (stored as an article) or a fragment of its failure reason; a case that must produce no document (a
WARC of request records only) expects {}.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import random
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import newsline
from newsline.cli import app

RUNNING_AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
MAX_BYTES = 6_000_000
SENTENCE = ("Officials in Islamabad said on Monday that a delegation of tribal elders had travelled to Kabul for "
            "talks with the banned Tehrik-i-Taliban Pakistan, mediated by the Afghan Taliban.")
BODY = (f"Talks resume in Kabul\n{SENTENCE}\nThe talks focused on the release of prisoners held by both sides, "
        "a spokesman for the delegation said in a statement on Tuesday.\n")
HTML = (f"<!doctype html><html><head><title>Talks resume in Kabul</title></head><body><nav>Home | World</nav>"
        f"<article><h1>Talks resume in Kabul</h1><p>{SENTENCE}</p><p>The talks focused on the release of "
        "prisoners held by both sides, a spokesman said in a statement on Tuesday.</p></article></body></html>")
OK = None
# incompressible text: a gzip cut in it is cut after the lines before it
LETTERS = bytes(random.Random(0).choices(b"abcdefghijklmnopqrstuvwxyz", k=3000))


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], None]
    expect: dict[str, str | None]
    needs: str = ""  # "unprivileged" or "fifo": skipped where it cannot mean anything


# --------------------------------------------------------------------------- writers
def text(name: str, content: str | bytes) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        data = content.encode() if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return make


def jsonl(name: str, *records: dict | str) -> Callable[[Path], None]:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    return text(name, "\n".join(lines) + "\n")


def rand(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def warc(name: str, records: list[tuple[str, str, str, bytes]], cut: int = 0) -> Callable[[Path], None]:
    """records: (type, url, content type, payload); `cut` bytes removed from the end (a truncated archive)."""
    def make(folder: Path) -> None:
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=name.endswith(".gz"))
        for rec_type, url, ctype, payload in records:
            http = {"response": StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1"),
                    "request": StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True)}.get(rec_type)
            rec = writer.create_warc_record(url, rec_type, payload=io.BytesIO(payload), http_headers=http,
                                            warc_content_type=None if http else ctype)
            writer.write_record(rec)
        data = buf.getvalue()
        (folder / name).write_bytes(data[:len(data) - cut])
    return make


def symlink(name: str, target: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).symlink_to(target)


def fifo(name: str) -> Callable[[Path], None]:
    return lambda folder: os.mkfifo(folder / name)


def unreadable_file(folder: Path) -> None:
    (folder / "secret.txt").write_text(BODY)
    (folder / "secret.txt").chmod(0)


def unreadable_folder(folder: Path) -> None:
    (folder / "locked").mkdir()
    (folder / "locked" / "inside.txt").write_text(BODY)
    (folder / "locked").chmod(0)


def raw_name(name: bytes, content: str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
            fh.write(content.encode())
    return make


def several(*makers: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        for m in makers:
            m(folder)
    return make


def numbered(n: int) -> str:
    return " ".join(SENTENCE.replace("elders", f"elders ({i})") for i in range(n))


def good(case_id: str, **extra) -> dict:
    return {"id": case_id, "text": BODY, **extra}


# --------------------------------------------------------------------------- the corpus
CASES = [
    Case("good-text", text("a.txt", BODY), {"good-text/a": OK}),
    Case("good-html", text("a.html", HTML), {"good-html/a": OK}),
    Case("random-binary", text("r.txt", rand(5000, 1)), {"random-binary/r": "not a text document"}),
    Case("random-noext", text("r", rand(5000, 2)), {"random-noext/r": "not a text document"}),
    Case("random-html", text("r.html", rand(3000, 3)), {"random-html/r": "not a text document"}),
    Case("empty", text("e.txt", b""), {"empty/e": "empty document"}),
    Case("blank", text("b.txt", " \n\t\n  \n"), {"blank/b": "empty document"}),
    Case("empty-gz", text("e.txt.gz", b""), {"empty-gz/e": "empty document"}),
    Case("gz-of-nothing", text("n.txt.gz", gzip.compress(b"")), {"gz-of-nothing/n": "empty document"}),
    Case("truncated-gz", text("t.txt.gz", gzip.compress(BODY.encode() * 50)[:120]),
         {"truncated-gz/t": "truncated gzip"}),
    Case("corrupt-gz", text("c.txt.gz", b"\x1f\x8b\x08\x00" + rand(400, 4)), {"corrupt-gz/c": "gzip"}),
    Case("gzip-bomb", text("bomb.txt.gz", gzip.compress(b"a" * 20_000_000)),
         {"gzip-bomb/bomb": "document too large (over the 6.0 MB limit)"}),
    Case("too-large", text("big.txt", b"word " * 1_400_000), {"too-large/big": "document too large (7.0 MB"}),
    Case("pdf", text("p.pdf", b"%PDF-1.7\n" + rand(2000, 5)), {"pdf/p": "PDF document"}),
    Case("png-as-text", text("i.txt", b"\x89PNG\r\n\x1a\n" + rand(2000, 6)), {"png-as-text/i": "PNG image"}),
    Case("nul-bytes", text("n.txt", BODY.replace(" ", "\x00 ")), {"nul-bytes/n": "binary content"}),
    Case("control-chars", text("c.txt", "\x01\x02\x03\x04" * 500), {"control-chars/c": "binary content"}),
    Case("one-line-5mb", text("line.txt", numbered(int(5e6 / len(SENTENCE)))), {"one-line-5mb/line": OK}),
    Case("many-lines", text("lines.txt", "".join(f"item {i}\n" for i in range(200_000))),
         {"many-lines/lines": "no article text left after cleaning"}),
    Case("no-spaces", text("x.txt", "x" * 1_000_000), {"no-spaces/x": "no article text left after cleaning"}),
    Case("utf16-bom", text("u.txt", ("\ufeff" + BODY).encode("utf-16-le")), {"utf16-bom/u": OK}),
    Case("utf16-no-bom", text("u.txt", BODY.encode("utf-16-le")), {"utf16-no-bom/u": OK}),
    Case("utf16be-bom", text("u.txt", BODY.encode("utf-16")), {"utf16be-bom/u": OK}),
    Case("utf32-bom", text("u.txt", BODY.encode("utf-32")), {"utf32-bom/u": OK}),
    Case("utf8-bom", text("u.txt", BODY.encode("utf-8-sig")), {"utf8-bom/u": OK}),
    Case("cp1252", text("w.txt", BODY.replace("spokesman", "spokesman’s “aide” – café").encode("cp1252")),
         {"cp1252/w": OK}),
    Case("invalid-utf8", text("b.txt", BODY.encode() + b"\xff\xfe\xc3 broken \x80 bytes.\n"), {"invalid-utf8/b": OK}),
    Case("mojibake", text("m.txt", BODY.replace("spokesman", "spokesman’s").encode().decode("cp1252")),
         {"mojibake/m": OK}),
    Case("rtl-marks", text("r.txt", BODY.replace(" ", " \u200f\u202e", 5) + "\u202c\u200e"), {"rtl-marks/r": OK}),
    Case("zero-width", text("z.txt", BODY.replace("a", "a\u200b")), {"zero-width/z": OK}),
    Case("cr-only", text("cr.txt", BODY.replace("\n", "\r")), {"cr-only/cr": OK}),
    Case("chrome-only-text", text("c.txt", "Home | World | Sport\nRead More\nSubscribe to our newsletter\n"
                                           "© 2024 Example Media. All rights reserved.\n"),
         {"chrome-only-text/c": "no article text left after cleaning"}),
    Case("chrome-only-html", text("c.html", "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
                                            "<footer>© 2024 Example Media</footer></body></html>"),
         {"chrome-only-html/c": "without extractable main text"}),
    Case("html-no-body", text("h.html", "<html><head><title>Only a title</title></head></html>"),
         {"html-no-body/h": "without extractable main text"}),
    Case("html-script-only", text("s.html", "<html><body><script>" + "var a = 1;" * 500 + "</script></body></html>"),
         {"html-script-only/s": "without extractable main text"}),
    Case("html-unclosed-comment", text("u.html", "<html><body><!-- " + SENTENCE), {"html-unclosed-comment/u": "main text"}),
    Case("html-div-only", text("d.html", f"<html><body><div>{SENTENCE}</div></body></html>"), {"html-div-only/d": OK}),
    Case("html-100k-deep", text("d.html", "<html><body>" + "<div>" * 100_000 + SENTENCE + "</div>" * 100_000),
         {"html-100k-deep/d": OK}),
    Case("html-1m-tags", text("t.html", "<html><body>" + "<b>x</b>" * 700_000 + "</body></html>"),
         {"html-1m-tags/t": "HTML page too large to parse"}),
    Case("html-latin1", text("l.html", f'<html><head><meta charset="iso-8859-1"></head><body><article><p>'
                                       f'{SENTENCE} Café.</p><p>{SENTENCE}</p></article></body></html>'
                             .encode("latin-1")), {"html-latin1/l": OK}),
    Case("name-with-spaces", text("a name with spaces.txt", BODY), {"name-with-spaces/a name with spaces": OK}),
    Case("name-with-newline", text("two\nlines.txt", BODY), {"name-with-newline/two\nlines": OK}),
    Case("name-not-utf8", raw_name(b"bad\xff\xfename.txt", BODY), {"name-not-utf8/bad\\xff\\xfename": OK}),
    Case("name-with-markup", text("[bold]x[red].txt", BODY), {"name-with-markup/[bold]x[red]": OK}),
    Case("name-long", text("n" * 250 + ".txt", BODY), {"name-long/" + "n" * 250: OK}),
    Case("hidden-files", several(text(".hidden.txt", BODY), text("seen.txt", BODY)), {"hidden-files/seen": OK}),
    Case("symlink-loop", several(symlink("l1.txt", "l2.txt"), symlink("l2.txt", "l1.txt")),
         {"symlink-loop/l1": "symbolic links", "symlink-loop/l2": "symbolic links"}),
    Case("symlink-dangling", symlink("gone.txt", "/nonexistent/file.txt"),
         {"symlink-dangling/gone": "no such file"}),
    Case("symlink-folder", several(symlink("up", ".."), text("a.txt", BODY)), {"symlink-folder/a": OK}),
    Case("dev-zero", symlink("zero.txt", "/dev/zero"), {"dev-zero/zero": "not a regular file (character device)"}),
    Case("dev-null", symlink("null.txt", "/dev/null"), {"dev-null/null": "not a regular file (character device)"}),
    Case("fifo", fifo("pipe.txt"), {"fifo/pipe": "not a regular file (named pipe)"}, needs="fifo"),
    Case("unreadable-file", unreadable_file, {"unreadable-file/secret": "permission denied"}, needs="unprivileged"),
    Case("unreadable-folder", unreadable_folder, {"unreadable-folder/locked": "unreadable folder"},
         needs="unprivileged"),
    Case("jsonl-deep", jsonl("d.jsonl", "[" * 1000 + "]" * 1000, good("deep-ok")),
         {"jsonl-deep/d#1": "nested too deeply", "deep-ok": OK}),
    Case("jsonl-deep-field", jsonl("d.jsonl", json.dumps(good("deepfield"))[:-1] + ', "title": '
                                   + "[" * 3000 + "]" * 3000 + "}"), {"jsonl-deep-field/d#1": "nested too deeply"}),
    Case("jsonl-nested-title", jsonl("d.jsonl", good("nested-title", title=[[["t"]]])), {"nested-title": OK}),
    Case("jsonl-bad-published", jsonl("p.jsonl", *(good(f"pub-{i}", published=v) for i, v in enumerate(
        [20210101, [2021, 1], float("nan"), "not a date", "2021-13-45", {"y": 2021}]))),
         {f"pub-{i}": OK for i in range(6)}),
    Case("jsonl-bad-ids", jsonl("i.jsonl", {"id": ["a", "list"], "text": BODY}, {"id": {"k": 1}, "text": BODY},
                                {"id": True, "text": BODY}, {"id": 1.5, "text": BODY}, {"id": 4242, "text": BODY}),
         {"jsonl-bad-ids/i#1": "bad 'id'", "jsonl-bad-ids/i#2": "bad 'id'", "jsonl-bad-ids/i#3": "bad 'id'",
          "jsonl-bad-ids/i#4": "bad 'id'", "4242": OK}),
    Case("jsonl-surrogates", jsonl("s.jsonl", '{"id": "sur\\udc80", "title": "T\\ud800", "text": "'
                                   + SENTENCE + ' \\udcff"}'), {"sur\\x80": OK}),
    Case("jsonl-markup-id", jsonl("m.jsonl", {"id": "x[/]y", "text": ""}, good("[bold]z")),
         {"x[/]y": "empty document", "[bold]z": OK}),
    Case("jsonl-duplicate-ids", several(jsonl("one.jsonl", good("dup")), jsonl("two.jsonl", good("dup", url="u2"))),
         {"dup": OK, "jsonl-duplicate-ids/two/dup": OK}),
    Case("jsonl-utf16", text("w.jsonl", (json.dumps(good("wide-1")) + "\r\n" + json.dumps(good("wide-2")) + "\r\n")
                             .encode("utf-16")), {"wide-1": OK, "wide-2": OK}),
    Case("jsonl-utf8-bom", text("b.jsonl", (json.dumps(good("bom-1")) + "\n").encode("utf-8-sig")), {"bom-1": OK}),
    Case("jsonl-malformed", jsonl("m.jsonl", '{"id": "broken", "text": ', "not json at all", good("after-broken")),
         {"jsonl-malformed/m#1": "malformed JSONL line 1", "jsonl-malformed/m#2": "malformed JSONL line 2",
          "after-broken": OK}),
    Case("jsonl-field-types", jsonl("t.jsonl", {"id": "no-text"}, {"id": "num-text", "text": 5},
                                    {"id": "html-rec", "html": HTML}),
         {"no-text": "neither a 'text' nor an 'html'", "num-text": "'text' is not a string", "html-rec": OK}),
    Case("jsonl-snippets", jsonl("s.jsonl", {"id": "snip-1", "text": "Police fired tear gas at farmers who "
                                             "blocked the highway near the capital on"},
                                 {"id": "snip-2", "text": "Farmers block highway\nTroops were deployed to the "
                                                          "border region after clashes between"}),
         {"snip-1": OK, "snip-2": OK}),
    Case("jsonl-gz-truncated", text("t.jsonl.gz", gzip.compress((json.dumps(good("gz-1")) + "\n").encode()
                                                                + LETTERS)[:-30]),
         {"gz-1": OK, "jsonl-gz-truncated/t#2": "truncated gzip"}),
    Case("warc-good", warc("g.warc.gz", [("response", "https://example.com/a", "text/html", HTML.encode())]),
         {}),  # WARC ids hold a random record id: checked by count below
    Case("warc-non-http", warc("n.warc", [("warcinfo", "", "application/warc-fields", b"software: test\r\n"),
                                          ("metadata", "https://e.com/", "application/json", b"{}"),
                                          ("request", "https://e.com/", "application/http", b"")]), {}),
    Case("warc-truncated", warc("t.warc.gz", [("response", "https://e.com/a", "text/html", HTML.encode()) for _ in
                                              range(2)], cut=40), {}),
    Case("warc-garbage", text("g.warc", b"WARC/1.0\r\nWARC-Type: response\r\n" + rand(500, 7)), {}),
]
# WARC record ids are random: those cases are checked on what they produce (documents and failures)
WARC_EXPECT = {"warc-good": (1, 0), "warc-non-http": (0, 0), "warc-truncated": (1, 1), "warc-garbage": (0, 1)}


def runnable(case: Case) -> bool:
    if case.needs == "unprivileged":
        return not RUNNING_AS_ROOT  # root reads a chmod 000 file anyway
    if case.needs == "fifo":
        return hasattr(os, "mkfifo")
    return True


ACTIVE = [c for c in CASES if runnable(c)]


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 60 and len({c.name for c in CASES}) == len(CASES)


# --------------------------------------------------------------------------- running
@contextlib.contextmanager
def deadline(seconds: int):
    """A hang fails the test instead of blocking the suite (SIGALRM interrupts a blocking open or read)."""
    def on_alarm(signum, frame):
        raise TimeoutError(f"hung for more than {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def build(root: Path, cases: list[Case]) -> Path:
    for case in cases:
        folder = root / case.name
        folder.mkdir(parents=True)
        case.make(folder)
    return root


def stored(db: Path) -> dict[str, str | None]:
    with newsline.open_store(db, read_only=True) as store:
        return {a.id: a.error for a in store.iter_articles(include_failed=True)}


def check(case: Case, articles: dict[str, str | None]) -> None:
    if case.name in WARC_EXPECT:
        mine = {i: e for i, e in articles.items() if i.startswith(f"{case.name}/")}
        ok, bad = WARC_EXPECT[case.name]
        assert (sum(e is None for e in mine.values()), sum(e is not None for e in mine.values())) == (ok, bad), mine
        assert all(e.startswith(("truncated WARC", "malformed WARC")) for e in mine.values() if e)
        return
    for doc_id, reason in case.expect.items():
        assert doc_id in articles, f"{case.name}: {doc_id!r} was lost"
        if reason is OK:
            assert articles[doc_id] is None, f"{case.name}: {doc_id!r} failed: {articles[doc_id]}"
        else:
            assert articles[doc_id] and reason in articles[doc_id], f"{case.name}: {doc_id!r}: {articles[doc_id]}"


def expected_ids() -> set[str]:
    return {i for c in ACTIVE for i in c.expect}


@pytest.fixture(autouse=True)
def _restore_permissions(tmp_path):
    yield
    for path in tmp_path.rglob("*"):  # chmod 000 folders would stop tmp_path's cleanup
        if not path.is_symlink() and path.is_dir():
            path.chmod(0o755)


@pytest.mark.parametrize("case", ACTIVE, ids=lambda c: c.name)
def test_each_hostile_input_alone(tmp_path, case):
    root = build(tmp_path / "in", [case])
    with deadline(90):
        summary = newsline.run([root], db=tmp_path / "t.duckdb", max_bytes=MAX_BYTES)
    articles = stored(tmp_path / "t.duckdb")
    check(case, articles)
    if case.name not in WARC_EXPECT:
        assert set(articles) == set(case.expect), "documents appeared that the case does not expect"
        assert summary.failed == sum(r is not None for r in case.expect.values())


def test_all_hostile_inputs_in_one_command_line_run_then_again_through_the_api(tmp_path):
    root = build(tmp_path / "in", ACTIVE)
    db = tmp_path / "t.duckdb"
    with deadline(150):
        result = CliRunner().invoke(app, ["run", str(root), "--db", str(db), "--max-bytes", str(MAX_BYTES),
                                          "--workers", "1"])
    assert result.exit_code == 0, result.output
    articles = stored(db)
    for case in ACTIVE:
        check(case, articles)
    warc_ids = {i for i in articles if i.split("/")[0] in WARC_EXPECT}
    assert set(articles) == expected_ids() | warc_ids
    for doc_id, error in articles.items():  # ids and reasons are valid text for every export
        doc_id.encode("utf-8")
        (error or "").encode("utf-8")
    with deadline(90):  # the same corpus again: the same ids, nothing new
        summary = newsline.run([root], db=db, max_bytes=MAX_BYTES)
    assert summary.new == 0 and stored(db) == articles


def test_a_jsonl_published_value_that_is_not_a_date_is_recorded_on_the_article(tmp_path):
    (tmp_path / "p.jsonl").write_text(json.dumps(good("p", published="2021-13-45")) + "\n")
    newsline.run([tmp_path / "p.jsonl"], db=tmp_path / "t.duckdb")
    with newsline.open_store(tmp_path / "t.duckdb", read_only=True) as store:
        [article] = list(store.iter_articles(include_failed=True))
    assert article.error is None and article.published is None
    assert [(d.line_no, d.text, d.reason) for d in article.dropped_lines if d.line_no == 0] == [
        (0, "published: '2021-13-45'", "input field dropped: not a valid date (month must be in 1..12)")]


if __name__ == "__main__":  # pragma: no cover - run the suite alone
    sys.exit(pytest.main([__file__, "-q"]))
