"""The profile's `[notify]` table: alert channels whose secrets live only in environment variables; pure.

A literal secret (`secret = "…"`, a robot URL carrying its access token, a password) is refused at
validation with a hint naming the `*_env` key to use instead; the variables are read at send time.
"""

from __future__ import annotations

import re
from email.utils import parseaddr
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

WebhookKind = Literal["dingtalk", "wecom", "feishu", "json"]

# Keys people write when they paste a secret straight into the profile.
_LITERAL_SECRET_KEYS = ("secret", "password", "token", "access_token", "key", "api_key", "sign", "username")
# POSIX names environment variables with upper-case letters, digits and underscores; a pasted secret
# (DingTalk "SEC…" plus lower-case hex, a WeCom key UUID, a Feishu token) never looks like that.
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,127}")
_CREDENTIAL_PARAM = re.compile(r"token|key|secret|sign|pass|auth|access", re.IGNORECASE)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _refuse_literal_secrets(data: Any, *, allowed: tuple[str, ...] = ()) -> Any:
    if isinstance(data, dict):
        for key in _LITERAL_SECRET_KEYS:
            if key in data and key not in allowed:
                # A token or key belongs to the webhook URL: the whole URL goes into one variable.
                named = f"{key}_env" if key in ("secret", "password", "username") else "url_env"
                raise ValueError(
                    f"{key} = …: secrets are never written in the profile; export it in an environment "
                    f'variable and name that here: {named} = "ICP_AUDIT_{named[:-4].upper()}"'
                )
    return data


def _env_name(value: str, key: str) -> str:
    if value and not _ENV_NAME.fullmatch(value):
        raise ValueError(
            f"{value[:12]!r}… is not an environment variable name (write the variable's name, upper-case, "
            f'e.g. {key} = "ICP_AUDIT_DINGTALK_SECRET", and export the value there)'
        )
    return value


def url_has_credentials(url: str) -> bool:
    """Whether a URL embeds something secret: a password, or a query parameter named like a token."""
    parts = urlsplit(url)
    return bool(parts.password) or any(_CREDENTIAL_PARAM.search(k) for k, _ in parse_qsl(parts.query))


class WebhookConfig(_Strict):
    """One HTTP channel: a DingTalk, WeCom or Feishu group robot, or a generic JSON webhook."""

    kind: WebhookKind
    name: str = ""  # label in logs and `icp-audit runs`; default the kind
    url: str = ""  # json only: a URL carrying no credentials
    url_env: str = ""  # variable holding the URL (robot URLs carry their access token)
    secret_env: str = ""  # dingtalk/feishu: signing secret; json: HMAC key of X-Icp-Audit-Signature

    @model_validator(mode="before")
    @classmethod
    def _no_literal_secret(cls, data: Any) -> Any:
        return _refuse_literal_secrets(data)

    @field_validator("url_env", "secret_env")
    @classmethod
    def _names(cls, value: str, info: ValidationInfo) -> str:
        return _env_name(value, info.field_name or "secret_env")

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        parts = urlsplit(url)
        if url and (parts.scheme not in ("http", "https") or not parts.hostname):
            raise ValueError(f"{url!r} is not an http(s) URL (write it like https://hooks.example.com/icp)")
        return url

    @model_validator(mode="after")
    def _one_url(self) -> WebhookConfig:
        if bool(self.url) == bool(self.url_env):
            raise ValueError(
                f"{self.kind} webhook: set url_env (the variable holding the URL), or url for json"
            )
        if self.url and self.kind != "json":
            raise ValueError(
                f"url = …: a {self.kind} robot URL carries its access token; export it in an environment "
                f'variable and name that: url_env = "ICP_AUDIT_{self.kind.upper()}_URL"'
            )
        if self.url and url_has_credentials(self.url):
            raise ValueError(
                "url = …: this URL carries credentials (a password or token parameter); export it and "
                'name the variable: url_env = "ICP_AUDIT_WEBHOOK_URL"'
            )
        if self.secret_env and self.kind == "wecom":
            raise ValueError(
                "secret_env: WeCom robots have no signing secret (the key is in the URL: url_env)"
            )
        return self

    @property
    def label(self) -> str:
        """The channel's name in logs and records."""
        return self.name or self.kind


class EmailConfig(_Strict):
    """E-mail over SMTP: STARTTLS by default (or implicit TLS), optional login, the report attached."""

    host: str = Field(min_length=1)
    port: int = Field(587, ge=1, le=65535)
    starttls: bool = True  # upgrade the connection with STARTTLS; refuse to send when the server lacks it
    ssl: bool = False  # implicit TLS from the first byte (port 465) instead of STARTTLS
    ca_file: str = ""  # PEM file of the CA that signed the server's certificate; empty = system store
    username: str = ""
    username_env: str = ""
    password_env: str = ""
    sender: str = Field(min_length=3)
    recipients: list[str] = Field(min_length=1)
    subject: str = "[icp-audit]"  # prefix of every subject line
    attach_report: bool = True
    timeout: float = Field(20.0, gt=0, le=300)

    @model_validator(mode="before")
    @classmethod
    def _no_literal_secret(cls, data: Any) -> Any:
        return _refuse_literal_secrets(data, allowed=("username",))

    @field_validator("username_env", "password_env")
    @classmethod
    def _names(cls, value: str, info: ValidationInfo) -> str:
        return _env_name(value, info.field_name or "secret_env")

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        return _address(value)

    @field_validator("recipients")
    @classmethod
    def _recipients(cls, values: list[str]) -> list[str]:
        return [_address(v) for v in values]

    @field_validator("subject")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\n" in value or "\r" in value:
            raise ValueError("the subject prefix must be one line")
        return value

    @model_validator(mode="after")
    def _safe_login(self) -> EmailConfig:
        if self.ssl and self.starttls:
            raise ValueError("ssl = true is implicit TLS (port 465): set starttls = false with it")
        if self.username and self.username_env:
            raise ValueError("set username or username_env, not both")
        if self.password_env and not (self.username or self.username_env):
            raise ValueError("password_env needs a username (username or username_env)")
        if self.password_env and not (self.starttls or self.ssl):
            raise ValueError("password_env without starttls or ssl would send the password in clear text")
        return self


def _address(value: str) -> str:
    _, address = parseaddr(value)
    if "@" not in address or "\n" in value or "\r" in value:
        raise ValueError(f"{value!r} is not an e-mail address (write it like ops@example.com)")
    return value


class NotifyConfig(_Strict):
    """Where alerts go after a run, and what they link to."""

    report_url: str = ""  # base URL where the report folder is served; alerts link <report_url>/run-<id>.html
    every_run: bool = False  # also alert after a run with nothing new (a nightly summary)
    timeout: float = Field(10.0, gt=0, le=120)  # per HTTP request to a webhook
    webhooks: list[WebhookConfig] = []
    email: EmailConfig | None = None

    @field_validator("report_url")
    @classmethod
    def _base_url(cls, url: str) -> str:
        parts = urlsplit(url)
        if url and (parts.scheme not in ("http", "https") or not parts.hostname):
            raise ValueError(f"{url!r} is not an http(s) URL (e.g. https://intranet.example.com/icp-audit/)")
        if url and url_has_credentials(url):
            raise ValueError("report_url carries credentials; alerts are forwarded, so link without them")
        return url

    def env_names(self) -> list[str]:
        """Every environment variable a channel reads a secret from (its `*_env` keys that are set)."""
        configs: list[BaseModel] = [*self.webhooks, *([self.email] if self.email else [])]
        names = (getattr(c, key) for c in configs for key in type(c).model_fields if key.endswith("_env"))
        return [name for name in names if name]

    def channels(self) -> list[tuple[str, WebhookConfig | EmailConfig]]:
        """Every configured channel with its unique label (a repeated label gets #2, #3, …)."""
        found: list[tuple[str, WebhookConfig | EmailConfig]] = []
        seen: dict[str, int] = {}
        configs: list[WebhookConfig | EmailConfig] = [*self.webhooks, *([self.email] if self.email else [])]
        for channel in configs:
            base = channel.label if isinstance(channel, WebhookConfig) else "email"
            seen[base] = seen.get(base, 0) + 1
            found.append((base if seen[base] == 1 else f"{base}#{seen[base]}", channel))
        return found
