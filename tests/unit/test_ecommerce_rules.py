"""rules.ecommerce_rules: ECOM-001, a shop without 营业执照 information (homepage warning, other pages note)."""

from __future__ import annotations

from datetime import date

import pytest

from rules.ecommerce_rules import ecom_001_business_licence
from rules.model import LicenceFacts, PageFacts, Severity, Signal, SignalKind
from rules.policy import Policy

POLICY = Policy(
    LicenceFacts("陕B2-20210271", "西安朝前智能科技有限公司", date(2026, 8, 30)), date(2026, 11, 27)
)
K = SignalKind


def page(*signals: tuple[SignalKind, str], homepage: bool = True) -> PageFacts:
    url = "https://chaoqiankeji.com/" if homepage else "https://chaoqiankeji.com/shop/1"
    return PageFacts(url, url, homepage, True, "footer", "", signals=tuple(Signal(k, e) for k, e in signals))


ECOM_001 = [
    # (signals, homepage, expected (case, severity) or None)
    pytest.param([(K.SHOP, "加入购物车")], True, ("homepage", Severity.WARNING), id="homepage-shop"),
    pytest.param([(K.SHOP, "立即购买 ¥99")], False, ("inner", Severity.INFO), id="inner-shop"),
    pytest.param(
        [(K.SHOP, "结算"), (K.BUSINESS_LICENCE, "zzlz.gsxt.gov.cn")],
        True,
        None,
        id="homepage-with-licence-link",
    ),
    pytest.param([(K.SHOP, "结算"), (K.BUSINESS_LICENCE, "营业执照")], False, None, id="inner-with-licence"),
    pytest.param([(K.BUSINESS_LICENCE, "营业执照")], True, None, id="licence-without-shop"),
    pytest.param([(K.SITE_SEARCH, "input[type=search]")], True, None, id="no-shop"),
    pytest.param([], True, None, id="no-signal"),
]


@pytest.mark.parametrize(("signals", "homepage", "expected"), ECOM_001)
def test_ecom_001_cases(
    signals: list[tuple[SignalKind, str]], homepage: bool, expected: tuple[str, Severity] | None
) -> None:
    findings = ecom_001_business_licence(page(*signals, homepage=homepage), POLICY)
    assert [(dict(f.params)["case"], f.severity) for f in findings] == ([expected] if expected else [])
    assert all(f.rule == "ECOM-001" for f in findings)


def test_ecom_001_message_and_evidence() -> None:
    (finding,) = ecom_001_business_licence(
        page((K.SHOP, "购物车"), (K.SHOP, "结算"), (K.SHOP, "购物车")), POLICY
    )
    assert (
        finding.message == "the homepage sells (购物车; 结算) but shows no business licence (营业执照) link"
    )
    assert finding.evidence == "购物车 | 结算"
    assert dict(finding.params) == {"case": "homepage", "what": "购物车; 结算"}
