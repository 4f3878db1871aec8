"""A rendered footer's picture, captured by Chromium itself as small as the report's size budget needs:
a lossless PNG when it fits SHOT_MAX_BYTES, else JPEG, then JPEG scaled down; I/O.

The budget: a report shows at most 50 templates (reports.footers.TEMPLATES_SHOWN, confirm.SHOTS_MAX)
and embeds each picture in base64 (4/3 of its bytes), so 50 pictures of at most 40,000 bytes add at
most 2.7 MB to a 10,000-page report of about 1.2 MB: under its 5 MB budget.
"""

from __future__ import annotations

import base64
import struct
from typing import TYPE_CHECKING, Any

from rules.records import FooterShot

if TYPE_CHECKING:  # imported by crawler.render.browser once a browser starts
    from playwright.async_api import FloatRect, Page

SHOT_MAX_BYTES = 40_000
# (format, JPEG quality, scale) tried in order until a capture fits SHOT_MAX_BYTES. A flat footer of
# text fits as PNG (10-35 KB at 1366 px wide); a photo or gradient behind it needs JPEG, and a tall
# busy one a smaller scale. Text stays legible down to 0.6.
LADDER: tuple[tuple[str, int | None, float], ...] = (
    ("png", None, 1.0),
    ("jpeg", 80, 1.0),
    ("jpeg", 60, 0.8),
    ("jpeg", 50, 0.6),
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # start-of-frame markers (not DHT, JPG, DAC)


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels from a PNG or JPEG header; None for anything else."""
    if data.startswith(PNG_SIGNATURE) and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if not data.startswith(b"\xff\xd8"):
        return None
    pos = 2
    while pos + 9 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:  # a fill byte before the marker
            pos += 1
            continue
        if marker in _JPEG_SOF:
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return int(width), int(height)
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        pos += 2 + length
    return None


async def capture_footer(page: Page, clip: FloatRect) -> FooterShot | None:
    """The picture of `clip` (document coordinates, CSS pixels) at the first LADDER step that fits
    SHOT_MAX_BYTES; None when none does. The fingerprint is left for the caller to fill in."""
    session = await page.context.new_cdp_session(page)
    try:
        for kind, quality, scale in LADDER:
            params: dict[str, Any] = {
                "format": kind,
                "clip": {**clip, "scale": scale},
                "captureBeyondViewport": True,  # the footer usually lies below the first screen
            }
            if quality is not None:
                params["quality"] = quality
            reply = await session.send("Page.captureScreenshot", params)
            data = base64.b64decode(reply["data"])
            size = image_size(data)
            if size is not None and len(data) <= SHOT_MAX_BYTES:
                return FooterShot("", f"image/{kind}", data, *size)
    finally:
        await session.detach()
    return None
