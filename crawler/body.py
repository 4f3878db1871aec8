"""A response body as it comes off the wire: its Content-Encoding undone in bounded steps, its size
capped (also after decompression); I/O (reads an httpx response stream)."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator

import httpx

ACCEPT_ENCODING = "gzip, deflate"  # what _Inflater undoes; sent explicitly so httpx never offers br or zstd
INFLATE_STEP = 65536  # most bytes one decompression step may yield
_GZIP_WBITS = 16 + zlib.MAX_WBITS


class BodyError(Exception):
    """The body cannot be had: over the cap (`too_large`), or not decodable (a protocol error)."""

    def __init__(self, too_large: bool, detail: str) -> None:
        super().__init__(detail)
        self.too_large, self.detail = too_large, detail


class _Inflater:
    """Undoes a response's Content-Encoding (gzip, deflate, stacked) in steps of INFLATE_STEP bytes or less.

    httpx inflates each network read whole: 64 KB of a gzip bomb become 64 MB at once, and a bomb
    inside a bomb (`gzip, gzip`) gigabytes in one call that also blocks the event loop. Stepping lets
    the caller stop at the size cap after at most one step too many. A coding we did not offer
    (br, zstd, compress) is a protocol error: judging still-compressed bytes would be a false verdict.
    """

    def __init__(self, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        unknown = [c for c in codings if c not in ("gzip", "x-gzip", "deflate", "identity")]
        if unknown:
            raise BodyError(False, f"unsupported Content-Encoding {', '.join(unknown)}")
        self.codings = [c for c in reversed(codings) if c != "identity"]
        self.layers: list[zlib._Decompress | None] = [None] * len(self.codings)
        # A deflate layer's first byte waits here for the second, which tells zlib-wrapped from raw.
        self.heads = [b""] * len(self.codings)

    def feed(self, data: bytes, layer: int = 0) -> Iterator[bytes]:
        """The decoded bytes of the next piece of the body, in bounded steps."""
        if not data:
            return
        if layer == len(self.codings):
            yield data
            return
        inflater = self.layers[layer]
        if inflater is None:
            data = self.heads[layer] + data
            if self.codings[layer] == "deflate" and len(data) < 2:
                self.heads[layer] = data
                return
            inflater = self._start(layer, data)
        while not inflater.eof:
            try:
                out = inflater.decompress(data, INFLATE_STEP)
            except zlib.error as exc:
                raise BodyError(False, f"bad {self.codings[layer]} body: {exc}") from exc
            data = inflater.unconsumed_tail
            yield from self.feed(out, layer + 1)
            inner = self.layers[layer + 1] if layer + 1 < len(self.layers) else None
            if inner is not None and inner.eof:
                return  # the inner stream ended: what this layer still holds is trailing junk, not body
            if not data and len(out) < INFLATE_STEP:
                return  # a full step may leave output inside zlib: only a short one means drained

    def complete(self) -> bool:
        """Every compressed stream that started also ended (a cut-off gzip body is not a page)."""
        return all(layer is None or layer.eof for layer in self.layers)

    def _start(self, layer: int, data: bytes) -> zlib._Decompress:
        wbits = _GZIP_WBITS
        if self.codings[layer] == "deflate":  # zlib-wrapped as the RFC says, or raw as some servers send
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and int.from_bytes(data[:2], "big") % 31 == 0
            wbits = zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS
        inflater = self.layers[layer] = zlib.decompressobj(wbits)
        return inflater


async def read_capped(response: httpx.Response, limit: int, truncate: bool = False) -> tuple[bytes, bool]:
    """Read the decompressed body, stopping as soon as it exceeds `limit` (a gzip bomb stays small);
    with `truncate`, its first `limit` bytes and True when there were more."""
    declared = response.headers.get("content-length", "")
    encoding = response.headers.get("content-encoding", "")
    too_long = declared.isdigit() and int(declared) > limit and not encoding
    if too_long and not truncate:
        raise BodyError(True, f"Content-Length {declared} exceeds {limit} bytes")
    inflater = _Inflater("" if response.is_stream_consumed else encoding)
    chunks: list[bytes] = []
    size = 0
    async for raw in _wire_bytes(response):
        for chunk in inflater.feed(raw):
            size += len(chunk)
            if size > limit:
                if truncate:
                    chunks.append(chunk[: limit - (size - len(chunk))])
                    return b"".join(chunks), True
                raise BodyError(True, f"body exceeds {limit} bytes")
            chunks.append(chunk)
    if not inflater.complete():
        raise BodyError(False, "compressed body ends before its stream does")
    return b"".join(chunks), False


async def _wire_bytes(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body as it comes off the wire; httpx's decoded copy when it holds one already (mock transports)."""
    if response.is_stream_consumed:
        yield response.content
        return
    async for raw in response.aiter_raw():
        yield raw
