"""The report's view model, built from a RunRecord in Python so that templates only loop and branch."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from reports.evidence import FailingView, failing_view, verdict_tone
from reports.findings import RuleCard, rule_cards
from reports.footers import TemplatesView, templates_view
from reports.messages import Catalogue, catalogue
from reports.page_pass import ReportPages
from rules.date_rules import RENEWAL_LEAD, WARNING_LEAD
from rules.diff import RunDiff
from rules.model import LicenceFacts, Severity, Verdict
from rules.records import PageRecord, RunRecord, RunStatus

CHINA_TIME = timezone(timedelta(hours=8), "UTC+8")  # Asia/Shanghai has had no DST since 1991
TABLE_OPEN_LIMIT = 300  # more rows than this: the all-pages table starts collapsed and is not printed


@dataclass(frozen=True, slots=True)
class Fact:
    """A label and its value, with an optional tone (ok, warn, bad, muted)."""

    label: str
    value: str
    tone: str = ""


@dataclass(frozen=True, slots=True)
class Headline:
    """The answer to management's question: compliant or not, and why."""

    state: str  # ok | fail | unknown
    tone: str  # ok | bad | warn
    title: str
    subtitle: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LicenceView:
    """The licence's validity on the date judged against."""

    number: str
    holder: str
    valid_until: str
    renewed_until: str
    days_left: int
    tone: str  # bad when expired or past the renewal deadline, warn in the renewal window, else ok
    big: str  # "已过期 89 天" / "剩余 300 天"
    deadline: str
    deadline_text: str
    deadline_passed: bool
    note: str
    leads: bool  # expired or past the deadline: the report opens with it


@dataclass(frozen=True, slots=True)
class Tile:
    """One count on the first screen."""

    label: str
    count: int
    tone: str
    help: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the all-pages table."""

    url: str
    status: str
    verdict: str
    tone: str
    rules: str


@dataclass(frozen=True, slots=True)
class ChangesView:
    """The first screen's "since the previous run" counts."""

    intro: str
    tiles: tuple[Tile, ...]


@dataclass(frozen=True, slots=True)
class ReportView:
    """Everything run.html shows, in display order and in the report language."""

    html_lang: str
    t: Mapping[str, str]
    site: str
    licence: LicenceView
    headline: Headline
    totals: tuple[Tile, ...]
    verdicts: tuple[Tile, ...]
    changes: ChangesView | None
    run: tuple[Fact, ...]
    run_error: str
    cards: tuple[RuleCard, ...]
    failing: FailingView
    templates: TemplatesView
    rows: tuple[Row, ...]
    rows_collapsed: bool
    rows_summary: str
    legend: tuple[Fact, ...]
    footer_note: str


def when(moment: datetime, tz: tzinfo) -> str:
    """A time for people: minutes, in `tz`, with its UTC offset (naive datetimes are taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone(tz)
    offset = local.utcoffset() or timedelta(0)
    hours, rest = divmod(int(offset.total_seconds()) // 60, 60)
    zone = "UTC" if not offset else f"UTC{hours:+d}" + (f":{rest:02d}" if rest else "")
    return f"{local:%Y-%m-%d %H:%M} ({zone})"


def _licence_state(lic: LicenceFacts, today: date, cat: Catalogue) -> tuple[str, str, str]:
    """(tone, big, note) of the licence card on `today`."""
    left, early = lic.days_left(today), lic.days_before_issue(today)
    deadline = lic.effective_until - RENEWAL_LEAD
    until, dl = lic.effective_until.isoformat(), deadline.isoformat()
    if early and lic.issued:  # judged before the issue date: not in force that day, whatever the expiry
        issued, days = lic.issued.isoformat(), cat.count("day", early)
        note = cat.say("licence_note_not_issued", today=today.isoformat(), issued=issued, days=days)
        return "bad", cat.text["licence_not_issued"], note
    if left < 0:
        big = cat.say("licence_expired", days=cat.count("day", -left))
        return "bad", big, cat.say("licence_note_expired", today=today.isoformat(), until=until)
    tone = "bad" if today >= deadline else ("warn" if today >= lic.effective_until - WARNING_LEAD else "ok")
    big = (
        cat.text["licence_expires_today"]
        if left == 0
        else cat.say("licence_left", days=cat.count("day", left))
    )
    note_key = {"bad": "licence_note_deadline", "warn": "licence_note_window"}.get(tone, "licence_note_valid")
    return tone, big, cat.say(note_key, deadline=dl, until=until)


def licence_view(record: RunRecord, cat: Catalogue) -> LicenceView:
    """Days left or overdue (or not yet in force), the renewal deadline and how loudly to say it."""
    lic, today = record.info.licence, record.info.today
    left = lic.days_left(today)
    deadline = lic.effective_until - RENEWAL_LEAD
    late = (today - deadline).days
    dl = deadline.isoformat()
    tone, big, note = _licence_state(lic, today, cat)
    return LicenceView(
        number=lic.number,
        holder=lic.holder,
        valid_until=lic.valid_until.isoformat(),
        renewed_until=lic.renewed_until.isoformat() if lic.renewed_until else "",
        days_left=left,
        tone=tone,
        big=big,
        deadline=dl,
        deadline_text=cat.say(
            "licence_deadline_passed" if late >= 0 else "licence_deadline_left",
            days=cat.count("day", abs(late)),
        ),
        deadline_passed=late >= 0,
        note=note,
        leads=tone == "bad",
    )


def _licence_reasons(record: RunRecord, lic: LicenceView, cat: Catalogue) -> list[str]:
    facts, today = record.info.licence, record.info.today
    if facts.days_before_issue(today) and facts.issued:
        issued = facts.issued.isoformat()
        return [cat.say("reason_not_issued", number=lic.number, today=today.isoformat(), issued=issued)]
    if lic.days_left < 0:
        until = record.info.licence.effective_until.isoformat()
        days = cat.count("day", -lic.days_left)
        return [cat.say("reason_expired", number=lic.number, until=until, days=days)]
    if lic.deadline_passed:
        late = (record.info.today - record.info.licence.effective_until + RENEWAL_LEAD).days
        return [cat.say("reason_deadline", deadline=lic.deadline, days=cat.count("day", late))]
    return []


def _page_reasons(record: RunRecord, failing: int, home: PageRecord | None, cat: Catalogue) -> list[str]:
    reasons = [cat.say("reason_homepage", verdict=cat.verdicts[home.verdict])] if home is not None else []
    if failing:
        reasons.append(cat.say("reason_pages", pages=cat.count("page", failing)))
    if record.counts.fetch_errors:
        reasons.append(cat.say("reason_fetch", pages=cat.count("page", record.counts.fetch_errors)))
    return reasons


def _run_reasons(record: RunRecord, judged: int, cat: Catalogue) -> list[str]:
    info, counts = record.info, record.counts
    reasons: list[str] = []
    if info.status is RunStatus.FAILED:
        reasons.append(cat.say("reason_failed", error=info.error or cat.statuses[info.status]))
    elif info.status is not RunStatus.COMPLETE:
        reasons.append(cat.say("reason_incomplete", status=cat.statuses[info.status]))
    if not judged:
        reasons.append(cat.text["reason_no_pages"])
    if counts.errors or counts.warnings:
        reasons.append(cat.say("reason_findings", errors=counts.errors, warnings=counts.warnings))
    return reasons


def headline(record: RunRecord, lic: LicenceView, cat: Catalogue) -> Headline:
    """Compliant only when no error finding and every judged page is compliant, in a complete run."""
    judged = failing = 0
    home: PageRecord | None = None  # the first failing homepage
    for p in record.pages:  # one pass, holding no page: a big run's pages come from the database
        judged += p.verdict.judged
        if p.verdict.judged and p.verdict is not Verdict.COMPLIANT:
            failing += 1
            home = p if home is None and p.is_homepage else home
    reasons = _licence_reasons(record, lic, cat) + _page_reasons(record, failing, home, cat)
    reasons += _run_reasons(record, judged, cat)
    if record.counts.errors or failing:
        state = "fail"
    elif judged and record.info.status is RunStatus.COMPLETE:
        state, reasons = "ok", [cat.text["reason_all_ok"], *reasons]
    else:
        state = "unknown"
    subtitle = cat.say(
        "headline_sub",
        today=record.info.today.isoformat(),
        judged=cat.count("page", judged),
        pages=cat.count("page", len(record.pages)),
    )
    tone = {"ok": "ok", "fail": "bad"}.get(state, "warn")
    return Headline(state, tone, cat.text[f"headline_{state}"], subtitle, tuple(reasons))


def _alarm(count: int, tone: str) -> str:
    return tone if count else "zero"


def totals(record: RunRecord, cat: Catalogue) -> tuple[Tile, ...]:
    """The headline counts: pages, compliant, not compliant, fetch errors, errors, warnings."""
    c, t = record.counts, cat.text
    return (
        Tile(t["tile_pages"], c.pages, "neutral"),
        Tile(t["tile_compliant"], c.compliant, _alarm(c.compliant, "ok")),
        Tile(t["tile_non_compliant"], c.non_compliant, _alarm(c.non_compliant, "bad")),
        Tile(t["tile_fetch_errors"], c.fetch_errors, _alarm(c.fetch_errors, "warn")),
        Tile(t["tile_errors"], c.errors, _alarm(c.errors, "bad")),
        Tile(t["tile_warnings"], c.warnings, _alarm(c.warnings, "warn")),
    )


def verdict_tiles(record: RunRecord, cat: Catalogue) -> tuple[Tile, ...]:
    """One tile per verdict, in the order of DESIGN §4, zero counts dimmed."""
    seen = Counter(p.verdict for p in record.pages)
    return tuple(
        Tile(cat.verdicts[v], seen[v], _alarm(seen[v], verdict_tone(v)), cat.verdict_help[v]) for v in Verdict
    )


def changes(diff: RunDiff | None, cat: Catalogue) -> ChangesView | None:
    """New and resolved errors, pages added and gone since the previous complete run; None without one."""
    if diff is None:
        return None
    t, err = cat.text, Severity.ERROR
    new, resolved = diff.count(diff.new, err), diff.count(diff.resolved, err)
    added, gone = len(diff.pages_added), len(diff.pages_gone)
    return ChangesView(
        intro=cat.say("changes_against", run=diff.against_run),
        tiles=(
            Tile(t["changes_new_errors"], new, _alarm(new, "bad")),
            Tile(t["changes_resolved_errors"], resolved, _alarm(resolved, "ok")),
            Tile(t["changes_pages_added"], added, _alarm(added, "neutral")),
            Tile(t["changes_pages_gone"], gone, _alarm(gone, "warn")),
        ),
    )


def _duration(record: RunRecord, cat: Catalogue) -> str:
    if record.info.finished_at is None:
        return cat.text["none"]
    seconds = max(0, int((record.info.finished_at - record.info.started_at).total_seconds()))
    if seconds < 120:
        return cat.count("second", seconds)
    return cat.count("minute", round(seconds / 60))


def run_facts(record: RunRecord, cat: Catalogue, generated_at: datetime, tz: tzinfo) -> tuple[Fact, ...]:
    """Who, when, how the run ended, with which tool version and against which date."""
    info, t = record.info, cat.text
    status_tone = {RunStatus.COMPLETE: "ok", RunStatus.FAILED: "bad"}.get(info.status, "warn")
    finished = when(info.finished_at, tz) if info.finished_at else t["not_finished"]
    return (
        Fact(t["run_site"], info.site),
        Fact(t["run_id"], f"#{info.id}"),
        Fact(t["run_status"], cat.statuses[info.status], status_tone),
        Fact(t["run_trigger"], cat.triggers.get(info.trigger, info.trigger)),
        Fact(t["run_today"], info.today.isoformat()),
        Fact(t["run_started"], when(info.started_at, tz)),
        Fact(t["run_finished"], finished),
        Fact(t["run_duration"], _duration(record, cat)),
        Fact(t["run_version"], info.tool_version),
        *_skipped_fact(record, cat),
        Fact(t["run_generated"], when(generated_at, tz)),
    )


def _skipped_fact(record: RunRecord, cat: Catalogue) -> tuple[Fact, ...]:
    """How many URLs were skipped by reason, when more than the rows stored (a sample) were."""
    total = sum(n for _, n in record.info.skipped)
    rows = sum(p.verdict is Verdict.SKIPPED for p in record.pages)
    if total <= rows:
        return ()
    reasons = ", ".join(f"{kind} {n:,}" for kind, n in record.info.skipped)
    value = cat.say("run_skipped_value", total=f"{total:,}", rows=f"{rows:,}", reasons=reasons)
    return (Fact(cat.text["run_skipped"], value, "warn"),)


def _row(page: PageRecord, cat: Catalogue) -> Row:
    ranked = sorted(page.findings, key=lambda f: -f.severity.rank)
    return Row(
        url=page.url,
        status="" if page.status is None else str(page.status),
        verdict=cat.verdicts[page.verdict],
        tone=verdict_tone(page.verdict),
        rules=" ".join(dict.fromkeys(f.rule for f in ranked)),
    )


def rows(record: RunRecord, cat: Catalogue) -> tuple[Row, ...]:
    """Every page, the shallowest first, then by URL."""
    # The small rows are sorted, not the pages: those of a big run are read a chunk at a time.
    keyed = [((p.depth, p.url), i, _row(p, cat)) for i, p in enumerate(record.pages)]
    return tuple(row for _, _, row in sorted(keyed, key=lambda k: (k[0], k[1])))


def build_view(
    record: RunRecord,
    *,
    lang: str,
    generated_at: datetime,
    tz: tzinfo | None = None,
    diff: RunDiff | None = None,
) -> ReportView:
    """The whole report's view model in the language `lang` ("zh" or "en"), with changes when `diff` is given."""
    cat = catalogue(lang)
    zone = tz or CHINA_TIME
    pages = ReportPages.of(record.pages)  # the one pass over the pages
    whole, record = record, replace(record, pages=pages.light)
    lic = licence_view(record, cat)
    table = rows(record, cat)
    return ReportView(
        html_lang=cat.html_lang,
        t=cat.text,
        site=record.info.site,
        licence=lic,
        headline=headline(record, lic, cat),
        totals=totals(record, cat),
        verdicts=verdict_tiles(record, cat),
        changes=changes(diff, cat),
        run=run_facts(record, cat, generated_at, zone),
        run_error=record.info.error or "",
        cards=rule_cards(record, cat),
        failing=failing_view(replace(whole, pages=pages.failing), cat),
        templates=templates_view(replace(whole, pages=pages.templates), cat),
        rows=table,
        rows_collapsed=len(table) > TABLE_OPEN_LIMIT,
        rows_summary=cat.say("pages_summary", pages=cat.count("page", len(table))),
        legend=tuple(Fact(cat.verdicts[v], cat.verdict_help[v], verdict_tone(v)) for v in Verdict),
        footer_note=cat.say("footer_note", version=record.info.tool_version),
    )
