"""The profile's [notify] table: channels validated strictly, secrets refused unless named by a variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.config import parse_profile
from crawler.errors import ConfigError
from crawler.notify_config import EmailConfig, WebhookConfig

BASE = """
[site]
name = "s"
start_urls = ["https://example.com/"]
[licence]
number = "陕B2-20210271"
holder = "X"
valid_until = 2026-08-30
"""


def notify_errors(table: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_profile(BASE + table, "p.toml")
    return caught.value.lines


def test_a_full_notify_table_loads_with_unique_channel_labels() -> None:
    profile = parse_profile(
        BASE
        + """
[notify]
report_url = "https://intranet.example.com/icp/"
[[notify.webhooks]]
kind = "dingtalk"
url_env = "ICP_AUDIT_DINGTALK_URL"
secret_env = "ICP_AUDIT_DINGTALK_SECRET"
[[notify.webhooks]]
kind = "dingtalk"
url_env = "ICP_AUDIT_DINGTALK_URL_2"
[[notify.webhooks]]
kind = "json"
name = "ops"
url = "https://hooks.example.com/icp"
[notify.email]
host = "smtp.example.com"
sender = "icp-audit@example.com"
recipients = ["网管 <ops@example.com>"]
username = "icp-audit"
password_env = "ICP_AUDIT_SMTP_PASSWORD"
""",
        "p.toml",
    )
    labels = [label for label, _ in profile.notify.channels()]
    assert labels == ["dingtalk", "dingtalk#2", "ops", "email"]
    email = profile.notify.email
    assert email is not None
    assert email.starttls
    assert email.port == 587


def test_no_notify_table_means_no_channels() -> None:
    assert parse_profile(BASE, "p.toml").notify.channels() == []


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        pytest.param(
            '[[notify.webhooks]]\nkind = "dingtalk"\nurl_env = "U"\nsecret = "SECabc123"',
            'secret_env = "ICP_AUDIT_SECRET"',
            id="literal-secret",
        ),
        pytest.param(
            '[[notify.webhooks]]\nkind = "dingtalk"\nurl = "https://oapi.dingtalk.com/robot/send?access_token=abc"',
            'url_env = "ICP_AUDIT_DINGTALK_URL"',
            id="robot-url-with-token",
        ),
        pytest.param(
            '[[notify.webhooks]]\nkind = "json"\nurl = "https://hooks.example.com/x?token=abc"',
            "carries credentials",
            id="json-url-with-token",
        ),
        pytest.param(
            '[[notify.webhooks]]\nkind = "json"\nurl = "https://user:pw@hooks.example.com/x"',
            "carries credentials",
            id="json-url-with-password",
        ),
        pytest.param(
            '[[notify.webhooks]]\nkind = "feishu"\nurl_env = "U"\nsecret_env = "qPLMqVrTpEwuWcCH8xGYob"',
            "is not an environment variable name",
            id="pasted-secret-as-name",
        ),
        pytest.param(
            '[[notify.webhooks]]\nkind = "wecom"\nurl_env = "U"\nsecret_env = "S"',
            "no signing secret",
            id="wecom-secret",
        ),
        pytest.param('[[notify.webhooks]]\nkind = "dingtalk"', "set url_env", id="no-url"),
        pytest.param(
            '[[notify.webhooks]]\nkind = "slack"\nurl_env = "U"', "notify.webhooks.0.kind", id="kind"
        ),
        pytest.param(
            '[notify.email]\nhost = "h"\nsender = "a@b.cn"\nrecipients = ["c@d.cn"]\npassword = "hunter2"',
            'password_env = "ICP_AUDIT_PASSWORD"',
            id="literal-password",
        ),
        pytest.param(
            '[notify.email]\nhost = "h"\nsender = "a@b.cn"\nrecipients = ["c@d.cn"]\nusername = "u"\n'
            'password_env = "P"\nstarttls = false',
            "clear text",
            id="password-without-tls",
        ),
        pytest.param(
            '[notify.email]\nhost = "h"\nsender = "a@b.cn"\nrecipients = ["not an address"]',
            "is not an e-mail address",
            id="recipient",
        ),
        pytest.param('[notify]\nreport_url = "intranet/icp"', "is not an http(s) URL", id="report-url"),
    ],
)
def test_bad_notify_tables_are_refused_with_a_hint(table: str, expected: str) -> None:
    errors = notify_errors(table)
    assert len(errors) == 1
    assert errors[0].startswith("notify")
    assert expected in errors[0]


def test_an_error_never_echoes_a_pasted_secret_in_full() -> None:
    secret = "SEC" + "a1b2c3d4" * 8
    errors = notify_errors(f'[[notify.webhooks]]\nkind = "dingtalk"\nurl_env = "U"\nsecret_env = "{secret}"')
    assert secret not in errors[0]


def test_labels_default_to_the_kind() -> None:
    assert WebhookConfig(kind="wecom", url_env="X").label == "wecom"
    assert WebhookConfig(kind="json", name="ops", url="https://h.cn/x").label == "ops"


def test_implicit_tls_and_starttls_are_exclusive() -> None:
    with pytest.raises(ValueError, match="starttls = false"):
        EmailConfig(host="h", sender="a@b.cn", recipients=["c@d.cn"], ssl=True)
    assert EmailConfig(host="h", sender="a@b.cn", recipients=["c@d.cn"], ssl=True, starttls=False).ssl


def test_the_commented_notify_example_is_a_valid_profile_once_uncommented() -> None:
    example = (Path(__file__).parents[2] / "icp-audit.example.toml").read_text(encoding="utf-8")
    head, notify = example.split("\n[notify]", 1)
    lines = [
        line[2:] if line.startswith("# ") else "" if line == "#" else line for line in notify.splitlines()
    ]
    profile = parse_profile(head + "\n[notify]" + "\n".join(lines), "icp-audit.example.toml")
    kinds = [type(channel).__name__ for _, channel in profile.notify.channels()]
    assert kinds == ["WebhookConfig", "WebhookConfig", "EmailConfig"]
