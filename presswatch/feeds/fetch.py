"""Polite HTTP for feeds and their pages: conditional GET, one host at a time, capped bytes.

Every request names presswatch and its version, waits its turn for the host (a minimum gap
between two requests to one host), gives up after `timeout` seconds in all, and refuses a
body larger than `max_bytes` as decoded, so a gzip bomb is cut off while it inflates.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from presswatch import __version__

USER_AGENT = f"presswatch/{__version__} (media-monitoring feed poller)"
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A request that gave no usable body; the message is what the ledger records."""


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 20.0  # seconds for one request, connect to last byte
    max_bytes: int = 10 * 1024 * 1024  # decoded body
    host_interval: float = 1.0  # minimum seconds between two requests to one host


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int  # 200..299, or 304 (body empty)
    body: bytes
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class HostLimiter:
    """Requests to one host wait until `interval` seconds after the previous one began."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval, self._clock, self._sleep = interval, clock, sleep
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()

    def wait(self, host: str) -> None:
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:  # held while sleeping: the host's requests queue up one by one
            last = self._last.get(host)
            if last is not None:
                gap = last + self.interval - self._clock()
                if gap > 0:
                    self._sleep(gap)
            self._last[host] = self._clock()


class Fetcher:
    """One HTTP client for a poll, shared by its threads."""

    def __init__(self, limits: FetchLimits, *, limiter: HostLimiter | None = None,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.limits = limits
        self.limiter = limiter or HostLimiter(limits.host_interval)
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT}, timeout=limits.timeout, follow_redirects=True,
            max_redirects=MAX_REDIRECTS, transport=transport, trust_env=False)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            accept: str = "*/*") -> Response:
        """GET url; with etag/last_modified, a 304 comes back as Response(status=304).
        Anything else but a 2xx body within the limits raises FetchError."""
        headers = {"Accept": accept, "Accept-Encoding": "gzip, deflate"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            host = httpx.URL(url).host
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            raise FetchError(f"invalid URL ({exc}): {url[:200]!r}") from None
        self.limiter.wait(host)
        deadline = time.monotonic() + self.limits.timeout
        try:
            with self._client.stream("GET", url, headers=headers) as resp:
                if resp.status_code == 304:
                    return Response(str(resp.url), 304, b"", etag=resp.headers.get("etag") or etag,
                                    last_modified=resp.headers.get("last-modified") or last_modified)
                if not 200 <= resp.status_code < 300:
                    raise FetchError(f"HTTP {resp.status_code} {resp.reason_phrase} from {resp.url}")
                body = self._read_capped(resp, deadline)
                return Response(str(resp.url), resp.status_code, body,
                                content_type=resp.headers.get("content-type", ""),
                                etag=resp.headers.get("etag"),
                                last_modified=resp.headers.get("last-modified"))
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {self.limits.timeout:g} s: {url}") from None
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {MAX_REDIRECTS} redirects: {url}") from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(f"request failed ({type(exc).__name__}: {exc}): {url}") from None

    def _read_capped(self, resp: httpx.Response, deadline: float) -> bytes:
        cap = self.limits.max_bytes
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(f"response of {int(declared):,} bytes is over the limit of {cap:,} "
                             f"(PRESSWATCH_FEED_MAX_BYTES): {resp.url}")
        inflate = _decompressor(resp.headers.get("content-encoding", ""), resp.url)
        chunks, size = [], 0
        # Raw bytes, inflated here with a bound: a compressed body is counted as it inflates and
        # never grows past the cap in memory.
        for raw in resp.iter_raw():
            try:
                chunk = inflate.decompress(raw, cap - size + 1) if inflate else raw
            except zlib.error as exc:
                raise FetchError(f"corrupt compressed body ({exc}): {resp.url}") from None
            size += len(chunk)
            if size > cap:
                raise FetchError(f"response body over the limit of {cap:,} bytes once decoded "
                                 f"(PRESSWATCH_FEED_MAX_BYTES): {resp.url}")
            if time.monotonic() > deadline:  # a server dripping bytes never trips the read timeout
                raise FetchError(f"timed out after {self.limits.timeout:g} s: {resp.url}")
            chunks.append(chunk)
        return b"".join(chunks)


def _decompressor(encoding: str, url: object):
    """A zlib decompressor for gzip or deflate (header detected), None for identity."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(32 + zlib.MAX_WBITS)
    raise FetchError(f"unsupported Content-Encoding {encoding!r}: {url}")
