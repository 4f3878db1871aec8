"""A certificate the system does not trust is recorded as a TLS failure, never fetched without verification."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from tests.conftest import LOCAL_PROFILE


class _Page(BaseHTTPRequestHandler):
    requests = 0

    def do_GET(self) -> None:
        _Page.requests += 1
        body = "<footer>增值电信业务经营许可证：陕B2-20210271</footer>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


CERTS = Path(__file__).parents[1] / "certs"  # self-signed for 127.0.0.1, valid 100 years (see its README)


@pytest.fixture
def self_signed() -> Iterator[str]:
    key, cert = CERTS / "key.pem", CERTS / "cert.pem"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_untrusted_certificate_is_a_tls_failure_and_the_run_fails(self_signed: str, tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"  # robots.txt would fail the same way; judge the page itself
    profile.write_text(LOCAL_PROFILE.read_text("utf-8") + "respect_robots = false\n", "utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "audit",
            "--config",
            str(profile),
            "--start-url",
            f"{self_signed}/",
            "--db",
            str(tmp_path / "a.db"),
            "--out",
            str(tmp_path / "o"),
            "--json",
            str(tmp_path / "r.json"),
        ],
    )
    assert result.exit_code == 4, result.output
    (page,) = json.loads((tmp_path / "r.json").read_text("utf-8"))["pages"]
    assert page["verdict"] == "fetch-error"
    assert page["error"].startswith("tls")
    assert _Page.requests == 0  # the handshake failed: no request was ever sent, and none without checks
