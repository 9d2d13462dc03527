"""Fetcher against a loopback server: conditional GET, User-Agent, errors, caps, the host limiter."""

from __future__ import annotations

import gzip

import pytest

from presswatch import __version__
from presswatch.feeds.fetch import Fetcher, FetchError, FetchLimits, HostLimiter
from tests.presswatch.feeds.server import Route, feed_server

LIMITS = FetchLimits(timeout=5.0, max_bytes=1024 * 1024, host_interval=0.0)


@pytest.fixture
def server():
    with feed_server() as s:
        yield s


def test_user_agent_names_presswatch_and_its_version(server):
    server.routes["/f"] = Route.file("world.rss")
    with Fetcher(LIMITS) as fetcher:
        resp = fetcher.get(server.url("/f"))
    assert resp.status == 200 and resp.body.startswith(b"<?xml")
    agent = server.requests[0].headers["user-agent"]
    assert agent.startswith(f"presswatch/{__version__} ")


def test_etag_and_last_modified_come_back_as_304(server):
    server.routes["/e"] = Route.file("world.rss", etag='"v1"')
    server.routes["/m"] = Route.file("tech.atom", last_modified="Mon, 30 Nov 2026 10:00:00 GMT")
    with Fetcher(LIMITS) as fetcher:
        first = fetcher.get(server.url("/e"))
        again = fetcher.get(server.url("/e"), etag=first.etag)
        stale = fetcher.get(server.url("/e"), etag='"v0"')
        dated = fetcher.get(server.url("/m"))
        dated_again = fetcher.get(server.url("/m"), last_modified=dated.last_modified)
    assert (first.status, first.etag) == (200, '"v1"')
    assert again.not_modified and again.body == b"" and again.etag == '"v1"'
    assert server.requests_to("/e")[1].headers["if-none-match"] == '"v1"'
    assert stale.status == 200 and stale.body == first.body
    assert dated.last_modified == "Mon, 30 Nov 2026 10:00:00 GMT"
    assert dated_again.not_modified
    assert server.requests_to("/m")[1].headers["if-modified-since"] == "Mon, 30 Nov 2026 10:00:00 GMT"


def test_http_errors_and_refused_connections_are_fetch_errors(server):
    server.routes["/500"] = Route(fail_first=10)
    with Fetcher(LIMITS) as fetcher:
        with pytest.raises(FetchError, match=r"HTTP 500 Internal Server Error from http://127\.0\.0\.1:\d+/500"):
            fetcher.get(server.url("/500"))
        with pytest.raises(FetchError, match="HTTP 404"):
            fetcher.get(server.url("/missing"))
        with pytest.raises(FetchError, match="request failed .*ConnectError"):
            fetcher.get("http://127.0.0.1:9/")  # the discard port: nothing listens
        with pytest.raises(FetchError, match=r"invalid URL \(Invalid port"):
            fetcher.get("http://[::1/broken")
        with pytest.raises(FetchError, match="request failed .*UnsupportedProtocol"):
            fetcher.get("ftp://127.0.0.1/feed")


def test_a_stalled_server_times_out(server):
    server.routes["/slow"] = Route(b"late", stall=3.0)
    with Fetcher(FetchLimits(timeout=0.5, host_interval=0.0)) as fetcher:
        with pytest.raises(FetchError, match=r"timed out after 0\.5 s"):
            fetcher.get(server.url("/slow"))


def test_a_declared_oversize_body_is_refused_before_reading(server):
    server.routes["/big"] = Route(b"x" * 2000)
    with Fetcher(FetchLimits(max_bytes=1000, host_interval=0.0)) as fetcher:
        with pytest.raises(FetchError, match=r"response of 2,000 bytes is over the limit of 1,000"):
            fetcher.get(server.url("/big"))


def test_an_undeclared_oversize_body_is_cut_off(server):
    server.routes["/big"] = Route(b"x" * 5000, send_length=False)
    with Fetcher(FetchLimits(max_bytes=1000, host_interval=0.0)) as fetcher:
        with pytest.raises(FetchError, match="over the limit of 1,000 bytes once decoded"):
            fetcher.get(server.url("/big"))


def test_gzip_is_decoded_and_a_gzip_bomb_refused_on_the_decompressed_stream(server):
    feed = Route.file("world.rss").body
    server.routes["/gz"] = Route(gzip.compress(feed), headers={"Content-Encoding": "gzip"})
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # 64 MiB inflated
    assert len(bomb) < LIMITS.max_bytes  # small on the wire: only the inflated size can trip
    server.routes["/bomb"] = Route(bomb, headers={"Content-Encoding": "gzip"})
    with Fetcher(LIMITS) as fetcher:
        assert fetcher.get(server.url("/gz")).body == feed
        with pytest.raises(FetchError, match=r"over the limit of 1,048,576 bytes once decoded"):
            fetcher.get(server.url("/bomb"))
    assert server.requests_to("/gz")[0].headers["accept-encoding"] == "gzip, deflate"


def test_a_corrupt_or_unknown_encoding_is_a_fetch_error(server):
    server.routes["/bad"] = Route(b"not gzip at all", headers={"Content-Encoding": "gzip"})
    server.routes["/br"] = Route(b"whatever", headers={"Content-Encoding": "br"})
    with Fetcher(LIMITS) as fetcher:
        with pytest.raises(FetchError, match="corrupt compressed body"):
            fetcher.get(server.url("/bad"))
        with pytest.raises(FetchError, match="unsupported Content-Encoding 'br'"):
            fetcher.get(server.url("/br"))


class FakeClock:
    def __init__(self) -> None:
        self.now, self.slept = 100.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_host_limiter_spaces_requests_to_one_host_only():
    clock = FakeClock()
    limiter = HostLimiter(2.0, clock=clock, sleep=clock.sleep)
    limiter.wait("a.example")
    limiter.wait("b.example")  # another host: no wait
    assert clock.slept == []
    clock.now += 0.5
    limiter.wait("a.example")  # 0.5 s after a.example's last request: waits the other 1.5 s
    assert clock.slept == [1.5]
    clock.now += 5
    limiter.wait("a.example")  # long enough ago
    assert clock.slept == [1.5]


def test_requests_to_one_host_are_spaced_on_the_wire(server):
    server.routes["/f"] = Route(b"ok", content_type="text/plain")
    with Fetcher(FetchLimits(timeout=5.0, host_interval=0.5)) as fetcher:
        for _ in range(3):
            fetcher.get(server.url("/f"))
    times = [r.at for r in server.requests_to("/f")]
    # 0.5 s apart when sent; arrival jitter on a loaded machine eats into that, never most of it
    assert all(b - a >= 0.3 for a, b in zip(times, times[1:])), times
