"""WARC and gzip test files, written with warcio and gzip (nothing fetched). Used by the
reader tests and the flow tests."""

from __future__ import annotations

import gzip
import io

PAGE = """<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>{title}</h1>
<p>{lede}</p><p>"We will keep the harbour open for every fishing boat that needs it," said {person}.</p>
<p>The work is expected to last until the end of the summer, the port's owners said.</p></article>
<footer>Contact us</footer></body></html>"""


def page(i: int) -> str:
    return PAGE.format(title=f"Harbour wall repairs begin in town {i}",
                       lede=f"Repairs to the harbour wall of town {i} began on Monday after storms damaged "
                            f"{20 + i} metres of the old stone pier last winter.",
                       person=f"harbour master number {i}")


def warc(pages: list[tuple[str, str]], *, image: bool = True, gzipped: bool = False) -> bytes:
    """A crawl: a warcinfo record, then per page a request and an HTML response; plus a PNG
    response when image is set. pages: (url, html)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))
    for i, (url, html) in enumerate(pages):
        date = f"2024-05-0{i + 1}T10:00:00Z"
        req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x.example")], is_http_request=True)
        writer.write_record(writer.create_warc_record(url, "request", http_headers=req,
                                                      warc_headers_dict={"WARC-Date": date}))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                                      http_headers=headers, warc_headers_dict={"WARC-Date": date}))
    if image:
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://x.example/logo.png", "response",
                                                      payload=io.BytesIO(png), http_headers=headers))
    return out.getvalue()


def gzip_bomb(inflated: int) -> bytes:
    """A few kilobytes that inflate to `inflated` bytes of spaces."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as z:
        chunk = b" " * (1 << 20)
        for _ in range(inflated // len(chunk)):
            z.write(chunk)
    return buf.getvalue()
