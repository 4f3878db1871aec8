"""A base for the tests' hand-written HTTP servers: quiet, and one call sends a whole answer."""

from __future__ import annotations

import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler


class QuietHandler(BaseHTTPRequestHandler):
    """Logs nothing; `reply` sends status, headers, Content-Length and body, and shrugs off a client
    that went away mid-answer (an audit being killed, or one that stopped reading)."""

    def reply(
        self, status: int, body: bytes | str, content_type: str = "text/html", headers: Mapping[str, str] = {}
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: object) -> None:
        pass


class EndlessTree(QuietHandler):
    """An endless tree of slow pages (each links `fanout` children), so an audit runs until it is stopped
    or its page cap; robots.txt is empty."""

    delay = 0.1  # seconds per page
    fanout = 4

    def page(self, links: str) -> str:
        """The HTML of a page holding `links`."""
        return links

    def do_GET(self) -> None:
        body = ""
        if self.path != "/robots.txt":
            time.sleep(self.delay)
            base = self.path.rstrip("/")
            body = self.page("".join(f'<a href="{base}/{i}">p</a>' for i in range(self.fanout)))
        self.reply(200, body)
