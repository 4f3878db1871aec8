"""The profile: TOML validated by pydantic (extra keys rejected), with every default in the models; pure.

`load_profile` is the only entry point; errors come back as one line per problem,
`field.path: problem (hint)`, inside a `ConfigError`.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from importlib import resources
from typing import Literal
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from crawler.cron import cron_weekdays
from crawler.errors import ConfigError
from crawler.notify_config import NotifyConfig
from crawler.urls import Scope, origin_of, scope_entry
from rules.model import LicenceFacts, Severity
from rules.numbers import NumberKind, find_numbers, parse_licence
from rules.text import normalise

BUNDLED_PROFILE = "chaoqiankeji.toml"
MAX_JUDGE_PROCESSES = 64


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SiteConfig(_Strict):
    name: str = Field(min_length=1)
    start_urls: list[str] = Field(min_length=1)
    allowed_hosts: list[str] = []

    @field_validator("start_urls")
    @classmethod
    def _http_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not origin_of(url):
                raise ValueError(f"{url!r} is not an http(s) URL (write it like https://example.com/)")
        return urls

    @field_validator("allowed_hosts")
    @classmethod
    def _scope_entries(cls, entries: list[str]) -> list[str]:
        for entry in entries:
            scope_entry(entry)  # its ValueError says how to write it
        return entries

    @property
    def scope(self) -> Scope:
        """The origins in crawl scope: those of the allowed hosts and of the start URLs."""
        return Scope.of(self.allowed_hosts, self.start_urls)

    @property
    def hosts(self) -> frozenset[str]:
        """The host names in crawl scope, normalised (lower case, punycode), whatever the port."""
        return self.scope.hosts


class LicenceConfig(_Strict):
    number: str
    holder: str = Field(min_length=1)
    legal_representative: str = ""
    website_name: str = ""
    domains: list[str] = []
    issued: date | None = None
    valid_until: date
    renewed_until: date | None = None
    services: list[str] = []
    excluded_services: list[str] = []

    @field_validator("number")
    @classmethod
    def _licence_number(cls, number: str) -> str:
        if parse_licence(number) is None:
            raise ValueError(f"{number!r} is not a licence number (write it like 陕B2-20210271)")
        return number

    @model_validator(mode="after")
    def _dates_in_order(self) -> LicenceConfig:
        if self.issued and self.issued >= self.valid_until:
            raise ValueError("valid_until must be after issued (check the dates on the licence)")
        if self.renewed_until and self.renewed_until <= self.valid_until:
            raise ValueError("renewed_until must be after valid_until (it is the new expiry date)")
        return self

    def facts(self) -> LicenceFacts:
        """The licence as the rules see it."""
        return LicenceFacts(
            number=self.number,
            holder=self.holder,
            valid_until=self.valid_until,
            issued=self.issued,
            renewed_until=self.renewed_until,
            domains=tuple(self.domains),
            excluded_services=tuple(self.excluded_services),
        )


class FilingsConfig(_Strict):
    icp: str = ""
    public_security: str = ""

    @field_validator("icp")
    @classmethod
    def _icp_filing(cls, value: str) -> str:
        kinds = {NumberKind.ICP_FILING, NumberKind.ICP_ZHENG, NumberKind.LICENCE}
        if value and [m.kind for m in find_numbers(normalise(value))] not in ([k] for k in kinds):
            raise ValueError(f"{value!r} is not one ICP filing number (write it like 陕ICP备2021012345号-1)")
        return value

    @field_validator("public_security")
    @classmethod
    def _public_security(cls, value: str) -> str:
        if value and [m.kind for m in find_numbers(normalise(value))] != [NumberKind.PUBLIC_SECURITY]:
            raise ValueError(
                f"{value!r} is not one 公安 filing number (write it like 陕公网安备61019002000123号)"
            )
        return value


class CrawlConfig(_Strict):
    max_pages: int = Field(500, ge=1, le=1_000_000)
    max_depth: int = Field(10, ge=0, le=1000)
    max_query_variants: int = Field(50, ge=0)  # URLs per path differing only in the query; 0 = no limit
    concurrency: int = Field(4, ge=1, le=256)
    requests_per_second: float = Field(2.0, ge=0)
    timeout: float = Field(15.0, gt=0, le=600)
    retries: int = Field(2, ge=0, le=10)
    retry_after_cap: float = Field(10.0, ge=0, le=3600)
    page_timeout: float = Field(60.0, gt=0, le=3600)
    max_body_bytes: int = Field(5_000_000, ge=1024)
    respect_robots: bool = True
    use_sitemap: bool = True
    exclude: list[str] = []
    render: Literal["never", "auto", "always"] = "auto"
    render_concurrency: int = Field(2, ge=1, le=16)
    render_timeout: float = Field(15.0, gt=0, le=600)  # seconds for one page in the browser
    viewport: Literal["desktop", "mobile", "both"] = "desktop"  # both: judged on desktop, checked on a phone
    chromium: str = ""
    # Processes that extract and judge pages while this one fetches; "auto": every core but one (≤ 4),
    # started once a site has more than a few dozen pages. 0: judge in the crawling process.
    judge_processes: Literal["auto"] | int = "auto"
    # CPU seconds extracting and judging one page may take; a page over it gets a RULE-ERROR finding
    judge_timeout: float = Field(10.0, gt=0, le=3600)

    @field_validator("exclude")
    @classmethod
    def _regexes(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a valid regular expression ({exc})") from exc
        return patterns

    @field_validator("judge_processes", mode="plain")
    @classmethod
    def _processes(cls, value: object) -> Literal["auto"] | int:
        if value == "auto":
            return "auto"
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_JUDGE_PROCESSES:
            return value
        raise ValueError(f'{value!r} is not a number of processes: "auto", or 0 to {MAX_JUDGE_PROCESSES}')


class StorageConfig(_Strict):
    # Seconds the audit waits for another process's write lock on the database, crawling on meanwhile,
    # before it gives up with exit 6.
    busy_timeout: float = Field(60.0, ge=0, le=86_400)


class RulesConfig(_Strict):
    inner_pages: Severity = Severity.ERROR
    severity: dict[str, Severity] = {}


class ScheduleConfig(_Strict):
    cron: str = "30 2 * * *"
    timezone: str = "Asia/Shanghai"

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, cron: str) -> str:
        if len(cron.split()) not in (5, 6):
            raise ValueError(
                f"{cron!r} needs five fields: minute hour day month weekday (e.g. '30 2 * * *'),"
                " or six with a leading seconds field"
            )
        try:
            cron_weekdays(cron.split()[-1])
        except ValueError as exc:
            raise ValueError(f"{cron!r}: {exc} (weekday field: 0-7 or sun-sat, e.g. 1-5)") from exc
        return cron

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        if zone not in available_timezones():
            raise ValueError(f"{zone!r} is not an IANA time zone (e.g. Asia/Shanghai)")
        return zone


class Profile(_Strict):
    """One site's profile: what to crawl, which licence to expect, how to judge and when to run."""

    site: SiteConfig
    licence: LicenceConfig
    filings: FilingsConfig = FilingsConfig()
    crawl: CrawlConfig = CrawlConfig()
    storage: StorageConfig = StorageConfig()
    rules: RulesConfig = RulesConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    notify: NotifyConfig = NotifyConfig()

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, rules: RulesConfig) -> RulesConfig:
        from rules.registry import ALL_RULE_IDS

        unknown = sorted(set(rules.severity) - set(ALL_RULE_IDS))
        if unknown:
            raise ValueError(f"unknown rule id {', '.join(unknown)} (known: {', '.join(ALL_RULE_IDS)})")
        return rules


def _hint(error_type: str) -> str:
    return {
        "missing": "add this key",
        "extra_forbidden": "remove it or check the spelling; see icp-audit.example.toml",
        "date_from_datetime_parsing": "write a date like 2026-08-30",
        "date_type": "write a date like 2026-08-30",
        "enum": "one of info, warning, error",
    }.get(error_type, "see icp-audit.example.toml")


def format_errors(exc: ValidationError) -> list[str]:
    """One line per problem: `field.path: problem (hint)`."""
    lines = []
    for err in exc.errors():
        path = ".".join(str(p) for p in err["loc"]) or "profile"
        message = err["msg"].removeprefix("Value error, ")
        hint = "" if "(" in message else f" ({_hint(err['type'])})"
        lines.append(f"{path}: {message}{hint}")
    return lines


def parse_profile(text: str, source: str) -> Profile:
    """Validate profile TOML text; `source` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{source}: not valid TOML: {exc} (fix the syntax at that line)"]) from exc
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_errors(exc)) from exc


def bundled_profile_text() -> str:
    """The TOML of the bundled chaoqiankeji.com profile."""
    return resources.files("rules").joinpath("profiles", BUNDLED_PROFILE).read_text(encoding="utf-8")
