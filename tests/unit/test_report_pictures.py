"""Footer pictures in the report's template table: embedded as data: URIs, escaped, within the size budget."""

from __future__ import annotations

import base64
import random
import re
import struct
from dataclasses import replace

from crawler.render.confirm import SHOTS_MAX
from crawler.render.picture import SHOT_MAX_BYTES, image_size
from reports import render_run
from reports.footers import TEMPLATES_SHOWN
from rules.model import Verdict
from rules.records import FooterShot
from tests.unit.test_report_templates import BARE, BASE, GOOD, section, site_pages
from tests.unit.test_reports import GENERATED, XSS_ATTR, lic007, make_record, page

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", 640, 90) + b"\x08\x02\x00\x00\x00"
IMG = re.compile(r'<img class="shot" src="data:(image/\w+);base64,([A-Za-z0-9+/=]+)" alt="([^"]*)"[^>]*>')


def test_each_template_row_shows_its_own_picture_lazily_with_alt_text() -> None:
    shot = FooterShot(BARE, "image/png", PNG, 640, 90)
    html = render_run(replace(make_record(site_pages()), footer_shots=(shot,)), generated_at=GENERATED)
    bad, good = re.findall(r"<tr>.*?</tr>", section(html), re.S)[1:]
    [(kind, data, alt)] = IMG.findall(bad)
    assert (kind, base64.b64decode(data)) == ("image/png", PNG)
    assert f"{BASE}/m0" in alt
    assert 'width="640" height="90" loading="lazy"' in bad
    assert "<img" not in good  # no picture of that template
    assert html.count("<img") == 1


def test_a_run_without_pictures_shows_none() -> None:
    assert "<img" not in render_run(make_record(site_pages()), generated_at=GENERATED)


def test_the_alt_text_is_escaped_and_only_png_or_jpeg_is_embedded() -> None:
    hostile = page(f"{BASE}/{XSS_ATTR}", Verdict.MISSING, findings=(lic007(),), footer_fingerprint=BARE)
    shots = (
        FooterShot(BARE, "image/jpeg", b"\xff\xd8\xff", 10, 10),
        FooterShot(GOOD, 'image/svg+xml" onload="alert(1)', PNG, 640, 90),
    )
    record = replace(make_record((hostile, page(f"{BASE}/", footer_fingerprint=GOOD))), footer_shots=shots)
    html = render_run(record, lang="en", generated_at=GENERATED)
    assert XSS_ATTR not in html
    assert "onload" not in html
    assert [kind for kind, _, _ in IMG.findall(html)] == ["image/jpeg"]


def test_ten_thousand_pages_with_every_template_pictured_stay_under_5_mb() -> None:
    rng = random.Random(7)
    templates = TEMPLATES_SHOWN + 10
    pages = tuple(
        page(f"{BASE}/item/{i:05d}", footer_fingerprint=f"f1-{i % templates:013d}") for i in range(10_000)
    )
    # incompressible bytes of the largest size a picture may have: the worst case for the budget
    shots = tuple(
        FooterShot(f"f1-{t:013d}", "image/png", rng.randbytes(SHOT_MAX_BYTES), 1366, 480)
        for t in range(templates)
    )
    html = render_run(replace(make_record(pages), footer_shots=shots), generated_at=GENERATED)
    assert html.count('<img class="shot"') == TEMPLATES_SHOWN == SHOTS_MAX
    assert len(html.encode()) < 5_000_000


def test_picture_sizes_are_read_from_png_and_jpeg_headers() -> None:
    jpeg = (
        b"\xff\xd8"
        + b"\xff\xe0\x00\x04ab"
        + b"\xff\xff\xc0\x00\x11\x08"
        + struct.pack(">HH", 90, 640)
        + b"\x03"
    )
    assert image_size(PNG) == (640, 90)
    assert image_size(jpeg) == (640, 90)
    assert image_size(b"GIF89a" + bytes(20)) is None
    assert image_size(b"\xff\xd8\xff\xe0\x00") is None  # cut short
