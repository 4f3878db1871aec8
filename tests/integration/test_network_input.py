"""Headers, cookies, URLs and sitemaps from a server that writes them badly: each bad item is recorded
against its URL and the run goes on (issue 12). One local server, one audit, checked route by route."""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.static_server import serve_handler
from tests.conftest import LOCAL_PROFILE, audit_args

FOOTER = "<footer>增值电信业务经营许可证：陕B2-20210271</footer>"
PAGE = f"<html><body>{FOOTER}</body></html>".encode()
DEEP = 100_000


def _raw(text: str) -> str:
    """A header value whose bytes go out as UTF-8 (http.server writes headers as latin-1)."""
    return text.encode().decode("latin-1")


class Misbehaving(BaseHTTPRequestHandler):
    cookies: dict[str, list[bytes]] = {}  # noqa: RUF012 - path → the Cookie headers it received
    paths: list[str] = []  # noqa: RUF012

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        Misbehaving.paths.append(path)
        cookie = self.headers.get("Cookie")
        Misbehaving.cookies.setdefault(path, []).append(cookie.encode("latin-1") if cookie else b"")
        route = ROUTES.get(path)
        if route is None:
            self.send(200 if path.startswith("/ok") else 404, PAGE if path.startswith("/ok") else b"gone")
        else:
            route(self)

    def send(
        self,
        status: int,
        body: bytes,
        ctype: str | None = "text/html",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status not in (204, 205, 304):
            self.wfile.write(body)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: object) -> None:
        pass


LINKS = [
    "/ok-after-cookie",
    "/cookie-name",
    "/cookie-huge",
    "/cookie-many",
    "/loc-ipv6",
    "/loc-space",
    "/loc-utf8",
    "/loc-port",
    "/loc-fullwidth",
    "/loc-control",
    "/self-cookie",
    "/self-loop",
    "/bom",
    "/comment",
    "/space-doctype",
    "/pdf",
    "/png",
    "/binary",
    "/204",
    "/205",
    "/304",
    "/empty",
    "/head-like",
    "/deep",
    "/raw-101",
    "/raw-100-then-200",
    "/raw-103-then-200",
    "/raw-199",
    "/raw-600",
    "/raw-bad-status",
    "/cookie-giant",
    "/odd-headers",
    "/star-type",
    "/bad-base",
    "/bad-socket",
    "http://[::1",
    "http://a:99999/",
    "http://127.0.0.1／x",
    "/ok-\x01ctl",
]


def home(h: Misbehaving) -> None:
    links = "".join(f'<a href="{u}">x</a>' for u in LINKS)
    h.send(
        200,
        f"<html><body>{links}{FOOTER}</body></html>".encode(),
        headers=(("Set-Cookie", _raw("city=西安")),),
    )


def robots(h: Misbehaving) -> None:
    lines = [
        "User-agent: *",
        "Sitemap: http://[::1",
        f"Sitemap: {h.base}／x.xml",
        f"Sitemap: {h.base}/index.xml",
    ]
    h.send(200, "\n".join(lines).encode(), "text/plain")


def index(h: Misbehaving) -> None:  # nested indexes with bad URLs; a .gz that is plain XML; junk .gz
    locs = [
        "http://[::1",
        f"{h.base}/inner.xml",
        f"{h.base}/plain.xml.gz",
        f"{h.base}/junk.xml.gz",
        f"{h.base}/corrupt.xml.gz",
        "http://elsewhere.invalid/s.xml",
        f"{h.base}/big.xml",
    ]
    body = "<sitemapindex>" + "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in locs) + "</sitemapindex>"
    h.send(200, body.encode(), "application/xml")


def inner(h: Misbehaving) -> None:
    locs = ["http://a:99999/s.xml", f"{h.base}/pages.xml"]
    body = "<sitemapindex>" + "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in locs) + "</sitemapindex>"
    h.send(200, body.encode(), "application/xml")


def _urlset(*locs: str) -> bytes:
    return ("<urlset>" + "".join(f"<url><loc>{u}</loc></url>" for u in locs) + "</urlset>").encode()


def _written(raw: bytes) -> Callable[[Misbehaving], None]:
    """A route that writes these bytes as its whole answer, then closes the connection."""
    return lambda h: h.wfile.write(raw)


def _head(status: str, body: bytes = PAGE) -> bytes:
    return b"HTTP/1.1 %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (
        status.encode(),
        len(body),
        body,
    )


BAD_BASE = (
    '<html><head><base href="http://[::1"><link rel="stylesheet" href="http://[::1/a.css">'
    '<link rel="stylesheet" href="http://a:99999/b.css"></head><body><iframe src="http://[::1/f"></iframe>'
    f'<a href="/ok-rel">x</a>{FOOTER}</body></html>'
).encode()

ROUTES = {
    "/": home,
    "/raw-101": _written(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n"),
    "/raw-100-then-200": _written(b"HTTP/1.1 100 Continue\r\n\r\n" + _head("200 OK")),
    "/raw-103-then-200": _written(b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n" + _head("200 OK")),
    "/raw-199": _written(b"HTTP/1.1 199 Odd\r\n\r\n"),
    "/raw-600": _written(_head("600 Odd")),
    "/raw-bad-status": _written(_head("2OO OK")),
    "/cookie-giant": lambda h: h.send(200, PAGE, headers=(("Set-Cookie", "giant=" + "x" * 200_000),)),
    "/odd-headers": lambda h: h.send(
        200,
        PAGE,
        _raw("text/html; charset=西安"),
        headers=(
            ("Retry-After", _raw("明天")),
            ("Set-Cookie", _raw("a=1; Expires=明天; Max-Age=x; Path=西安")),
        ),
    ),
    "/star-type": lambda h: h.send(200, b"<!doctype html>" + PAGE, "*/*"),
    "/bad-base": lambda h: h.send(200, BAD_BASE),
    "/bad-socket": lambda h: h.send(
        200, f'<script>new WebSocket("ws://[::1/im"); new WebSocket("wss://a／im")</script>{FOOTER}'.encode()
    ),
    "/robots.txt": robots,
    "/index.xml": index,
    "/inner.xml": inner,
    "/pages.xml": lambda h: h.send(
        200, _urlset(f"{h.base}/ok-sitemap", "http://[::1]:99999/", f"{h.base}／y"), "application/xml"
    ),
    "/big.xml": lambda h: h.send(  # over the 5 MB page cap, under the protocol's 50 MiB: read whole
        200, b"<urlset>" + b" " * 6_000_000 + _urlset(f"{h.base}/ok-big")[8:], "application/xml"
    ),
    "/plain.xml.gz": lambda h: h.send(200, _urlset(f"{h.base}/ok-gz"), "application/gzip"),
    "/junk.xml.gz": lambda h: h.send(200, random.Random(3).randbytes(3000), "application/gzip"),
    "/corrupt.xml.gz": lambda h: h.send(
        200, b"\x1f\x8b" + random.Random(4).randbytes(3000), "application/gzip"
    ),
    "/cookie-name": lambda h: h.send(
        200,
        PAGE,
        headers=(("Set-Cookie", _raw("城市=西安; Path=/")), ("Set-Cookie", "=; ;;"), ("Set-Cookie", "x")),
    ),
    "/cookie-huge": lambda h: h.send(200, PAGE, headers=(("Set-Cookie", "big=" + "x" * 9000),)),
    "/cookie-many": lambda h: h.send(
        200, PAGE, headers=tuple(("Set-Cookie", f"c{i}=v{i}") for i in range(200))
    ),
    "/loc-ipv6": lambda h: h.send(302, b"", headers=(("Location", "http://[::1/x"),)),
    "/loc-space": lambda h: h.send(302, b"", headers=(("Location", "/ok target"),)),
    "/loc-utf8": lambda h: h.send(302, b"", headers=(("Location", _raw("/ok-目标")),)),
    "/loc-port": lambda h: h.send(302, b"", headers=(("Location", "http://127.0.0.1:99999/"),)),
    "/loc-fullwidth": lambda h: h.send(302, b"", headers=(("Location", _raw("http://127.0.0.1／x")),)),
    "/loc-control": lambda h: h.send(302, b"", headers=(("Location", "/ok\x01x"),)),
    "/self-cookie": lambda h: (
        h.send(200, PAGE)
        if b"seen=1" in Misbehaving.cookies["/self-cookie"][-1]
        else h.send(302, b"", headers=(("Location", "/self-cookie"), ("Set-Cookie", "seen=1")))
    ),
    "/self-loop": lambda h: h.send(302, b"", headers=(("Location", "/self-loop"), ("Set-Cookie", "same=1"))),
    "/bom": lambda h: h.send(200, b"\xef\xbb\xbf<!DOCTYPE html>" + PAGE, None),
    "/comment": lambda h: h.send(200, "<!-- 网站头部 -->\n<html><body>".encode() + FOOTER.encode(), None),
    "/space-doctype": lambda h: h.send(200, b"\r\n  \t<!doctype html>" + PAGE, None),
    "/pdf": lambda h: h.send(200, b"%PDF-1.4\n" + FOOTER.encode(), None),
    "/png": lambda h: h.send(200, b"\x89PNG\r\n\x1a\n" + bytes(100), None),
    "/binary": lambda h: h.send(200, random.Random(1).randbytes(2000).replace(b"<", b"."), None),
    "/204": lambda h: h.send(204, b""),
    "/205": lambda h: h.send(205, b""),
    "/304": lambda h: h.send(304, b""),
    "/empty": lambda h: h.send(200, b""),
    "/head-like": lambda h: (h.send_response(200), h.send_header("Content-Length", "500"), h.end_headers()),
    "/deep": lambda h: h.send(200, ("<html><body>" + "<div>" * DEEP + FOOTER).encode()),
}


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("network")
    with serve_handler(Misbehaving) as base:
        result = CliRunner().invoke(cli, audit_args(base, tmp, "--json", str(tmp / "r.json")))
        assert result.exit_code == 2, result.output  # findings, never a crash (exit 1) or a failed run (4)
        report = json.loads((tmp / "r.json").read_text("utf-8"))
        report["pages_by_path"] = {urlsplit(p["url"]).path: p for p in report["pages"]}
        yield report


def _page(report: dict[str, Any], path: str) -> dict[str, Any]:
    return report["pages_by_path"][path]


def test_a_utf8_cookie_is_kept_and_sent_back_as_it_came(audited: dict[str, Any]) -> None:
    assert audited["run"]["status"] == "complete"
    assert _page(audited, "/ok-after-cookie")["verdict"] == "compliant"
    assert "city=西安".encode() in Misbehaving.cookies["/ok-after-cookie"][0]


@pytest.mark.parametrize("path", ["/cookie-name", "/cookie-huge", "/cookie-many"])
def test_odd_cookies_are_pages_like_any_other(audited: dict[str, Any], path: str) -> None:
    assert _page(audited, path)["verdict"] == "compliant"


def test_huge_and_many_cookies_are_not_sent_back(audited: dict[str, Any]) -> None:
    sent = [c for path in ("/deep", "/pdf", "/204") for c in Misbehaving.cookies[path]]
    assert sent
    assert all(b"big=" not in c and len(c) < 2000 for c in sent)  # 9 KB refused, 200 capped at 50


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/loc-ipv6", None),  # httpx reads these Locations before fetch does: no status to keep
        ("/loc-port", 302),
        ("/loc-fullwidth", None),
        ("/loc-control", None),
    ],
)
def test_a_malformed_location_is_a_fetch_error_of_that_page(
    audited: dict[str, Any], path: str, status: int | None
) -> None:
    page = _page(audited, path)
    assert (page["verdict"], page["status"]) == ("fetch-error", status)
    assert page["error"].startswith("bad_url")


@pytest.mark.parametrize("path", ["/loc-space", "/loc-utf8"])
def test_a_location_a_browser_can_follow_is_followed(audited: dict[str, Any], path: str) -> None:
    assert _page(audited, path)["verdict"] == "compliant"


def test_a_page_that_sets_a_cookie_and_redirects_to_itself_is_no_loop(audited: dict[str, Any]) -> None:
    page = _page(audited, "/self-cookie")
    assert (page["verdict"], page["status"]) == ("compliant", 200)
    loop = _page(audited, "/self-loop")
    assert loop["verdict"] == "fetch-error"
    assert loop["error"].startswith("redirect_loop")


@pytest.mark.parametrize(
    ("path", "verdict"),
    [
        ("/bom", "compliant"),
        ("/comment", "compliant"),
        ("/space-doctype", "compliant"),
        ("/pdf", "not-html"),
        ("/png", "not-html"),
        ("/binary", "not-html"),
        ("/star-type", "compliant"),  # */* is sniffed as if no type were given (WHATWG)
    ],
)
def test_a_body_without_content_type_is_sniffed_as_browsers_do(
    audited: dict[str, Any], path: str, verdict: str
) -> None:
    assert _page(audited, path)["verdict"] == verdict


@pytest.mark.parametrize("path", ["/204", "/205", "/304", "/empty"])
def test_a_response_without_a_body_is_no_page_judged_missing(audited: dict[str, Any], path: str) -> None:
    page = _page(audited, path)
    status = int(path[1:]) if path[1:].isdigit() else 200
    assert (page["verdict"], page["status"]) == ("fetch-error", status)
    assert page["error"].startswith("no_content")
    assert [f["rule"] for f in page["findings"]] == ["NET-001"]


@pytest.mark.parametrize(
    ("path", "verdict", "status", "error"),
    [
        ("/raw-100-then-200", "compliant", 200, None),  # interim answers are skipped
        ("/raw-103-then-200", "compliant", 200, None),
        ("/raw-101", "fetch-error", None, "protocol"),  # an upgrade nobody asked for
        ("/raw-199", "fetch-error", None, "protocol"),  # an interim answer, then nothing
        ("/raw-600", "fetch-error", 600, "http"),
        ("/raw-bad-status", "fetch-error", None, "protocol"),
        ("/cookie-giant", "fetch-error", None, "protocol"),  # 200 KB of headers: refused by h11
        ("/odd-headers", "compliant", 200, None),  # non-ASCII charset label, Retry-After, cookie dates
        ("/bad-base", "compliant", 200, None),  # <base>, stylesheets and frames with malformed URLs
        ("/ok-rel", "compliant", 200, None),  # …and the page's links still followed
        ("/bad-socket", "compliant", 200, None),  # malformed WebSocket URLs in a script
    ],
)
def test_odd_status_lines_and_headers_are_recorded_against_their_page(
    audited: dict[str, Any], path: str, verdict: str, status: int | None, error: str | None
) -> None:
    page = _page(audited, path)
    assert (page["verdict"], page["status"]) == (verdict, status)
    assert (page["error"] or "").startswith(error or "")
    assert bool(page["error"]) is bool(error)


def test_headers_too_long_to_read_say_so(audited: dict[str, Any]) -> None:
    assert "response headers over 100 KB" in _page(audited, "/cookie-giant")["error"]


def test_a_body_cut_short_is_a_fetch_error(audited: dict[str, Any]) -> None:
    page = _page(audited, "/head-like")
    assert page["verdict"] == "fetch-error"
    assert page["error"].startswith("protocol")


def test_a_page_too_deep_to_parse_keeps_its_status_and_says_why(audited: dict[str, Any]) -> None:
    page = _page(audited, "/deep")
    assert (page["verdict"], page["status"]) == ("needs-render", 200)
    assert [(f["rule"], f["severity"]) for f in page["findings"]] == [("TECH-005", "warning")]
    assert "5,000" in page["findings"][0]["evidence"]


@pytest.mark.parametrize("processes", [0, 1])
def test_a_page_too_deep_is_judged_alike_in_a_judging_process_and_here(
    tmp_path: Path, processes: int
) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text(LOCAL_PROFILE.read_text("utf-8") + f"judge_processes = {processes}\n", "utf-8")
    with serve_handler(Misbehaving) as base:
        args = audit_args(
            base, tmp_path, "--max-depth", "0", "--json", str(tmp_path / "r.json"), config=profile
        )
        args[args.index(f"{base}/")] = f"{base}/deep"
        result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    (page,) = json.loads((tmp_path / "r.json").read_text("utf-8"))["pages"]
    assert (page["verdict"], page["status"], page["error"]) == ("needs-render", 200, None)
    assert [f["rule"] for f in page["findings"]] == ["TECH-005"]


def test_cookies_are_never_carried_from_one_run_to_the_next(tmp_path: Path) -> None:
    with serve_handler(Misbehaving) as base:
        before = len(Misbehaving.cookies.get("/", []))
        for run in ("one", "two"):
            (tmp_path / run).mkdir()
            args = audit_args(base, tmp_path / run, "--max-depth", "1")
            assert CliRunner().invoke(cli, args).exit_code == 2
    assert Misbehaving.cookies["/"][before:] == [b"", b""]  # city=西安 was set by the first run's "/"
    assert "city=西安".encode() in Misbehaving.cookies["/ok-after-cookie"][-1]


def test_bad_sitemap_entries_are_said_and_the_good_ones_audited(audited: dict[str, Any]) -> None:
    assert _page(audited, "/ok-sitemap")["verdict"] == "compliant"
    assert _page(audited, "/ok-gz")["verdict"] == "compliant"  # named .gz, served plain: read as XML
    assert _page(audited, "/ok-big")["verdict"] == "compliant"  # a 6 MB sitemap is read, not ignored
    (net,) = [f for f in audited["site_findings"] if f["rule"] == "NET-003"]
    evidence = net["evidence"]
    for said in (
        "robots.txt: names a sitemap that is no http(s) URL: 'http://[::1'",
        "／x.xml",
        "/index.xml: 1 entries are not http(s) URLs",
        "/inner.xml: 1 entries are not http(s) URLs",
        "/pages.xml: 2 entries are not http(s) URLs",
        "/junk.xml.gz: not a sitemap",
        "/corrupt.xml.gz: corrupt gzip",
        "elsewhere.invalid/s.xml: named by",
    ):
        assert said in evidence, said


def test_gzip_sitemaps_are_inflated(tmp_path: Path) -> None:
    sitemap = gzip.compress(b"<urlset><url><loc>http://127.0.0.1:1/ok</loc></url></urlset>")
    from crawler.sitemaps import gunzip

    assert gunzip(sitemap, 10_000) == (b"<urlset><url><loc>http://127.0.0.1:1/ok</loc></url></urlset>", "")
