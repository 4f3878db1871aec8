"""Footer images read with OCR (issue 13 items 5b, 6): images rendered here with a Noto CJK font."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from crawler import ocr
from rules.model import PageFacts, Verdict, Where
from rules.numbers import NumberKind
from rules.verdict import from_pixels, page_verdict

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
OURS = "陕B2-20210271"
OTHER = "京B2-20190536"


def png(text: str, *, size: int = 20, blur: float = 0, scale: float = 1) -> bytes:
    font = ImageFont.truetype(str(FONT), size)
    image = Image.new("RGB", (int(font.getlength(text)) + 20, size + 16), "white")
    ImageDraw.Draw(image).text((10, 4), text, fill="black", font=font)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    if scale != 1:
        image = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="session")
def reader() -> ocr.ImageReader:
    """One reader for the module's tests: each image is read once (OCR costs ~0.5-2 s an image)."""
    assert ocr.engine_problem() is None, ocr.engine_problem()
    return ocr.ImageReader()


def facts(*images: tuple[str, str | None]) -> PageFacts:
    hits = tuple(h for src, text in images if text is not None for h in ocr.image_hits(text, src))
    return PageFacts(
        url="https://example.cn/",
        final_url="https://example.cn/",
        is_homepage=True,
        footer_found=True,
        footer_how="footer",
        footer_text="",
        numbers=hits,
    )


def test_the_licence_in_a_footer_image_makes_the_page_image_only(reader: ocr.ImageReader) -> None:
    text = reader.read(png(f"增值电信业务经营许可证：{OURS}"))
    page = facts(("https://example.cn/badge.png", text))
    licences = [h for h in page.numbers if h.kind is NumberKind.LICENCE]
    assert [h.key for h in licences] == [OURS]
    assert all(h.where is Where.IMAGE and not h.visible and from_pixels(h) for h in licences)
    assert page_verdict(page, OURS) is Verdict.IMAGE_ONLY


def test_another_licence_in_a_footer_image_is_a_wrong_number(reader: ocr.ImageReader) -> None:
    page = facts(("https://example.cn/cert.png", reader.read(png(f"增值电信业务经营许可证：{OTHER}"))))
    assert [h.key for h in page.numbers] == [OTHER]
    assert page_verdict(page, OURS) is Verdict.WRONG_NUMBER


@pytest.mark.parametrize(
    "image",
    [png(OURS, blur=4), png(OURS, scale=0.2), png("")],
    ids=["blurred", "tiny", "no-text"],
)
def test_an_unreadable_image_gives_no_number(reader: ocr.ImageReader, image: bytes) -> None:
    page = facts(("https://example.cn/x.png", reader.read(image)))
    assert page.numbers == ()
    assert page_verdict(page, OURS) is Verdict.MISSING  # not read: never image-only, never compliant


def test_images_are_read_once_per_content_hash_and_within_the_runs_budget() -> None:
    small = ocr.ImageReader(limit=1)
    image = png("")
    assert small.read(image) == small.read(image)
    assert len(small.texts) == 1
    assert small.read(png("x")) is None  # a second distinct image is over the budget
    assert len(small.texts) == 1


def _png_header(width: int, height: int) -> bytes:
    """A PNG announcing `width` x `height` pixels with one tiny compressed row: a decompression bomb."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


@pytest.mark.parametrize(
    "data",
    [
        _png_header(50_000, 50_000),
        _png_header(0, 10),
        b"GIF89a not really",
        b"\0" * (ocr.MAX_IMAGE_BYTES + 1),
    ],
    ids=["bomb", "empty", "garbage", "too-many-bytes"],
)
def test_hostile_images_are_refused_undecoded(data: bytes) -> None:
    assert ocr.decode(data) is None
    assert ocr.read_text(data) is None


def test_a_missing_engine_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "_tesseract", lambda: None)
    assert "ocr extra" in (ocr.engine_problem() or "")
    assert ocr.read_text(png(OURS)) is None


def test_images_over_the_budget_are_counted_as_skipped() -> None:
    small = ocr.ImageReader(limit=0)
    assert small.read(png("")) is None
    assert small.skipped == 1
