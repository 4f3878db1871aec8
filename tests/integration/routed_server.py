"""A recording server on 127.0.0.1 for the scope tests: fixed routes answered to any method, every request kept."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CERTS = Path(__file__).parents[1] / "certs"  # self-signed for 127.0.0.1 (see its README)
Route = tuple[int, str, str]  # status, content type, body (the Location of a redirect)
NOT_FOUND: Route = (404, "text/html", "<h1>404</h1>")


def page(body: str) -> Route:
    """A 200 HTML page around `body`."""
    return 200, "text/html; charset=utf-8", f"<!doctype html><html><head></head><body>{body}</body></html>"


@dataclass(frozen=True, slots=True)
class Seen:
    """One request a server received."""

    method: str
    path: str
    body: bytes


@dataclass
class Server:
    """A recording server: its base URL, the routes it answers (by path) and every request it received."""

    routes: dict[str, Route] = field(default_factory=dict)
    log: list[Seen] = field(default_factory=list)
    base: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        return urlsplit(self.base).port or 0

    def paths(self) -> list[str]:
        """The paths (with their queries) asked for, in order."""
        with self.lock:
            return [s.path for s in self.log]


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            with server.lock:
                server.log.append(Seen(self.command, self.path, body))
            status, kind, text = server.routes.get(urlsplit(self.path).path, NOT_FOUND)
            data = text.encode("utf-8")
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", text)
                data = b""
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _any

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serving(server: Server, tls: bool = False) -> Iterator[Server]:
    """Serve `server` on an OS-assigned port (https with tests/certs when `tls`), setting its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(CERTS / "cert.pem", CERTS / "key.pem")
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    server.base = f"{'https' if tls else 'http'}://127.0.0.1:{httpd.server_port}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
