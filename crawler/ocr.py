"""Footer images read with OCR (tesseract 5, chi_sim + eng) into image-sourced numbers; optional.

Pixels are hostile input: an image is read only when its bytes and its pixel count are within bounds
(checked from the header before any decoding, so a decompression bomb is refused unopened), a run
reads a bounded number of distinct images, and each is read once per content hash. Without the
`ocr` extra (pytesseract) or the tesseract binary and its chi_sim model, nothing is read and
`engine_problem` says why, for the site finding.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import warnings
from typing import Any

from PIL import Image

from crawler.textscan import find_numbers, normalise
from rules.model import NumberHit, Where
from rules.verdict import FROM_PIXELS

MAX_IMAGE_BYTES = 1_000_000  # a licence badge or a scanned certificate; larger ones are not read
MAX_PIXELS = 4_000_000  # width x height, checked from the header before decoding
MAX_IMAGES_PER_RUN = 40  # distinct images (by content hash) a run reads: OCR costs ~0.5-2 s each
OCR_TIMEOUT = 15.0  # seconds for one image; tesseract is ended when it runs longer
_LANGS = "chi_sim+eng"
_MIN_HEIGHT = 48  # smaller strips are scaled up (tesseract reads glyphs of ~20-30 px best)
_CONTEXT_MAX = 200


def _tesseract() -> Any:
    """The pytesseract module, or None when the `ocr` extra is not installed."""
    try:
        import pytesseract
    except ImportError:
        return None
    return pytesseract


def engine_problem() -> str | None:
    """Why footer images cannot be read on this machine, or None when they can."""
    module = _tesseract()
    if module is None:
        return "the ocr extra is not installed (pip install 'icp-audit[ocr]')"
    if shutil.which("tesseract") is None:
        return "the tesseract program is not installed (apt-get install tesseract-ocr)"
    try:
        langs = set(module.get_languages(config=""))
    except Exception as exc:  # a broken installation reads nothing rather than failing the run
        return f"tesseract does not start: {type(exc).__name__}"
    if "chi_sim" not in langs:
        return "tesseract has no chi_sim model (apt-get install tesseract-ocr-chi-sim)"
    return None


def decode(data: bytes) -> Image.Image | None:
    """The image in `data` as greyscale, or None: too many bytes or pixels, or not an image."""
    if len(data) > MAX_IMAGE_BYTES:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                return None  # refused from the header: never decoded
            image.seek(0)  # the first frame of an animation
            return image.convert("L")
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError, Warning):
        return None


def _prepared(image: Image.Image) -> Image.Image:
    if image.height >= _MIN_HEIGHT:
        return image
    scale = min(4, -(-_MIN_HEIGHT // image.height))
    if image.width * image.height * scale * scale > MAX_PIXELS:
        return image
    return image.resize((image.width * scale, image.height * scale), Image.Resampling.LANCZOS)


def read_text(data: bytes) -> str | None:
    """The text tesseract reads in one image, or None when it was not read (bounds, decoding, engine)."""
    module = _tesseract()
    image = decode(data)
    if module is None or image is None:
        return None
    try:
        text = module.image_to_string(_prepared(image), lang=_LANGS, config="--psm 6", timeout=OCR_TIMEOUT)
    except (RuntimeError, OSError, module.TesseractError):
        return None  # timed out or crashed: this image is not read
    return str(text)


class ImageReader:
    """Reads footer images for one run: once per content hash, at most MAX_IMAGES_PER_RUN of them."""

    def __init__(self, limit: int = MAX_IMAGES_PER_RUN) -> None:
        self.limit = limit
        self.texts: dict[str, str | None] = {}  # sha256 of the bytes → text read (None: not read)
        self.skipped = 0  # images left unread over the budget (TECH-006)

    def read(self, data: bytes) -> str | None:
        """The image's text (cached by content hash), or None when it is not read."""
        digest = hashlib.sha256(data).hexdigest()
        if digest not in self.texts:
            if len(self.texts) >= self.limit:
                self.skipped += 1
                return None  # over the run's budget: not read, and not remembered either
            self.texts[digest] = read_text(data)
        return self.texts[digest]


def image_hits(text: str, src: str) -> tuple[NumberHit, ...]:
    """The numbers OCR read in a footer image at `src`: image-sourced, never visible as text."""
    # OCR puts spaces and line breaks inside numbers ("陕 B2- 20210271"); a footer image says one
    # thing a line, so the lines are read joined without their blanks.
    flat = normalise("".join(text.split()))
    return tuple(
        NumberHit(
            kind=m.kind,
            value=m.value,
            key=m.key,
            where=Where.IMAGE,
            in_footer=True,
            visible=False,
            hidden_reason=f"{FROM_PIXELS}{src}"[:300],
            context=flat[:_CONTEXT_MAX],
            raw=flat[m.start : m.end],
        )
        for m in find_numbers(flat)
    )
