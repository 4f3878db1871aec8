"""Receivers that echo the request in their refusal: no secret, token or signature, in any encoding, reaches
the database file, the logs (text and JSON), `notify test` or `runs` output."""

from __future__ import annotations

import base64
import html
import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

import pytest
from click.testing import CliRunner

from crawler.cli import cli
from crawler.logs import log_output, notification
from crawler.notify_redact import MASK, delivery_detail, forget, redact, register, register_url
from tests.conftest import LOCAL_PROFILE, LocalSite, audit_args
from tests.integration.alert_receivers import CERTS, EchoReceiver, echo_receiver, echoing_smtp_server

KINDS = ("dingtalk", "wecom", "feishu", "json")
STATUSES = (400, 500, 200)
# Values as a deployment exports them; each has characters that percent-, JSON- or HTML-encoding changes.
DING_TOKEN = "dingTok+en/Zz9=&q"
WECOM_KEY = "wecomKey-7f3a&b+c"
FEISHU_TOKEN = "feishuTok-0a1b2c3d"
JSON_TOKEN = "jsonTok+1/2<3>"
SECRETS = {
    "dingtalk": "SECdingSecret+/=42",
    "feishu": "feishuSecret/+=99",
    "json": "jsonSecret&<x>'\"y",
}
SMTP_USER, SMTP_PASSWORD = "smtpUser&name", 'smtpPa$$/+=wd"x'


def _path(kind: str) -> str:
    """The robot URL's path and query as a user pastes it (the query value percent-encoded)."""
    return {
        "dingtalk": f"robot/send?access_token={quote(DING_TOKEN, safe='')}",
        "wecom": f"cgi-bin/webhook/send?key={quote(WECOM_KEY, safe='')}",
        "feishu": f"open-apis/bot/v2/hook/{FEISHU_TOKEN}",
        "json": f"hook/json?token={quote(JSON_TOKEN, safe='')}",
    }[kind]


def _env_name(kind: str, status: int, what: str) -> str:
    return f"T_ECHO_{kind.upper()}_{status}_{what}"


@pytest.fixture(autouse=True)
def _forget_secrets() -> Iterator[None]:
    """The redaction registry is process-wide: this module's secrets must not blank later tests' output."""
    yield
    forget()


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoReceiver]:
    with echo_receiver() as receiver:
        yield receiver


@pytest.fixture(scope="module")
def smtp_port() -> Iterator[int]:
    with echoing_smtp_server() as port:
        yield port


@pytest.fixture
def profile(tmp_path: Path, echo: EchoReceiver, smtp_port: int, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The local profile with every webhook kind at every echoing status, and e-mail whose AUTH is echoed."""
    echo.seen.clear()
    tables = ["[notify]", "every_run = true", "timeout = 10.0"]
    for kind in KINDS:
        for status in STATUSES:
            url_env = _env_name(kind, status, "URL")
            monkeypatch.setenv(url_env, f"{echo.base}/echo{status}/{_path(kind)}")
            tables += ["[[notify.webhooks]]", f'kind = "{kind}"', f'name = "{kind}-{status}"']
            tables.append(f'url_env = "{url_env}"')
            if kind in SECRETS:
                monkeypatch.setenv(_env_name(kind, status, "SECRET"), SECRETS[kind])
                tables.append(f'secret_env = "{_env_name(kind, status, "SECRET")}"')
    monkeypatch.setenv("T_ECHO_SMTP_USER", SMTP_USER)
    monkeypatch.setenv("T_ECHO_SMTP_PASSWORD", SMTP_PASSWORD)
    tables += [
        "[notify.email]",
        'host = "127.0.0.1"',
        f"port = {smtp_port}",
        f'ca_file = "{CERTS / "cert.pem"}"',
        'username_env = "T_ECHO_SMTP_USER"',
        'password_env = "T_ECHO_SMTP_PASSWORD"',
        'sender = "icp-audit@example.cn"',
        'recipients = ["ops@example.cn"]',
        "timeout = 5.0",
    ]
    path = tmp_path / "echo.toml"
    path.write_text(LOCAL_PROFILE.read_text(encoding="utf-8") + "\n".join(tables) + "\n", encoding="utf-8")
    return path


def _made_secrets(echo: EchoReceiver) -> set[str]:
    """What the sender made from the secrets, as the receiver saw it: DingTalk's timestamp and sign,
    Feishu's sign, the JSON webhook's signature."""
    made: set[str] = set()
    for request in echo.seen:
        query = urlsplit(request.target).query
        made |= {v for k, v in parse_qsl(query) if k in ("timestamp", "sign")}
        made |= {v for pair in query.split("&") for k, _, v in [pair.partition("=")] if k == "sign"}
        if isinstance(request.body, dict) and "sign" in request.body:
            made.add(request.body["sign"])
        signature = request.headers.get("X-Icp-Audit-Signature", "")
        made |= {signature, signature.removeprefix("sha256=")} - {""}
    return made


def _secrets(echo: EchoReceiver) -> set[str]:
    configured = {
        DING_TOKEN,
        WECOM_KEY,
        FEISHU_TOKEN,
        JSON_TOKEN,
        *SECRETS.values(),
        SMTP_USER,
        SMTP_PASSWORD,
    }
    urls = {f"{echo.base}/echo{s}/{_path(k)}" for k in KINDS for s in STATUSES}
    plain = base64.b64encode(f"\0{SMTP_USER}\0{SMTP_PASSWORD}".encode()).decode()
    return configured | urls | {plain} | _made_secrets(echo)


def _forms(secret: str) -> set[str]:
    escaped = json.dumps(secret)[1:-1]
    return {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        escaped,
        escaped.replace("/", "\\/"),
        escaped.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"),
        json.dumps(secret, ensure_ascii=False)[1:-1],
        html.escape(secret),
        base64.b64encode(secret.encode()).decode(),
    }


def assert_no_secret(where: str, text: str, echo: EchoReceiver) -> None:
    leaks = sorted({form for s in _secrets(echo) for form in _forms(s) if form in text})
    assert not leaks, f"{where} shows {leaks}"


def _database_bytes(tmp_path: Path) -> str:
    files = [p for p in tmp_path.iterdir() if p.name.startswith("a.db")]
    assert files
    return b"".join(p.read_bytes() for p in files).decode("utf-8", "replace")


def test_echoed_secrets_never_reach_the_database_logs_or_output(
    profile: Path, echo: EchoReceiver, company_site: LocalSite, tmp_path: Path
) -> None:
    runner = CliRunner()
    as_json = runner.invoke(
        cli, [*audit_args(company_site.base, tmp_path, config=profile), "--log-format", "json"]
    )
    as_text = runner.invoke(
        cli, [*audit_args(company_site.base, tmp_path, config=profile), "--log-format", "text"]
    )
    test = runner.invoke(cli, ["notify", "test", "--config", str(profile)])
    runs = runner.invoke(cli, ["runs", "--db", str(tmp_path / "a.db")])

    assert as_json.exit_code == as_text.exit_code == 2, as_json.output + as_text.output
    assert test.exit_code == 4, test.output
    # The receivers really did echo what was sent (else this test proves nothing).
    assert len(echo.seen) == 3 * (len(KINDS) * len(STATUSES) + len(KINDS))  # each 500 is tried twice
    events = [json.loads(line) for line in as_json.stdout.splitlines()]
    details = {e["channel"]: e["detail"] for e in events if e["event"] == "notification"}
    assert set(details) == {f"{k}-{s}" for k in KINDS for s in STATUSES} | {"email"}
    assert MASK in details["dingtalk-200"]
    assert MASK in details["feishu-200"]
    assert MASK in details["email"]
    assert details["wecom-200"].startswith("127.0.0.1 refused the message: code 40001: ")
    sent = {e["channel"] for e in events if e["event"] == "notification" and e["ok"]}
    assert sent == {"json-200"}  # a JSON webhook's 200 is success; every robot's errcode is a refusal
    for where, text in (
        ("the JSON log", as_json.output),
        ("the text log", as_text.output),
        ("notify test", test.output),
        ("runs", runs.output),
        ("the database file", _database_bytes(tmp_path)),
    ):
        assert_no_secret(where, text, echo)


def test_the_text_log_redacts_a_secret_in_the_message_its_arguments_and_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = "https://oapi.example.cn/robot/send?access_token=txt-token-123&sign=a%2Bb%2Fc%3D"
    register_url(url)
    logger = logging.getLogger("icp_audit.test_redaction")
    for log_format in ("text", "json"):
        with log_output(log_format, text=True):
            notification("dingtalk", False, f"refused {url}", run_id=1, site="s", logger=logger)
            try:
                raise ValueError(f"echo: txt-token-123 {json.dumps({'sign': 'a+b/c='})}")
            except ValueError:
                logger.exception("boom %s", "a%2bb%2fc%3d")
        out = capsys.readouterr()
        printed = out.out + out.err
        assert "refused" in printed
        assert "boom" in printed
        assert MASK in printed
        for leak in ("txt-token-123", "a+b/c=", "a%2Bb%2Fc%3D", "a%2bb%2fc%3d", "a+b\\/c="):
            assert leak not in printed, (log_format, leak)


def test_a_detail_is_clipped_after_redaction_never_through_a_secret() -> None:
    register_url("https://hooks.example.cn/x?key=clip-secret-value")
    detail = delivery_detail("x" * 290 + " clip-secret-value\nand more")
    assert "clip-" not in detail
    assert detail.endswith("…")
    assert len(detail) <= 300
    assert redact("no secret here") == "no secret here"


def test_the_longest_registered_form_wins_and_unregistered_text_is_kept() -> None:
    register("zq-prefix-7", "zq-prefix-7-and-more")
    assert (
        redact("a zq-prefix-7-and-more b zq-prefix-7x zq-prefix-") == "a [redacted] b [redacted]x zq-prefix-"
    )
    assert redact("ZQ-PREFIX-7") == "ZQ-PREFIX-7"  # a secret is case-sensitive; only %XX hex is not
    forget()
    assert redact("zq-prefix-7") == "zq-prefix-7"


def test_redaction_cost_grows_linearly_with_the_line() -> None:
    """A log line is scanned once: 8x the text costs about 8x the CPU, not 64x."""
    register(*(f"zq-secret-{i:02d}-{'x' * 20}" for i in range(40)))
    redact("warm-up")  # compiles the pattern

    def cost(n: int) -> float:
        line = "https://site.example.cn/page?a=1 zq-secret " * n
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            for _ in range(20):
                redact(line)
            best = min(best, time.process_time() - start)
        return best

    assert cost(800) / max(cost(100), 1e-6) < 20


def test_a_bug_in_a_channel_logs_its_traceback_redacted(
    monkeypatch: pytest.MonkeyPatch, echo: EchoReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected exception (a bug) quoting a secret: the delivery names the bug, the log keeps the
    traceback, and neither shows the secret, whoever's handler prints the record."""
    import asyncio

    import crawler.notify_http
    from crawler.notify import deliver
    from crawler.notify_config import NotifyConfig, WebhookConfig
    from reports.alert import trial_alert

    async def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError(f"bug while sending to {echo.base}/echo400/{_path('wecom')} key={WECOM_KEY}")

    monkeypatch.setenv("T_BUG_URL", f"{echo.base}/echo400/{_path('wecom')}")
    monkeypatch.setattr(crawler.notify_http, "send_webhook", broken)
    notify = NotifyConfig(webhooks=[WebhookConfig(kind="wecom", url_env="T_BUG_URL")])
    with caplog.at_level(logging.ERROR, logger="icp_audit.notify"):
        [delivery] = asyncio.run(
            deliver(notify, trial_alert("s", "r", "en"), lang="en", report=None, now=_now)
        )
    assert delivery.detail == "unexpected RuntimeError (a bug; see the log)"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError: bug while sending to" in logged
    for leak in _forms(WECOM_KEY):
        assert leak not in logged


def _now() -> datetime:
    return datetime.now(UTC)
