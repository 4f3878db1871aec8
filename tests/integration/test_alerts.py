"""Alerts delivered to real local receivers: each robot's payload and signature checked as the service
does, e-mail through an SMTP server requiring STARTTLS; every failure recorded, never fatal."""

from __future__ import annotations

import asyncio
import email
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from socket import socket

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.notify import Delivery, deliver
from crawler.notify_config import EmailConfig, NotifyConfig, WebhookConfig
from crawler.notify_redact import forget
from reports.alert import alert_reasons, compose_alert
from rules.model import Finding, LicenceFacts, Severity, Verdict
from rules.records import PageRecord, RunInfo, RunRecord, RunStatus
from storage import Database
from tests.conftest import LOCAL_PROFILE, LocalSite, audit_args
from tests.integration.alert_receivers import CERTS, Mailbox, RobotReceiver, robot_receiver, smtp_server


@pytest.fixture(autouse=True)
def _forget_secrets() -> Iterator[None]:
    """The redaction registry is process-wide: this module's secrets must not blank later tests' output."""
    yield
    forget()


@pytest.fixture(scope="module")
def robot() -> Iterator[RobotReceiver]:
    with robot_receiver() as receiver:
        yield receiver


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, robot: RobotReceiver, mailbox: Mailbox) -> pytest.MonkeyPatch:
    """The environment a deployment would have: webhook URLs, signing secrets, the SMTP password."""
    robot.seen.clear()
    mailbox.messages.clear()
    values = {
        "T_DING_URL": f"{robot.base}/robot/send?access_token={robot.dingtalk_token}",
        "T_DING_SECRET": robot.dingtalk_secret,
        "T_WECOM_URL": f"{robot.base}/cgi-bin/webhook/send?key={robot.wecom_key}",
        "T_FEISHU_URL": f"{robot.base}/open-apis/bot/v2/hook/{robot.feishu_token}",
        "T_FEISHU_SECRET": robot.feishu_secret,
        "T_JSON_SECRET": robot.json_secret,
        "T_SMTP_PASSWORD": mailbox.password,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def email_config(mailbox: Mailbox, **changes: object) -> EmailConfig:
    settings: dict[str, object] = {
        "host": "127.0.0.1",
        "port": mailbox.port,
        "ca_file": str(CERTS / "cert.pem"),
        "username": mailbox.username,
        "password_env": "T_SMTP_PASSWORD",
        "sender": "icp-audit@example.cn",
        "recipients": ["网管 <ops@example.cn>", "boss@example.cn"],
        "timeout": 5.0,
    }
    return EmailConfig.model_validate(settings | changes)


def every_channel(robot: RobotReceiver, mailbox: Mailbox) -> NotifyConfig:
    return NotifyConfig(
        timeout=2.0,
        webhooks=[
            WebhookConfig(kind="dingtalk", url_env="T_DING_URL", secret_env="T_DING_SECRET"),
            WebhookConfig(kind="wecom", url_env="T_WECOM_URL"),
            WebhookConfig(kind="feishu", url_env="T_FEISHU_URL", secret_env="T_FEISHU_SECRET"),
            WebhookConfig(kind="json", url=f"{robot.base}/hook/json", secret_env="T_JSON_SECRET"),
        ],
        email=email_config(mailbox),
    )


def a_run() -> RunRecord:
    info = RunInfo(
        id=12,
        site="朝前科技官网",
        status=RunStatus.COMPLETE,
        trigger="schedule",
        started_at=datetime.now(UTC),
        finished_at=datetime.now(UTC),
        tool_version="0",
        licence=LicenceFacts(number="陕B2-20210271", holder="X", valid_until=date(2026, 8, 30)),
        today=date(2026, 11, 27),
    )
    hostile = Finding("LIC-002", Severity.ERROR, "[点我](http://evil.example/)", "![x](http://t.example/)")
    page = PageRecord("https://x.cn/a", None, 200, "text/html", 0, Verdict.WRONG_NUMBER, findings=(hostile,))
    return RunRecord(info, (Finding("VAL-001", Severity.ERROR, "expired"),), (page,))


def send(notify: NotifyConfig, report: Path | None, now: datetime | None = None) -> list[Delivery]:
    record = a_run()
    alert = compose_alert(record, None, alert_reasons(record, None), report="https://i.cn/run-12.html",
                          report_path=str(report), lang="zh")  # fmt: skip
    clock = (lambda: now) if now else (lambda: datetime.now(UTC))
    return asyncio.run(deliver(notify, alert, lang="zh", report=report, now=clock))


def parse_mail(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=default_policy)
    assert isinstance(message, EmailMessage)
    return message


def test_every_channel_delivers_with_the_documented_payloads(
    env: pytest.MonkeyPatch, robot: RobotReceiver, mailbox: Mailbox, tmp_path: Path
) -> None:
    report = tmp_path / "run-12.html"
    report.write_text("<!doctype html><title>报告</title><p>run 12</p>", encoding="utf-8")

    deliveries = send(every_channel(robot, mailbox), report)

    assert [(d.channel, d.ok) for d in deliveries] == [
        ("dingtalk", True),
        ("wecom", True),
        ("feishu", True),
        ("json", True),
        ("email", True),
    ], [d.detail for d in deliveries]
    assert [r.service for r in robot.seen if not r.accepted] == []
    ding = robot.of("dingtalk")[0].body["markdown"]
    assert ding["title"] == "【ICP审计告警】朝前科技官网：经营许可证日期告警"
    assert ding["text"].endswith("[查看报告](https://i.cn/run-12.html)")
    assert "VAL-001" in robot.of("wecom")[0].body["markdown"]["content"]
    assert robot.of("feishu")[0].body["content"]["post"]["zh_cn"]["title"].startswith("【ICP审计告警】")
    payload = robot.of("json")[0].body
    assert (payload["run_id"], payload["new_errors"], payload["counts"]["errors"]) == (12, 2, 2)
    assert payload["reasons"] == ["licence", "new_errors"]

    mail = parse_mail(mailbox.messages[0])
    assert mail["Subject"] == "[icp-audit] 【ICP审计告警】朝前科技官网：经营许可证日期告警"
    assert mail["To"] == "网管 <ops@example.cn>, boss@example.cn"
    body = mail.get_body(("plain",))
    assert body is not None
    assert "经营许可证 陕B2-20210271 已于 2026-08-30 过期" in body.get_content()
    attachment = next(mail.iter_attachments())
    assert attachment.get_content_type() == "text/html"
    assert attachment.get_filename() == "run-12.html"
    sent_html = attachment.get_content().replace("\r\n", "\n").rstrip("\n")  # SMTP lines end in CRLF
    assert sent_html == report.read_text(encoding="utf-8")
    assert mailbox.logins == [mailbox.username]


def test_stale_timestamps_are_refused_by_the_signing_robots(
    env: pytest.MonkeyPatch, robot: RobotReceiver, mailbox: Mailbox
) -> None:
    notify = NotifyConfig(
        webhooks=every_channel(robot, mailbox).webhooks[::2], timeout=2.0
    )  # dingtalk, feishu
    two_hours_ago = datetime.now(UTC) - timedelta(hours=2)

    deliveries = send(notify, None, now=two_hours_ago)

    assert [d.ok for d in deliveries] == [False, False]
    assert "code 310000: invalid timestamp" in deliveries[0].detail
    assert "code 19021" in deliveries[1].detail


def free_port() -> int:
    with socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_each_failure_is_a_failed_delivery_with_a_one_line_reason(
    env: pytest.MonkeyPatch, robot: RobotReceiver, mailbox: Mailbox
) -> None:
    env.setenv("T_WRONG_SECRET", "SECnot-the-secret")
    env.setenv("T_SMTP_WRONG", "not-the-password")
    env.setenv("T_REFUSED_URL", f"http://127.0.0.1:{free_port()}/robot/send?access_token=x")
    env.delenv("T_WECOM_URL")
    notify = NotifyConfig(
        timeout=2.0,
        webhooks=[
            WebhookConfig(kind="dingtalk", url_env="T_DING_URL", secret_env="T_WRONG_SECRET"),
            WebhookConfig(kind="json", url=f"{robot.base}/status/500"),
            WebhookConfig(kind="dingtalk", name="gone", url_env="T_REFUSED_URL"),
            WebhookConfig(kind="wecom", url_env="T_WECOM_URL"),
        ],
        email=email_config(mailbox, password_env="T_SMTP_WRONG"),
    )

    deliveries = send(notify, None)

    details = {d.channel: d.detail for d in deliveries if not d.ok}
    assert set(details) == {"dingtalk", "json", "gone", "wecom", "email"}
    assert details["dingtalk"] == "127.0.0.1 refused the message: code 310000: sign not match"
    assert details["json"] == "HTTP 500 from 127.0.0.1"
    assert len(robot.of("500", accepted=False)) == 2  # one retry, no more
    assert details["gone"].startswith("cannot reach 127.0.0.1: ConnectError")
    assert details["wecom"].startswith("T_WECOM_URL is not set")
    assert details["email"].startswith(f"127.0.0.1:{mailbox.port} refused the login: 535")
    assert all("\n" not in d for d in details.values())
    assert "access_token" not in " ".join(details.values())
    assert mailbox.messages == []


def test_an_untrusted_smtp_certificate_is_a_failure_not_a_fallback(
    env: pytest.MonkeyPatch, robot: RobotReceiver, mailbox: Mailbox
) -> None:
    [delivery] = send(NotifyConfig(email=email_config(mailbox, ca_file="")), None)
    assert not delivery.ok
    assert delivery.detail.startswith(f"TLS with 127.0.0.1:{mailbox.port} failed: CERTIFICATE_VERIFY_FAILED")
    assert mailbox.messages == []


def notify_profile(tmp_path: Path, robot: RobotReceiver, mailbox: Mailbox, *, json_url: str) -> Path:
    profile = tmp_path / "notify.toml"
    profile.write_text(
        LOCAL_PROFILE.read_text(encoding="utf-8")
        + f"""
[notify]
report_url = "https://intranet.example.cn/icp/"
timeout = 2.0
[[notify.webhooks]]
kind = "dingtalk"
url_env = "T_DING_URL"
secret_env = "T_DING_SECRET"
[[notify.webhooks]]
kind = "json"
url = "{json_url}"
secret_env = "T_JSON_SECRET"
[notify.email]
host = "127.0.0.1"
port = {mailbox.port}
ca_file = "{CERTS / "cert.pem"}"
username = "{mailbox.username}"
password_env = "T_SMTP_PASSWORD"
sender = "icp-audit@example.cn"
recipients = ["ops@example.cn"]
subject = "[ICP]"
""",
        encoding="utf-8",
    )
    return profile


def test_an_audit_alerts_with_the_runs_counts_and_records_each_channel(
    env: pytest.MonkeyPatch, robot: RobotReceiver, mailbox: Mailbox, company_site: LocalSite, tmp_path: Path
) -> None:
    profile = notify_profile(tmp_path, robot, mailbox, json_url=f"{robot.base}/hook/json")
    args = audit_args(company_site.base, tmp_path, "--today", "2026-11-27", config=profile)

    result = CliRunner().invoke(cli, args)
    (tmp_path / "plain").mkdir()
    plain = CliRunner().invoke(
        cli, audit_args(company_site.base, tmp_path / "plain", "--today", "2026-11-27")
    )

    assert result.exit_code == plain.exit_code == 2, result.output
    with Database.open(str(tmp_path / "a.db")) as db:
        record = db.load_run("latest")
        recorded = db.notifications(record.info.id)
    payload = robot.of("json")[0].body
    counts = record.counts
    assert payload["run_id"] == record.info.id
    assert payload["counts"]["pages"] == counts.pages > 0
    assert payload["counts"]["errors"] == counts.errors
    assert payload["new_errors"] == counts.errors  # a first run: every error is new
    assert payload["report"] == f"https://intranet.example.cn/icp/run-{record.info.id}.html"
    assert Path(payload["report_path"]) == (tmp_path / "out" / f"run-{record.info.id}.html").resolve()
    assert "licence" in payload["reasons"]  # 2026-11-27: the licence expired on 2026-08-30
    assert f"错误 {counts.errors} 条" in robot.of("dingtalk")[0].body["markdown"]["text"]
    mail = parse_mail(mailbox.messages[0])
    assert mail["Subject"].startswith("[ICP] 【ICP审计告警】")
    assert next(mail.iter_attachments()).get_filename() == f"run-{record.info.id}.html"
    assert {n.channel: n.ok for n in recorded} == {"dingtalk": True, "json": True, "email": True}

    runs = CliRunner().invoke(cli, ["runs", "--db", str(tmp_path / "a.db")])
    alerts = {a.strip() for a in runs.output.split("alerts: ", 1)[1].split(",")}  # in the order they ended
    assert alerts == {"dingtalk ok", "json ok", "email ok"}


def test_failed_notifications_leave_the_exit_code_alone_and_are_recorded(
    env: pytest.MonkeyPatch, robot: RobotReceiver, mailbox: Mailbox, company_site: LocalSite, tmp_path: Path
) -> None:
    profile = notify_profile(tmp_path, robot, mailbox, json_url=f"{robot.base}/status/500")
    env.delenv("T_DING_SECRET")
    env.setenv("T_SMTP_PASSWORD", "wrong")

    result = CliRunner().invoke(
        cli, audit_args(company_site.base, tmp_path, "--today", "2026-11-27", config=profile)
    )

    assert result.exit_code == 2, result.output
    assert "report:" in result.output
    with Database.open(str(tmp_path / "a.db")) as db:
        recorded = db.notifications(db.load_run("latest").info.id)
    assert {n.channel: n.ok for n in recorded} == {"dingtalk": False, "json": False, "email": False}
    assert recorded[0].detail.startswith("T_DING_SECRET is not set")
    runs = CliRunner().invoke(cli, ["runs", "--db", str(tmp_path / "a.db")])
    alerts = {a.strip() for a in runs.output.split("alerts: ", 1)[1].split(",")}
    assert alerts == {"dingtalk FAILED", "json FAILED", "email FAILED"}


def test_notify_test_sends_to_every_channel_and_prints_a_line_each(
    env: pytest.MonkeyPatch, robot: RobotReceiver, mailbox: Mailbox, tmp_path: Path
) -> None:
    profile = notify_profile(tmp_path, robot, mailbox, json_url=f"{robot.base}/hook/json")

    result = CliRunner().invoke(cli, ["notify", "test", "--config", str(profile)])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split(":")[0] for line in lines] == ["dingtalk", "json", "email"]
    assert [line.split(": ")[1] for line in lines] == ["ok", "ok", "ok"]
    assert robot.of("json")[0].body["test"] is True
    assert "测试消息" in parse_mail(mailbox.messages[0])["Subject"]

    env.delenv("T_DING_URL")
    failed = CliRunner().invoke(cli, ["notify", "test", "--config", str(profile)])
    assert failed.exit_code == 4
    assert failed.output.splitlines()[0].startswith("dingtalk: FAILED: T_DING_URL is not set")


def test_notify_test_without_channels_says_how_to_add_them() -> None:
    result = CliRunner().invoke(cli, ["notify", "test", "--config", str(LOCAL_PROFILE)])
    assert result.exit_code == 3
    assert "[notify]" in result.output


def test_the_json_webhook_body_is_utf8_json_with_the_schema(
    env: pytest.MonkeyPatch, robot: RobotReceiver, mailbox: Mailbox
) -> None:
    notify = NotifyConfig(
        webhooks=[WebhookConfig(kind="json", url=f"{robot.base}/hook/json", secret_env="T_JSON_SECRET")]
    )
    [delivery] = send(notify, None)
    assert delivery.ok
    assert delivery.detail == "HTTP 204 from 127.0.0.1"
    received = robot.of("json")[0]
    assert received.headers["content-type"] == "application/json; charset=utf-8"
    assert json.loads(json.dumps(received.body))["site"] == "朝前科技官网"


def test_a_run_left_running_by_a_dead_process_is_reported_with_the_next_run(
    env: pytest.MonkeyPatch, robot: RobotReceiver, mailbox: Mailbox, company_site: LocalSite, tmp_path: Path
) -> None:
    profile = notify_profile(tmp_path, robot, mailbox, json_url=f"{robot.base}/hook/json")
    with Database.open(str(tmp_path / "a.db")) as db:  # what a process killed mid-audit leaves behind
        db.start_run(
            site="朝前科技官网",
            trigger="schedule",
            tool_version="0",
            licence=LicenceFacts(number="陕B2-20210271", holder="X", valid_until=date(2026, 8, 30)),
            today=date(2026, 11, 27),
            started_at=datetime.now(UTC) - timedelta(hours=1),
        )

    result = CliRunner().invoke(
        cli, audit_args(company_site.base, tmp_path, "--today", "2026-11-27", config=profile)
    )

    assert result.exit_code == 2, result.output
    payload = robot.of("json")[0].body
    assert payload["interrupted_before"] == 1
    assert "interrupted" in payload["reasons"]
    assert "此前有 1 次审计未完成就中断" in robot.of("dingtalk")[0].body["markdown"]["text"]
