"""rules.licence_presentation_rules: LIC-008 image or script only, LIC-009 link target."""

from __future__ import annotations

from datetime import date

import pytest

from rules.licence_presentation_rules import lic_008_image_or_script, lic_009_link_target, link_is_useful
from rules.model import LicenceFacts, NumberHit, PageFacts, Severity, Where
from rules.numbers import NumberKind
from rules.page_rules import lic_001_homepage, lic_006_hidden, lic_007_inner_footer
from rules.policy import Policy

OURS = "陕B2-20210271"
OTHER = "陕B2-20190001"
POLICY = Policy(LicenceFacts(OURS, "西安朝前智能科技有限公司", date(2026, 8, 30)), date(2026, 11, 27))


def hit(
    key: str = OURS,
    where: Where = Where.TEXT,
    *,
    footer: bool = True,
    visible: bool = True,
    href: str | None = None,
    context: str = "",
) -> NumberHit:
    return NumberHit(
        NumberKind.LICENCE, key, key, where, footer, visible, href=href, hidden_reason=None, context=context
    )


def facts(*hits: NumberHit, homepage: bool = True) -> PageFacts:
    url = "https://chaoqiankeji.com/" if homepage else "https://chaoqiankeji.com/about"
    return PageFacts(url, url, homepage, True, "footer", "© 2026", hits)


IMAGE = hit(where=Where.IMAGE, context="img alt: 陕B2-20210271")
SCRIPT = hit(where=Where.SCRIPT, footer=False, visible=False, context="document.write('陕B2-20210271')")
WRONG = hit(OTHER)
HIDDEN = hit(visible=False)

# ---- LIC-008 -----------------------------------------------------------------------------------

LIC_008 = [
    # (hits, expected cases): only where LIC-001/LIC-006/LIC-007 do not already name the image or script
    pytest.param((WRONG, IMAGE), ["image"], id="image-beside-a-wrong-number"),
    pytest.param((WRONG, SCRIPT), ["script"], id="script-beside-a-wrong-number"),
    pytest.param((HIDDEN, IMAGE), ["image"], id="image-beside-a-hidden-copy"),
    pytest.param((WRONG, IMAGE, SCRIPT), ["image", "script"], id="both"),
    pytest.param((IMAGE,), [], id="image-only-is-LIC-001s"),
    pytest.param((SCRIPT,), [], id="needs-render-is-LIC-001s"),
    pytest.param((hit(where=Where.IMAGE, footer=False),), [], id="image-outside-footer-is-only-in"),
    pytest.param((hit(), IMAGE), [], id="also-shown-as-text"),
    pytest.param((hit(footer=False), IMAGE), [], id="shown-elsewhere"),
    pytest.param((WRONG,), [], id="no-image-or-script"),
]


@pytest.mark.parametrize(("hits", "cases"), LIC_008)
@pytest.mark.parametrize("homepage", [True, False], ids=["homepage", "inner"])
def test_lic_008_cases(hits: tuple[NumberHit, ...], cases: list[str], homepage: bool) -> None:
    findings = lic_008_image_or_script(facts(*hits, homepage=homepage), POLICY)
    assert [dict(f.params)["case"] for f in findings] == cases
    assert all(f.rule == "LIC-008" and f.severity is Severity.INFO for f in findings)


def test_lic_008_message_and_evidence() -> None:
    (finding,) = lic_008_image_or_script(facts(WRONG, IMAGE), POLICY)
    assert finding.message == f"{OURS} stands on this page only as an image (alt or title text)"
    assert finding.evidence == "img alt: 陕B2-20210271"
    assert dict(finding.params) == {"case": "image", "number": OURS}


@pytest.mark.parametrize(
    "hits",
    [
        pytest.param((IMAGE,), id="image-only"),
        pytest.param((SCRIPT,), id="script-only"),
        pytest.param((hit(where=Where.IMAGE, footer=False),), id="image-outside-footer"),
    ],
)
def test_lic_008_never_repeats_an_absence_finding(hits: tuple[NumberHit, ...]) -> None:
    home, inner = facts(*hits), facts(*hits, homepage=False)
    absence = [
        *lic_001_homepage(home, POLICY),
        *lic_007_inner_footer(inner, POLICY),
        *lic_006_hidden(home, POLICY),
    ]
    assert len(absence) == 2  # the absence rules name the image or script themselves
    assert lic_008_image_or_script(home, POLICY) == lic_008_image_or_script(inner, POLICY) == []


# ---- LIC-009 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("href", "useful"),
    [
        pytest.param("https://beian.miit.gov.cn/", True, id="miit-filing"),
        pytest.param("https://beian.miit.gov.cn/#/Integrated/index", True, id="miit-fragment"),
        pytest.param(
            "http://dxzhgl.miit.gov.cn/dxxzsp/xkz/xkzgl/resource/qiyesearch.jsp", True, id="licence-system"
        ),
        pytest.param("https://sxca.miit.gov.cn/", True, id="shaanxi-bureau"),
        pytest.param("https://www.gdca.miit.gov.cn/", True, id="bureau-www"),
        pytest.param("https://xian.ca.miit.gov.cn/", True, id="bureau-subdomain"),
        pytest.param("https://evilca.miit.gov.cn.example.com/", False, id="bureau-lookalike"),
        pytest.param("https://abcdefca.miit.gov.cn/", False, id="not-a-province-code"),
        pytest.param("https://cqca.miit.gov.cn/zwgk/art/2025/x.html", True, id="chongqing-bureau"),
        pytest.param("/images/licence.JPG", True, id="scan-relative"),
        pytest.param("https://cdn.example.com/GroupICP.jpg?v=2", True, id="scan-with-query"),
        pytest.param("https://chaoqiankeji.com/licence.pdf", True, id="scan-pdf"),
        pytest.param("https://www.beian.miit.gov.cn/", False, id="www-miit-unreachable"),
        pytest.param("https://miit.gov.cn.evil.com/", False, id="lookalike"),
        pytest.param("https://zca.gov.cn/", False, id="old-bureau-domain"),
        pytest.param("https://chaoqiankeji.com/about", False, id="own-page"),
        pytest.param("#", False, id="hash"),
        pytest.param("javascript:void(0)", False, id="javascript"),
        pytest.param("javascript:x('a.jpg')", False, id="javascript-ending-in-jpg"),
    ],
)
def test_link_is_useful(href: str, useful: bool) -> None:
    assert link_is_useful(href) is useful


LIC_009 = [
    pytest.param(
        (hit(href="https://chaoqiankeji.com/about"),), ["https://chaoqiankeji.com/about"], id="own-page"
    ),
    pytest.param((hit(href="#"), hit(href="#", footer=False)), ["#"], id="once-per-href"),
    pytest.param((hit(where=Where.IMAGE, href="https://x.cn/"),), ["https://x.cn/"], id="linked-image"),
    pytest.param((hit(href="https://beian.miit.gov.cn/"),), [], id="miit"),
    pytest.param((hit(),), [], id="not-linked"),
    pytest.param((hit(visible=False, href="#"),), [], id="hidden-link-is-LIC-006s"),
    pytest.param((hit(where=Where.COMMENT, href="#"),), [], id="comment"),
    pytest.param((hit(OTHER, href="#"),), [], id="another-number-is-LIC-002s"),
]


@pytest.mark.parametrize(("hits", "hrefs"), LIC_009)
def test_lic_009_cases(hits: tuple[NumberHit, ...], hrefs: list[str]) -> None:
    findings = lic_009_link_target(facts(*hits), POLICY)
    assert [dict(f.params)["href"] for f in findings] == hrefs
    assert all(f.rule == "LIC-009" and f.severity is Severity.INFO for f in findings)


def test_lic_009_message() -> None:
    (finding,) = lic_009_link_target(facts(hit(href="#", context="许可证：陕B2-20210271")), POLICY)
    assert finding.message == (
        f"{OURS} links to #: not the MIIT filing or licence system, a 通信管理局 site or a licence scan"
    )
    assert finding.evidence == "许可证：陕B2-20210271"
