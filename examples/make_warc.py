"""Build examples/corpus/captures/crawl-sample-2025.warc.gz from the HTML pages in examples/warc_src/.

The WARC holds one `warcinfo` record followed by two HTTP `response` records (one per page), the way a
crawler would have captured them. Record ids and dates are fixed so that re-running the script gives a
byte-identical file (gzip members carry no timestamp).

    .venv/bin/python examples/make_warc.py

The page sources live outside examples/corpus/ on purpose: everything under corpus/ is fed to newsline,
and the pages must only be read from the WARC.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
SRC = HERE / "warc_src"
OUT = HERE / "corpus" / "captures" / "crawl-sample-2025.warc.gz"

# (source file, target URI, capture date, fixed record id, Last-Modified header)
PAGES = [
    (
        "lakes-herald-washington-accords-dec2025.html",
        "https://www.lakesregionherald.com/drc/2025/12/05/tshisekedi-kagame-sign-washington-accords",
        "2025-12-05T09:12:40Z",
        "<urn:uuid:5b0c7f52-8a41-4d6e-9c1e-1f0a6c2d7e01>",
        "Fri, 05 Dec 2025 07:00:00 GMT",
    ),
    (
        "black-sea-review-istanbul-round-two-jun2025.html",
        "https://blacksea-review.net/ukraine/2025/06/03/istanbul-round-two-swap-agreed-ceasefire-rejected",
        "2025-06-03T08:47:05Z",
        "<urn:uuid:9d3e2a17-64bf-4c0b-8f5a-2b7d90e4c302>",
        "Tue, 03 Jun 2025 03:20:00 GMT",
    ),
]
INFO_ID = "<urn:uuid:0e6f8a3c-1d2b-4f5e-a7c9-3b4d5e6f7a00>"


def build(out: Path = OUT) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = writer.create_warcinfo_record(
            out.name,
            {"software": "newsline examples/make_warc.py", "format": "WARC File Format 1.0",
             "description": "Two news pages written for the newsline example corpus"},
        )
        info.rec_headers.replace_header("WARC-Record-ID", INFO_ID)
        info.rec_headers.replace_header("WARC-Date", "2025-12-05T09:12:00Z")
        writer.write_record(info)
        for name, uri, date, rec_id, last_modified in PAGES:
            body = (SRC / name).read_bytes()
            http = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
                 ("Last-Modified", last_modified), ("Server", "nginx")],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                uri, "response", payload=BytesIO(body), http_headers=http,
                warc_headers_dict={"WARC-Record-ID": rec_id, "WARC-Date": date},
            )
            writer.write_record(record)
    return out


if __name__ == "__main__":
    print(build())
