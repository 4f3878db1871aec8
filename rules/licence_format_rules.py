"""Rules about the form of a displayed licence number (LIC-003 format, LIC-004 province); pure functions.

They judge only what a visitor reads (visible text). Whether the number is the configured one is
LIC-002's question; these rules say what is wrong with its shape, so a typo is recognisable as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rules.catalogue import RULES_BY_ID
from rules.model import Finding, NumberHit, PageFacts, Params, message_params
from rules.policy import Policy
from rules.provinces import province_of
from rules.verdict import licence_hits, shown

FIRST_YEAR = 1990  # the earliest year a licence number plausibly starts with (reference §2.2)
DIGITS = 8  # YYYY + NNNN
CLASS_ORDER = ("A1", "A2", "B1", "B2")  # 《电信业务分类目录》: basic A1/A2, value-added B1/B2
FOREIGN_PREFIX = "合字"  # foreign-invested holders (reference §2.2; meaning inferred)

# A comparison key as `rules.numbers.licence_key` writes it: prefix, classes joined by '.', '-', digits.
_KEY = re.compile(r"^(?P<prefix>合字|[^\x00-\x7f])?(?P<cats>[AB][12](?:\.[AB][12])*)-(?P<num>[\dOo]+)$")


@dataclass(frozen=True, slots=True)
class LicenceParts:
    """A licence key split into its issuer prefix ("" when none), business classes and digits."""

    prefix: str
    classes: tuple[str, ...]
    digits: str


@lru_cache(maxsize=1024)  # a site shows the same few numbers on every page; the parts are immutable
def split_key(key: str) -> LicenceParts | None:
    """The parts of a licence comparison key (`陕B2-20210271`, `合字B1.B2-20130004`), or None."""
    m = _KEY.match(key)
    if m is None:
        return None
    return LicenceParts(m["prefix"] or "", tuple(m["cats"].split(".")), m["num"])


def _finding(message: str, evidence: str, values: Params, rule: str) -> Finding:
    return Finding(rule, RULES_BY_ID[rule].severity, message, evidence[:300], values)


def _shown_once(facts: PageFacts) -> list[NumberHit]:
    """The visible licence hits, one per displayed value (first occurrence), in page order."""
    seen: dict[str, NumberHit] = {}
    for hit in licence_hits(facts):
        if shown(hit):
            seen.setdefault(hit.value, hit)
    return list(seen.values())


def _format_problem(value: str, parts: LicenceParts, latest: int) -> tuple[str, str, Params] | None:
    """(case, English message, params) of the first thing wrong with a licence number, or None."""
    if parts.prefix and parts.prefix != FOREIGN_PREFIX and province_of(parts.prefix) is None:
        message = f"{value} starts with {parts.prefix}, which is neither a province abbreviation nor 合字"
        return "prefix", message, message_params(case="prefix", value=value, prefix=parts.prefix)
    if not parts.digits.isdigit():
        message = f"{value} has the letter O where a digit 0 belongs"
        return "letters", message, message_params(case="letters", value=value)
    if len(parts.digits) != DIGITS:
        n = len(parts.digits)
        message = f"{value} has {n} digits after the business classes; a licence number has {DIGITS}"
        return "digits", message, message_params(case="digits", value=value, count=n, expected=DIGITS)
    year = int(parts.digits[:4])
    if not FIRST_YEAR <= year <= latest:
        message = f"{value} starts with the year {year}, outside {FIRST_YEAR}–{latest}"
        values = message_params(case="year", value=value, year=year, first=FIRST_YEAR, latest=latest)
        return "year", message, values
    ranks = [CLASS_ORDER.index(c) for c in parts.classes]
    if ranks != sorted(set(ranks)):
        cats = ".".join(parts.classes)
        message = f"{value} lists the business classes {cats}; each of A1, A2, B1, B2 may appear once, in that order"
        return "classes", message, message_params(case="classes", value=value, classes=cats)
    return None


def lic_003_format(facts: PageFacts, policy: Policy) -> list[Finding]:
    """A displayed licence number must have a valid form: an issuer prefix (a province, 合字 or none),
    business classes among A1, A2, B1, B2 (each once, in that order), then exactly 8 digits that start
    with the year of first issue (1990 at the earliest, never in the future). A malformed number is a
    typo a visitor or the bureau notices at once.

    Whether the configured number's year fits its issue date is VAL-006's check of the profile.
    """
    findings = []
    for hit in _shown_once(facts):
        parts = split_key(hit.key)
        problem = _format_problem(hit.value, parts, policy.today.year) if parts else None
        if problem is not None:
            _, message, values = problem
            findings.append(_finding(message, hit.context or hit.value, values, "LIC-003"))
    return findings


def _province_case(shown_prefix: str, expected: str) -> str | None:
    """How a displayed prefix differs from the configured one, or None when both name the same issuer."""
    if shown_prefix == expected:
        return None
    same = province_of(shown_prefix) if shown_prefix else None
    if same is not None and same == province_of(expected):
        return None  # two abbreviations of one province (蜀/川): not a province question
    if not shown_prefix:
        return "no-prefix"
    return "province" if expected else "ours-no-prefix"


def lic_004_province(facts: PageFacts, policy: Policy) -> list[Finding]:
    """The displayed licence number must carry the issuer prefix of the company's own licence (陕 for a
    licence issued by 陕西省通信管理局). Another province's prefix means a typo or someone else's
    licence; a number without a prefix is a 跨地区 licence issued by the ministry.

    Provinces are compared, not characters: 蜀 and 川 both name 四川.
    """
    ours = split_key(policy.licence_key)
    if ours is None:
        return []
    findings = []
    for hit in _shown_once(facts):
        parts = split_key(hit.key)
        case = _province_case(parts.prefix, ours.prefix) if parts else None
        if parts is None or case is None:
            continue
        number, value, prefix = policy.licence.number, hit.value, parts.prefix
        message = {
            "province": f"{value} carries the issuer prefix {prefix}; your licence {number} carries {ours.prefix}",
            "no-prefix": f"{value} carries no issuer prefix; your licence {number} carries {ours.prefix}",
            "ours-no-prefix": f"{value} carries the issuer prefix {prefix}; your licence {number} carries none",
        }[case]
        values = message_params(case=case, value=value, number=number, prefix=prefix, expected=ours.prefix)
        findings.append(_finding(message, hit.context or value, values, "LIC-004"))
    return findings
