"""Footer images read with OCR in a real audit (issue 13 items 5b, 6): a licence shown only as a
picture without alt text is image-only when the picture shows it, wrong-number when it shows another
one, and stays missing when the picture cannot be read; without OCR, one site finding says so."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from crawler import footer_images
from crawler.cli import cli
from crawler.static_server import serve_folder
from tests.conftest import LocalSite, audit_args

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
PAGE = (
    '<html><body><main>{links}关于我们</main><footer>© 2026 西安朝前 <img src="{src}"></footer></body></html>'
)


def _png(text: str, blur: float = 0) -> bytes:
    font = ImageFont.truetype(FONT, 20)
    image = Image.new("RGB", (int(font.getlength(text)) + 20, 36), "white")
    ImageDraw.Draw(image).text((10, 4), text, fill="black", font=font)
    image = image.filter(ImageFilter.GaussianBlur(blur)) if blur else image
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def image_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSite]:
    """/ (our licence as a picture in the footer, again in <main>) links /other.html (another licence) and /blur.html (unreadable)."""
    root = tmp_path_factory.mktemp("images")
    (root / "ours.png").write_bytes(_png("增值电信业务经营许可证：陕B2-20210271"))
    (root / "other.png").write_bytes(_png("增值电信业务经营许可证：京B2-20190536"))
    (root / "blur.png").write_bytes(_png("陕B2-20210271", blur=4))
    (root / "main.png").write_bytes(_png("增值电信业务经营许可证：陕B2-20210271"))
    links = '<img src="/main.png"><a href="/other.html">o</a> <a href="/blur.html">b</a>'
    (root / "index.html").write_text(PAGE.format(links=links, src="/ours.png"), "utf-8")
    (root / "other.html").write_text(PAGE.format(links="", src="other.png"), "utf-8")
    (root / "blur.html").write_text(PAGE.format(links="", src="blur.png"), "utf-8")
    log: list[str] = []
    with serve_folder(root, log=log) as base:
        yield LocalSite(base, log)


def _audit(
    site: LocalSite, tmp_path: Path
) -> tuple[dict[str, str], list[str], list[tuple[str, str, bool, str]]]:
    result = CliRunner().invoke(cli, audit_args(site.base, tmp_path, "--render", "never"))
    assert result.exit_code == 2, result.output
    with sqlite3.connect(tmp_path / "a.db") as db:
        pages = dict(db.execute("select url, verdict from pages").fetchall())
        site_rules = [r for (r,) in db.execute("select rule from findings where page_id is null")]
        stored = [json.loads(n) for (n,) in db.execute("select numbers from pages")]
    numbers = sorted((n["key"], n["where"], n["visible"], n["hidden_reason"]) for ns in stored for n in ns)
    return {u.removeprefix(site.base): v for u, v in pages.items()}, site_rules, numbers


def test_footer_images_are_read_and_judged(image_site: LocalSite, tmp_path: Path) -> None:
    pages, site_rules, numbers = _audit(image_site, tmp_path)
    assert pages == {"/": "image-only", "/other.html": "wrong-number", "/blur.html": "missing"}
    assert "TECH-006" not in site_rules
    base = f"read from the image (OCR): {image_site.base}"
    assert numbers == [
        ("京B2-20190536", "image", False, f"{base}/other.png"),
        ("陕B2-20210271", "image", False, f"{base}/ours.png"),
    ]
    assert image_site.log.count("/ours.png") == 1
    assert "/main.png" not in image_site.log  # outside the footer: not fetched, not read


def test_without_ocr_the_pages_keep_their_verdict_and_one_site_finding_says_so(
    image_site: LocalSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(footer_images.FooterImages, "_engine", lambda self: None)
    pages, site_rules, _ = _audit(image_site, tmp_path)
    assert set(pages.values()) == {"missing"}
    assert site_rules.count("TECH-006") == 1
