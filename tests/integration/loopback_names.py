"""A client connection layer for names and ports that do not exist here: an httpcore network backend
that connects every host name to 127.0.0.1, a port to the one a local server listens on. The HTTP (and
TLS) exchange above it is the real one, Host header and certificate check included."""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any

import httpcore
import httpx

from crawler.client import USER_AGENT


class LoopbackNames(httpcore.AsyncNetworkBackend):
    """Connects a TCP stream for any host name to 127.0.0.1, on `ports[port]` (else the port asked).
    Records the (name, port) pairs asked for."""

    def __init__(self, ports: Mapping[int, int] | None = None) -> None:
        self.inner = httpcore.AnyIOBackend()
        self.ports = dict(ports or {})
        self.asked: list[tuple[str, int]] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's signature)
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        self.asked.append((host, port))
        return await self.inner.connect_tcp(
            "127.0.0.1",
            self.ports.get(port, port),
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class LoopbackTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport over a connection pool that uses `LoopbackNames`."""

    def __init__(self, names: LoopbackNames, context: ssl.SSLContext | None = None) -> None:
        super().__init__()
        self._pool = httpcore.AsyncConnectionPool(
            network_backend=names, http1=True, ssl_context=context or ssl.create_default_context()
        )


def loopback_client(names: LoopbackNames, context: ssl.SSLContext | None = None) -> httpx.AsyncClient:
    """A client like the product's (our User-Agent, no redirects followed by httpx) over `names`."""
    return httpx.AsyncClient(
        transport=LoopbackTransport(names, context),
        headers={"User-Agent": USER_AGENT},
        timeout=2.0,
        follow_redirects=False,
        trust_env=False,  # no proxy from the environment: the names must reach the local servers
    )
