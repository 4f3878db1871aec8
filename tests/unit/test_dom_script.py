"""The browser script's footer heuristics are crawler.footer_heuristics' own (one definition each)."""

from __future__ import annotations

import json

from crawler import footer_heuristics as fh
from crawler.render.dom_script import DOM_FOOTER, DOM_SCRIPT


def test_the_script_carries_the_python_heuristics() -> None:
    assert json.dumps(DOM_FOOTER) in DOM_SCRIPT
    assert "__FOOTER__" not in DOM_SCRIPT
    assert DOM_FOOTER["overlayParts"] == list(fh.OVERLAY_NAME_PARTS)
    assert DOM_FOOTER["toolbarParts"] == list(fh.TOOLBAR_NAME_PARTS)
    assert DOM_FOOTER["overlayTags"] == sorted(fh.OVERLAY_TAGS)
    assert DOM_FOOTER["toolbarMaxChars"] == fh.TOOLBAR_MAX_CHARS
    assert DOM_FOOTER["gapMax"] == fh.BAND_GAP_MAX
    assert DOM_FOOTER["lineMaxChars"] == fh.LAST_BLOCK_LINE_MAX_CHARS
    assert set(DOM_FOOTER["never"]) == fh.NEVER_FOOTER_TAGS | fh.NON_RENDERED_TAGS
