"""A small static-file HTTP server on 127.0.0.1 (OS-assigned port) for the demo and the tests; I/O.

`{{BASE}}` in .txt and .xml files becomes the server's base URL, so robots.txt and sitemaps can name
absolute URLs; `redirects` maps a path to another with a 301.
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

_TYPES = {
    ".html": "text/html",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".css": "text/css",
    ".js": "application/javascript",
}


def _handler(root: Path, redirects: Mapping[str, str], log: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            log.append(path)
            if path in redirects:
                self._send(301, b"", {"Location": redirects[path]})
                return
            file = (root / path.lstrip("/")).resolve()
            if file.is_dir():
                file = file / "index.html"
            if not file.is_relative_to(root) or not file.is_file():
                self._send(404, b"<h1>404 Not Found</h1>", {"Content-Type": "text/html"})
                return
            body = file.read_bytes()
            if file.suffix in (".txt", ".xml"):
                body = body.replace(b"{{BASE}}", self._base().encode())
            kind = _TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            self._send(200, body, {"Content-Type": kind})

        def _base(self) -> str:
            return f"http://127.0.0.1:{self.server.server_port}"  # type: ignore[attr-defined]

        def _send(self, status: int, body: bytes, headers: Mapping[str, str]) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the demo prints its own summary, tests read `log`

    return Handler


@contextmanager
def serve_handler(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on 127.0.0.1 (OS-assigned port) in a daemon thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_folder(
    root: Path, redirects: Mapping[str, str] | None = None, log: list[str] | None = None
) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 in a daemon thread; yields the base URL (no trailing slash)."""
    with serve_handler(_handler(root.resolve(), redirects or {}, log if log is not None else [])) as base:
        yield base
