"""A loopback HTTP server for the feed tests: routes answer from files or bytes, in scripted
ways (fail N times, honour If-None-Match / If-Modified-Since, stall), and every request is logged."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "feeds"


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None  # sent, and a matching If-None-Match gets 304
    last_modified: str | None = None  # sent, and an equal If-Modified-Since gets 304
    fail_first: int = 0  # answer the first N requests with `fail_status`
    fail_status: int = 500
    headers: dict[str, str] = field(default_factory=dict)  # extra headers, sent as given
    stall: float = 0.0  # seconds to sleep before answering
    send_length: bool = True
    hits: int = 0

    @classmethod
    def file(cls, name: str, **kwargs) -> Route:
        return cls((FIXTURES / name).read_bytes(), **kwargs)


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    status: int
    at: float


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        route = self.routes.get(handler.path)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            if route is not None:
                route.hits += 1
            hit = route.hits if route else 0
        if route is None:
            status, body, send = 404, b"not found", {"Content-Type": "text/plain"}
        elif hit <= route.fail_first:
            status, body, send = route.fail_status, b"server error", {"Content-Type": "text/plain"}
        elif (route.etag and headers.get("if-none-match") == route.etag) or (
                route.last_modified and headers.get("if-modified-since") == route.last_modified):
            status, body, send = 304, b"", {}
        else:
            status, body, send = 200, route.body, {"Content-Type": route.content_type, **route.headers}
        if route is not None and status in (200, 304):
            send |= {k: v for k, v in (("ETag", route.etag), ("Last-Modified", route.last_modified)) if v}
        self.requests.append(Request(handler.path, headers, status, time.monotonic()))
        if route is not None and route.stall:
            time.sleep(route.stall)
        handler.send_response(status)
        for key, value in send.items():
            handler.send_header(key, value)
        if status != 304 and (route is None or route.send_length):
            handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Connection", "close")
        handler.end_headers()
        if status != 304:
            try:
                handler.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (size cap, timeout)
                pass

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server._answer(self)

            def log_message(self, *args) -> None:
                pass

        return Handler


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    thread = threading.Thread(target=server.httpd.serve_forever, name="feed-test-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
        thread.join(timeout=5)
