"""How a profile tunes the rules: the expected licence, the inner-page policy, severity overrides; pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from rules.model import LicenceFacts, Severity
from rules.numbers import parse_licence


@dataclass(frozen=True, slots=True)
class Policy:
    """Everything a rule needs besides the page: the licence, the date judged against, the severities."""

    licence: LicenceFacts
    today: date
    inner_pages: Severity = Severity.ERROR
    severity: Mapping[str, Severity] = field(default_factory=dict)
    filing_icp: str = (
        ""  # the expected ICP备案号 from the profile's [filings]; "" = judge format and links only
    )
    filing_public_security: str = ""  # the expected 公安备案号; "" = judge format and links only

    licence_key: str = field(init=False)  # the configured number's comparison key, parsed once

    def __post_init__(self) -> None:
        # Every page rule compares against the key: parsing it per access cost ~17 µs, ten times a page.
        key = parse_licence(self.licence.number) or self.licence.number
        object.__setattr__(self, "licence_key", key)
