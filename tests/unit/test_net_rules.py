"""rules.net_rules: NET-002, pages only the sitemap leads to (crawl facts)."""

from __future__ import annotations

from datetime import date

import pytest

from rules.model import LicenceFacts, Severity, SiteFacts
from rules.net_rules import ORPHANS_LISTED, net_002_sitemap_only
from rules.policy import Policy

POLICY = Policy(
    LicenceFacts("陕B2-20210271", "西安朝前智能科技有限公司", date(2026, 8, 30)), date(2026, 1, 1)
)
BASE = "https://chaoqiankeji.com"


@pytest.mark.parametrize(
    ("orphans", "count", "listed"),
    [
        pytest.param((), None, None, id="none"),
        pytest.param((f"{BASE}/promo",), "1", f"{BASE}/promo", id="one"),
        pytest.param((f"{BASE}/a", f"{BASE}/b"), "2", f"{BASE}/a, {BASE}/b", id="two"),
    ],
)
def test_net_002_names_the_pages(orphans: tuple[str, ...], count: str | None, listed: str | None) -> None:
    findings = net_002_sitemap_only(SiteFacts(orphans=orphans), POLICY)
    if count is None:
        assert findings == []
        return
    (finding,) = findings
    assert (finding.rule, finding.severity) == ("NET-002", Severity.INFO)
    assert dict(finding.params) == {"count": count, "urls": listed}
    assert finding.message.endswith(f"({listed})")
    assert finding.evidence.splitlines() == list(orphans)


def test_net_002_lists_a_bounded_number_in_the_message() -> None:
    orphans = tuple(f"{BASE}/p{i:03}" for i in range(ORPHANS_LISTED + 5))
    (finding,) = net_002_sitemap_only(SiteFacts(orphans=orphans), POLICY)
    urls = dict(finding.params)["urls"]
    assert urls.endswith(" …")
    assert urls.count(BASE) == ORPHANS_LISTED
    assert dict(finding.params)["count"] == str(len(orphans))
    assert len(finding.evidence.splitlines()) == len(orphans)
