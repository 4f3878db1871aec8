"""Alerts: when one is due, what it says (counts, top findings, report), and that page text stays inert."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.logs import JsonFormatter, notification
from crawler.notify_http import robot_body
from crawler.notify_sign import body_signature, dingtalk_signed_url, feishu_sign
from reports.alert import AlertReason, alert_reasons, compose_alert, report_location, trial_alert
from reports.alert_render import alert_markdown, alert_text, feishu_post, neutralise
from rules.diff import diff_runs
from rules.model import Finding, LicenceFacts, Severity, Verdict
from rules.records import PageRecord, RunInfo, RunRecord, RunStatus

LICENCE = LicenceFacts(number="陕B2-20210271", holder="X", valid_until=date(2026, 8, 30))
NOW = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)


def run(
    run_id: int,
    pages: dict[str, tuple[str, ...]],
    site: tuple[str, ...] = (),
    *,
    status: RunStatus = RunStatus.COMPLETE,
    today: date = date(2026, 1, 1),
    message: str = "",
) -> RunRecord:
    """A run whose pages carry findings "RULE" or "RULE:severity" (error by default)."""

    def finding(spec: str) -> Finding:
        rule, _, severity = spec.partition(":")
        return Finding(rule, Severity(severity or "error"), message or f"{rule} says so")

    info = RunInfo(
        id=run_id,
        site="朝前科技官网",
        status=status,
        trigger="schedule",
        started_at=NOW,
        finished_at=NOW,
        tool_version="0",
        licence=LICENCE,
        today=today,
        error="robots.txt unreachable" if status is RunStatus.FAILED else None,
    )
    records = tuple(
        PageRecord(url, url, 200, "text/html", 0, Verdict.MISSING, findings=tuple(finding(s) for s in specs))
        for url, specs in pages.items()
    )
    return RunRecord(info, tuple(finding(s) for s in site), records)


A, B, C = "https://x.cn/a", "https://x.cn/b", "https://x.cn/c"


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        pytest.param({A: ("LIC-001",)}, {A: ("LIC-001",)}, (), id="nothing-new"),
        pytest.param({A: ()}, {A: ("LIC-007",)}, (AlertReason.NEW_ERRORS,), id="new-error"),
        pytest.param({A: ()}, {A: ("LIC-005:warning",)}, (), id="new-warning-only"),
        pytest.param({A: ("LIC-007",)}, {A: ()}, (AlertReason.RESOLVED,), id="resolved"),
        pytest.param(
            {A: ("LIC-007",)}, {B: ("LIC-007",)}, (AlertReason.NEW_ERRORS, AlertReason.RESOLVED), id="moved"
        ),
    ],
)
def test_reasons_follow_the_diff_against_the_previous_complete_run(
    previous: dict[str, tuple[str, ...]],
    current: dict[str, tuple[str, ...]],
    expected: tuple[AlertReason, ...],
) -> None:
    now, before = run(2, current), run(1, previous)
    assert alert_reasons(now, diff_runs(now, before)) == expected


def test_a_first_run_alerts_on_its_errors() -> None:
    assert alert_reasons(run(1, {A: ("LIC-001",)}), None) == (AlertReason.NEW_ERRORS,)
    assert alert_reasons(run(1, {A: ()}), None) == ()


def test_licence_date_findings_alert_every_time() -> None:
    for rule in ("VAL-001", "VAL-002"):
        now = run(2, {A: ()}, (rule,))
        assert alert_reasons(now, diff_runs(now, run(1, {A: ()}, (rule,)))) == (AlertReason.LICENCE,)
    window = run(2, {A: ()}, ("VAL-003:warning",))
    assert alert_reasons(window, diff_runs(window, run(1, {A: ()}, ("VAL-003:warning",)))) == ()


def test_a_failed_run_alerts_and_does_not_count_its_missing_pages_as_resolved() -> None:
    failed = run(2, {}, status=RunStatus.FAILED)
    assert alert_reasons(failed, diff_runs(failed, run(1, {A: ("LIC-001",)}))) == (AlertReason.FAILED,)


def test_a_dead_earlier_run_and_every_run_are_reasons_too() -> None:
    quiet = run(1, {A: ()})
    assert alert_reasons(quiet, None, interrupted_before=1) == (AlertReason.INTERRUPTED,)
    assert alert_reasons(quiet, None, every_run=True) == (AlertReason.EVERY_RUN,)


def test_the_message_has_counts_top_findings_by_severity_and_the_report() -> None:
    before = run(1, {A: ("LIC-005:warning",), B: ()})
    now = run(2, {A: ("LIC-005:warning", "LIC-007"), B: ("LIC-007",), C: ("SCOPE-001:info",)}, ("VAL-001",))
    diff = diff_runs(now, before)
    reasons = alert_reasons(now, diff)
    location = report_location("/data/reports/run-2.html", 2, "https://intranet.cn/icp/")
    alert = compose_alert(
        now, diff, reasons, report=location, report_path="/data/reports/run-2.html", lang="zh"
    )
    text = alert_text(alert)

    assert reasons == (AlertReason.LICENCE, AlertReason.NEW_ERRORS)
    assert text.splitlines()[0] == "【ICP审计告警】朝前科技官网：经营许可证日期告警"
    assert "错误 3 条，警告 1 条，提示 1 条" in text
    assert "与第 1 次审计相比：新增 4 条（其中错误 3 条），已解决 0 条" in text
    assert "查看报告: https://intranet.cn/icp/run-2.html" in text
    top = text.split("主要问题:\n", 1)[1].splitlines()
    assert top[0].startswith("- [错误] LIC-007 ")
    assert "× 2（新增）" in top[0]
    assert "https://x.cn/a" in top[0]
    assert top[1].startswith("- [错误] VAL-001 ")
    assert top[2].startswith("- [警告] LIC-005 ")
    assert "新增" not in top[2]
    assert top[3].startswith("- [提示] SCOPE-001")
    payload = alert.payload
    assert payload["schema"] == "icp-audit/alert/v1"
    assert (payload["run_id"], payload["new_errors"], payload["resolved"]) == (2, 3, 0)
    assert payload["counts"]["errors"] == 3
    assert payload["licence"] == {"number": "陕B2-20210271", "valid_until": "2026-08-30", "days_left": 241}
    assert payload["report"] == "https://intranet.cn/icp/run-2.html"
    assert [t["rule"] for t in payload["top_findings"]] == ["LIC-007", "VAL-001", "LIC-005", "SCOPE-001"]


def test_english_and_the_report_path_without_report_url() -> None:
    failed = run(7, {}, status=RunStatus.FAILED, today=date(2026, 11, 27))
    reasons = alert_reasons(failed, None)
    where = report_location("/data/run-7.html", 7, "")
    text = alert_text(compose_alert(failed, None, reasons, report=where, report_path=where, lang="en"))
    assert text.splitlines()[0] == "[ICP audit alert] 朝前科技官网: the audit failed"
    assert "Failure: robots.txt unreachable" in text
    assert "Licence 陕B2-20210271 expired on 2026-08-30, 89 days ago" in text
    assert text.endswith("Open the report: /data/run-7.html")


HOSTILE = "见 [点我](http://evil.example/p) ![x](http://t.example/b.png) <b>**粗**</b>\n# 标题 @all `code`"


def test_page_text_is_inert_in_markdown_but_our_report_link_works() -> None:
    now = run(2, {"http://x.cn/[a](http://evil.example)": ("LIC-002",)}, message=HOSTILE)
    alert = compose_alert(
        now, None, alert_reasons(now, None), report="https://i.cn/run-2.html", report_path="p", lang="zh"
    )
    markdown = alert_markdown(alert)
    assert "](" not in markdown.replace("[查看报告](https://i.cn/run-2.html)", "")
    assert "http://" not in markdown.replace("https://i.cn/run-2.html", "")
    assert markdown.endswith("[查看报告](https://i.cn/run-2.html)")
    inert = neutralise(HOSTILE)
    assert "\n" not in inert
    for char in "[]()!<>*#@`":
        assert char not in inert


def test_feishu_post_keeps_every_value_in_text_elements() -> None:
    now = run(2, {A: ("LIC-002",)})
    alert = compose_alert(
        now, None, alert_reasons(now, None), report="https://i.cn/r.html", report_path="p", lang="zh"
    )
    post = feishu_post(alert, "zh")["post"]["zh_cn"]
    assert post["title"].startswith("【ICP审计告警】")
    tags = [element["tag"] for row in post["content"] for element in row]
    assert set(tags) == {"text", "a"}
    assert tags[-1] == "a"
    assert post["content"][-1][0]["href"] == "https://i.cn/r.html"


def test_robot_bodies_have_the_documented_shapes() -> None:
    alert = trial_alert("s", "https://i.cn/", "zh")
    ding = robot_body("dingtalk", alert, "zh", secret="", now=NOW)
    assert ding["msgtype"] == "markdown"
    assert set(ding["markdown"]) == {"title", "text"}
    wecom = robot_body("wecom", alert, "zh", secret="", now=NOW)
    assert wecom["msgtype"] == "markdown"
    assert set(wecom["markdown"]) == {"content"}
    feishu = robot_body("feishu", alert, "zh", secret="s3cret", now=NOW)
    assert feishu["msg_type"] == "post"
    assert feishu["timestamp"] == str(int(NOW.timestamp()))
    assert feishu["sign"] == feishu_sign("s3cret", int(NOW.timestamp()))
    generic = robot_body("json", alert, "zh", secret="", now=NOW)
    assert generic["test"] is True
    assert generic["sent_at"] == NOW.isoformat()
    assert "测试消息" in generic["title"]


def test_wecom_markdown_stays_within_4096_bytes() -> None:
    pages = {f"https://x.cn/{'长' * 150}{n}": (f"LIC-00{n}",) for n in range(1, 8)}
    now = run(1, pages)
    alert = compose_alert(
        now, None, alert_reasons(now, None), report="https://i.cn/r", report_path="p", lang="zh"
    )
    content = robot_body("wecom", alert, "zh", secret="", now=NOW)["markdown"]["content"]
    assert len(content.encode()) <= 4096


def test_dingtalk_signature_matches_the_documented_recipe() -> None:
    secret, timestamp = "SECthis+is/secret", 1_700_000_000_123
    url = dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=T", secret, timestamp)
    query = parse_qs(urlsplit(url).query)
    assert query["access_token"] == ["T"]
    assert query["timestamp"] == [str(timestamp)]
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    assert query["sign"] == [base64.b64encode(digest).decode()]
    assert "+" not in url.split("sign=", 1)[1]  # URL-encoded: a raw "+" would decode as a space


def test_feishu_signature_keys_the_hmac_with_timestamp_and_secret() -> None:
    digest = hmac.new(b"1700000000\nabc", b"", hashlib.sha256).digest()
    assert feishu_sign("abc", 1_700_000_000) == base64.b64encode(digest).decode()
    assert feishu_sign("abc", 1_700_000_001) != feishu_sign("abc", 1_700_000_000)


def test_json_body_signature_is_hex_hmac_of_the_exact_bytes() -> None:
    body = b'{"a":1}'
    assert body_signature("k", body) == "sha256=" + hmac.new(b"k", body, hashlib.sha256).hexdigest()
    assert body_signature("k", body + b" ") != body_signature("k", body)


def test_a_failed_notification_is_a_warning_json_event_with_channel_ok_and_detail(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="icp_audit.run"):
        notification("email", False, "smtp.example.cn:587 refused the login: 535", run_id=3, site="s")
        notification("dingtalk", True, "sent to oapi.dingtalk.com", run_id=3, site="s")
    failed, sent = (json.loads(JsonFormatter().format(r)) for r in caplog.records)
    assert failed["event"] == "notification"
    assert failed["level"] == "warning"
    assert (failed["channel"], failed["ok"], failed["run_id"]) == ("email", False, 3)
    assert failed["message"] == "notification email FAILED: smtp.example.cn:587 refused the login: 535"
    assert (sent["level"], sent["ok"]) == ("info", True)
