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

    @property
    def licence_key(self) -> str:
        """The comparison key of the configured number (validated as parseable by the profile loader)."""
        return parse_licence(self.licence.number) or self.licence.number
