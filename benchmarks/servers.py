"""The benchmark's static server on 127.0.0.1: nginx when it is on PATH, else a threaded Python server.

Either runs in its own process, so its CPU never counts against the crawler being measured.
Run as `python -m benchmarks.servers ROOT` for the fallback server: it prints its port, then serves.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_NGINX_CONF = """daemon off;
master_process on;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log error;
events {{ worker_connections 1024; }}
http {{
    types {{ text/html html; text/css css; application/javascript js; text/plain txt; image/png png; }}
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        charset utf-8;
        location / {{ index index.html; }}
    }}
}}
"""


@dataclass(frozen=True, slots=True)
class Served:
    """A running static server: its base URL and what it is."""

    base: str
    kind: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_listening(port: int, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited at start (code {proc.returncode})")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within 10 s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def serve(root: Path, *, prefer_nginx: bool = True) -> Iterator[Served]:
    """Serve `root` on 127.0.0.1 in a child process, with nginx when present, else Python."""
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).is_file()), None)
    if prefer_nginx and nginx:
        with tempfile.TemporaryDirectory(prefix="icp-bench-nginx-") as tmp:
            port = _free_port()
            conf = Path(tmp) / "nginx.conf"
            conf.write_text(_NGINX_CONF.format(tmp=tmp, port=port, root=root.resolve()), encoding="utf-8")
            proc = subprocess.Popen([nginx, "-c", str(conf), "-e", f"{tmp}/error.log"])
            try:
                _wait_listening(port, proc, "nginx")
                version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
                yield Served(f"http://127.0.0.1:{port}", f"nginx ({version.split('/')[-1]}, 1 worker)")
            finally:
                _stop(proc)
        return
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.servers", str(root)],
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[1],
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        _wait_listening(port, proc, "the Python server")
        yield Served(f"http://127.0.0.1:{port}", "threaded Python http.server (nginx not on PATH)")
    finally:
        _stop(proc)
        if proc.stdout is not None:
            proc.stdout.close()


class _Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as nginx does

    def log_message(self, format: str, *args: object) -> None:
        pass


def main(argv: list[str]) -> None:
    """Serve the folder argv[0] on an OS-assigned port of 127.0.0.1 until terminated."""
    root = argv[0]

    class Handler(_Handler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=root, **kwargs)  # type: ignore[arg-type]

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_port, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
