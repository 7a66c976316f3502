"""Readers: ids, formats, content types, hashes, laziness. Inputs are built in tmp_path."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsline.ingest import iter_documents, iter_sources, read_source, split_name


def article_text(i: int) -> str:
    """A short news page as scraped text: navigation, an ad marker, the article, a link line."""
    return (
        "Home | World | Pakistan | Sport\n"
        "ADVERTISEMENT\n"
        f"Talks between Pakistan and the TTP resume in Kabul, round {i}\n"
        "Islamabad officials said on Monday that a delegation of tribal elders had travelled to Kabul for a "
        "new round of talks with the banned Tehrik-i-Taliban Pakistan, mediated by the Afghan Taliban.\n"
        f"The talks, round number {i} since the ceasefire announced in November, focused on the return of "
        "militants to the former tribal districts and the release of prisoners held by both sides.\n"
        "Read More: Peshawar police lines blast toll rises\n"
    )


def article_html(i: int) -> str:
    return (
        "<!doctype html><html><head><title>Talks resume in Kabul</title>"
        '<meta property="article:published_time" content="2022-06-03"></head><body>'
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>Talks resume in Kabul</h1>"
        f"<p>{article_text(i).splitlines()[3]}</p><p>{article_text(i).splitlines()[4]}</p></article>"
        "<footer>Copyright 2022 The Daily Example</footer></body></html>"
    )


def write_warc(path: Path, pages: list[tuple[str, str, str]], gz: bool) -> None:
    """pages: (url, content type, body). A request record precedes each response, as crawlers write."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for url, ctype, body in pages:
            req = writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                            http_headers=StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True))
            writer.write_record(req)
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode("utf-8")),
                                            http_headers=headers)
            writer.write_record(rec)


def docs(*paths, **kw):
    return list(iter_documents([str(p) for p in paths], **kw))


# --------------------------------------------------------------------------- files and folders
def test_single_files_have_their_stem_as_id(tmp_path):
    (tmp_path / "000_7c77191cb645d341.txt").write_text(article_text(1))
    (tmp_path / "page.html").write_text(article_html(2))
    [txt] = docs(tmp_path / "000_7c77191cb645d341.txt")
    [html] = docs(tmp_path / "page.html")
    assert (txt.id, txt.content_type, txt.uri) == ("000_7c77191cb645d341", "text",
                                                   (tmp_path / "000_7c77191cb645d341.txt").as_posix())
    assert (html.id, html.content_type) == ("page", "html")
    assert txt.content == article_text(1).encode()
    assert txt.content_hash == hashlib.sha256(txt.content).hexdigest()
    assert txt.error is None


def test_folders_are_recursive_sorted_with_relative_ids(tmp_path):
    for rel in ["b.txt", "a.txt", "sub/z.htm", "sub/deeper/c.txt.gz", ".hidden.txt", ".git/x.txt"]:
        p = tmp_path / "corpus" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        data = article_text(len(rel)).encode()
        p.write_bytes(gzip.compress(data) if rel.endswith(".gz") else data)
    ids = [d.id for d in docs(tmp_path / "corpus")]
    assert ids == ["a", "b", "sub/deeper/c", "sub/z"]
    assert ids == [d.id for d in docs(tmp_path / "corpus")]  # deterministic


def test_same_stem_in_one_folder_keeps_extensions(tmp_path):
    (tmp_path / "a.txt").write_text(article_text(1))
    (tmp_path / "a.html").write_text(article_html(1))
    assert [d.id for d in docs(tmp_path)] == ["a.html", "a.txt"]


def test_split_name():
    assert split_name("a.txt.gz") == ("a", "text")
    assert split_name("crawl.warc.gz") == ("crawl", "warc")
    assert split_name("x.JSONL") == ("x", "jsonl")
    assert split_name("notes") == ("notes", None)
    assert split_name("report.2023.pdf") == ("report.2023", None)


def test_gzip_files_are_decompressed(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(article_text(1).encode()))
    [doc] = docs(tmp_path / "a.txt.gz")
    assert doc.id == "a" and doc.content == article_text(1).encode() and doc.content_type == "text"
    assert doc.content_hash == hashlib.sha256(doc.content).hexdigest()  # hash of the content, not the gzip


def test_unknown_extension_is_sniffed_not_refused(tmp_path):
    (tmp_path / "story.php").write_text(article_html(1))
    (tmp_path / "dump.data").write_text(json.dumps({"id": "x1", "text": article_text(1)}) + "\n")
    [page] = docs(tmp_path / "story.php")
    assert page.error is None and page.content_type == "unknown"  # the cleaner tells HTML from text
    [line] = docs(tmp_path / "dump.data")
    assert line.id == "x1" and line.content_type == "text"


# --------------------------------------------------------------------------- JSONL
def test_jsonl_fields_ids_and_meta(tmp_path):
    lines = [
        {"id": "a1", "text": article_text(1), "url": "https://example.com/a1", "published": "2022-06-03",
         "title": "Talks resume"},
        {"html": article_html(2)},
        {"id": 7, "text": article_text(3), "extra": "ignored"},
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n")
    a, b, c = docs(path)
    assert (a.id, a.uri, a.content_type) == ("a1", "https://example.com/a1", "text")
    assert a.meta == {"url": "https://example.com/a1", "published": "2022-06-03", "title": "Talks resume",
                      "format": "jsonl"}
    assert a.content == article_text(1).encode()
    assert (b.id, b.content_type, b.uri) == ("dump#2", "html", f"{path.as_posix()}#2")
    assert c.id == "7" and c.meta == {"format": "jsonl"}


def test_jsonl_gz(tmp_path):
    data = "".join(json.dumps({"id": f"d{i}", "text": article_text(i)}) + "\n" for i in range(3))
    (tmp_path / "d.jsonl.gz").write_bytes(gzip.compress(data.encode()))
    assert [d.id for d in docs(tmp_path / "d.jsonl.gz")] == ["d0", "d1", "d2"]


def test_jsonl_field_problems_are_failed_documents(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "ok", "text": "fine"}\n[1, 2]\n{"id": "n"}\n{"id": "t", "text": 5}\n')
    ok, arr, missing, wrong = docs(path)
    assert ok.error is None
    assert arr.error == "malformed JSONL line 2: expected an object, got list"
    assert missing.id == "n" and "neither a 'text' nor an 'html' field" in missing.error
    assert "'text' is not a string" in wrong.error


def test_jsonl_is_read_lazily(monkeypatch):
    """The first document comes out before the rest of the stream is read (a 10 GB dump streams)."""

    class Stream:
        def __init__(self):
            self.data = (json.dumps({"id": "first", "text": article_text(1)}) + "\n").encode()

        def read1(self, n=-1):
            if not self.data:
                raise AssertionError("reader read past the first line before yielding it")
            out, self.data = self.data[:n], self.data[n:]
            return out

        read = read1

    monkeypatch.setattr(sys, "stdin", type("Stdin", (), {"buffer": Stream()})())
    first = next(iter_documents(["-"]))
    assert first.id == "first"


# --------------------------------------------------------------------------- WARC
@pytest.mark.parametrize("gz", [False, True])
def test_warc_response_records(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(path, [
        ("https://example.com/a", "text/html; charset=utf-8", article_html(1)),
        ("https://example.com/logo.png", "image/png", "PNG"),
        ("https://example.com/b.txt", "text/plain", article_text(2)),
    ], gz=gz)
    a, b = docs(path)
    assert a.uri == "https://example.com/a" and a.content_type == "html" and a.meta["url"] == a.uri
    assert b.uri == "https://example.com/b.txt" and b.content_type == "text"
    assert a.id.startswith("crawl#") and len(a.id) > len("crawl#") and a.id != b.id
    assert a.fetched_at and a.fetched_at[:4].isdigit()
    assert b.content == article_text(2).encode()
    assert a.content_hash == hashlib.sha256(a.content).hexdigest()


# --------------------------------------------------------------------------- stdin
class _Stdin:
    def __init__(self, data: bytes):
        self.buffer = io.BufferedReader(io.BytesIO(data))


def test_stdin_single_document_and_jsonl(monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Stdin(article_text(1).encode()))
    [doc] = docs("-")
    assert doc.id.startswith("stdin-") and doc.uri == "stdin" and doc.error is None
    lines = "".join(json.dumps({"text": article_text(i)}) + "\n" for i in range(2)).encode()
    monkeypatch.setattr(sys, "stdin", _Stdin(gzip.compress(lines)))
    assert [d.id for d in docs("-")] == ["stdin#1", "stdin#2"]


def test_sources_of_missing_path_fail_on_read(tmp_path):
    [src] = iter_sources([tmp_path / "missing.txt"])
    [doc] = read_source(src)
    assert doc.id == "missing" and doc.error == "unreadable file: no such file or directory"
    assert doc.content_hash == ""  # nothing was read: retried on the next run


# --------------------------------------------------------------------------- hostile input (issue 13)
def test_deeply_nested_json_fails_its_line_not_the_run(tmp_path):
    path = tmp_path / "deep.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    in_field = json.dumps({"id": "t", "text": "x"})[:-1] + ', "title": ' + "[" * 5000 + "]" * 5000 + "}"
    ok = json.dumps({"id": "ok", "text": article_text(1)})
    path.write_text("\n".join([deep, in_field, ok]) + "\n")
    a, b, c = docs(path)
    assert (a.id, a.error) == ("deep#1", "malformed JSONL line 1: JSON nested too deeply")
    assert (b.id, b.error) == ("deep#2", "malformed JSONL line 2: JSON nested too deeply")
    assert (c.id, c.error) == ("ok", None)


def test_nested_field_values_are_dropped_with_a_reason(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "x", "title": [[["t"]]], "url": {"u": 1}}) + "\n")
    [doc] = docs(path)
    assert doc.error is None and "title" not in doc.meta and "url" not in doc.meta
    assert doc.meta["dropped_fields"] == [
        {"field": "url", "value": "<dict>", "reason": "not a string (dict)"},
        {"field": "title", "value": "<list>", "reason": "not a string (list)"}]


def test_file_names_that_are_not_utf8_give_valid_ids(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"bad\xff name.txt"), "wb") as fh:
        fh.write(article_text(1).encode())
    [doc] = docs(tmp_path)
    assert doc.id == "bad\\xff name" and doc.error is None
    doc.id.encode("utf-8")
    doc.uri.encode("utf-8")
    assert [d.id for d in docs(tmp_path)] == [doc.id]  # the same id on every run


def test_lone_surrogates_in_jsonl_become_valid_text(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "a\\udc80", "title": "T\\ud800", "text": "body \\udcff here"}\n')
    [doc] = docs(path)
    assert (doc.id, doc.meta["title"]) == ("a\\x80", "T\\ud800")
    doc.content.decode("utf-8")


@pytest.mark.parametrize("value, reason", [
    (20210101, "not a date string (int)"),
    ([2021, 1], "not a date string (list)"),
    (float("nan"), "not a date string (NaN)"),
    ("not a date", "not a date (expected ISO 8601 such as 2021-06-03)"),
    ("2021-13-45", "not a valid date (month must be in 1..12)"),
    ("20210101", "not a date (expected ISO 8601 such as 2021-06-03)"),
])
def test_bad_published_values_are_dropped_with_a_warning(tmp_path, caplog, value, reason):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "x", "published": value}) + "\n")
    with caplog.at_level("INFO"):
        [doc] = docs(path)
    assert doc.error is None and "published" not in doc.meta
    assert doc.meta["dropped_fields"][0]["reason"] == reason
    assert "Traceback" not in caplog.text and "input field 'published' dropped" in caplog.text


@pytest.mark.parametrize("value", ["2021", "2021-06", "2021-06-03", "2021-06-03T10:00:00Z", "2021-06-03 10:00 +05:00",
                                   "Thu, 03 Jun 2021 10:00:00 GMT"])
def test_good_published_values_are_kept(tmp_path, value):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "x", "published": value}) + "\n")
    [doc] = docs(path)
    assert doc.meta["published"] == value and "dropped_fields" not in doc.meta


@pytest.mark.parametrize("value, shown", [(["a", "list"], "<list>"), ({"k": 1}, "<dict>"), (True, "True"),
                                          (1.5, "1.5")])
def test_ids_that_are_not_strings_or_integers_fail_their_line(tmp_path, value, shown):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": value, "text": "x"}) + "\n" + json.dumps({"id": 7, "text": "y"}) + "\n")
    bad, good = docs(path)
    assert (bad.id, bad.error) == ("d#1", f"JSONL line 1: bad 'id': must be a string or an integer, got {shown}")
    assert (good.id, good.error) == ("7", None)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-32", "utf-8-sig"])
def test_utf16_and_utf32_jsonl_is_decoded_without_phantom_lines(tmp_path, codec):
    path = tmp_path / "wide.jsonl"
    lines = "".join(json.dumps({"id": f"d{i}", "text": f"Café talks {i}"}, ensure_ascii=False) + "\r\n"
                    for i in range(3))
    path.write_bytes(lines.encode(codec))
    got = docs(path)
    assert [(d.id, d.error, d.content) for d in got] == [
        (f"d{i}", None, f"Café talks {i}".encode()) for i in range(3)]


def test_duplicate_jsonl_ids_across_files_are_both_kept_stably(tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.jsonl").write_text(
            json.dumps({"id": "x", "text": f"from {name}"}) + "\n" + json.dumps({"id": "x", "text": "again"}) + "\n")
    first = [(d.id, d.content) for d in docs(tmp_path)]
    assert first == [("x", b"from a"), ("a/x", b"again"), ("b/x", b"from b"), ("b/x#2", b"again")]
    assert first == [(d.id, d.content) for d in docs(tmp_path)]  # a re-run gives the same ids


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_only_regular_files_are_opened(tmp_path):
    """A FIFO would block on open and /dev/zero never ends: both fail at once, as does a symlink loop."""
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "loop1.txt").symlink_to(tmp_path / "loop2.txt")
    (tmp_path / "loop2.txt").symlink_to(tmp_path / "loop1.txt")
    (tmp_path / "ok.txt").write_text(article_text(1))
    got = {d.id: d.error for d in docs(tmp_path)}
    assert got == {"loop1": "unreadable file: Too many levels of symbolic links",
                   "loop2": "unreadable file: Too many levels of symbolic links",
                   "ok": None, "pipe": "not a regular file (named pipe)",
                   "zero": "not a regular file (character device)"}


def test_reading_stops_at_the_limit(monkeypatch):
    """An endless stream (stdin from /dev/zero, a gzip bomb) is read up to the limit, no further."""
    class Endless:
        read_bytes = 0

        def read(self, n=-1):
            Endless.read_bytes += n
            return b"a" * n

        read1 = read

    monkeypatch.setattr(sys, "stdin", type("Stdin", (), {"buffer": Endless()})())
    [doc] = docs("-", max_bytes=3_000_000)
    assert doc.error == "document too large (over the 3.0 MB limit)"
    assert Endless.read_bytes < 3_000_000 + 2 * (1 << 20)


def test_unreadable_files_and_folders_fail_with_a_reason(tmp_path, monkeypatch):
    """What chmod 000 does to a user without root, simulated so that it is tested under root too."""
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "inside.txt").write_text(article_text(1))
    (tmp_path / "secret.txt").write_text(article_text(2))
    (tmp_path / "ok.txt").write_text(article_text(3))
    real_scandir, real_open = os.scandir, os.open

    def scandir(path):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    def os_open(path, flags, *args):
        if os.fspath(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "open", os_open)
    got = {d.id: d.error for d in docs(tmp_path)}
    assert got == {"locked": "unreadable folder: permission denied",
                   "ok": None, "secret": "unreadable file: permission denied"}
