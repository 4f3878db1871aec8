"""Deliver an alert to a group robot (DingTalk, WeCom, Feishu) or a generic JSON webhook over HTTP; I/O.

Payload shapes, per each service's custom-robot documentation:
- DingTalk (open.dingtalk.com/document/group/custom-robot-access):
  {"msgtype": "markdown", "markdown": {"title": …, "text": …}}; success is {"errcode": 0, "errmsg": "ok"}.
- WeCom 企业微信 (developer.work.weixin.qq.com/document/path/91770):
  {"msgtype": "markdown", "markdown": {"content": …}} (at most 4096 bytes); success {"errcode": 0, …}.
- Feishu/Lark (open.feishu.cn/document/ukTMukTMukTM/ucTM5YjL3ETO24yNxkjN):
  {"msg_type": "post", "content": {"post": {"zh_cn": …}}}, plus "timestamp" and "sign" when signed;
  success {"code": 0, "msg": "success"} (older endpoints: {"StatusCode": 0, …}).
A robot answers HTTP 200 even when it refuses a message: the JSON code is what counts.
"""

from __future__ import annotations

import asyncio
import json
import os
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from crawler.client import LOOPBACK, USER_AGENT
from crawler.notify_config import WebhookConfig
from crawler.notify_redact import register, register_url, register_value
from crawler.notify_sign import body_signature, dingtalk_signed_url, feishu_sign
from reports.alert import Alert
from reports.alert_render import alert_markdown, alert_text, alert_title, feishu_post

RETRY_DELAY = 0.5  # seconds before the one retry after a connection error, a timeout or a 5xx
WECOM_MARKDOWN_BYTES = 4096


class NotifyFailure(Exception):
    """A notification that did not go out; the message says why. It may quote what a receiver answered,
    secrets and all: the dispatcher redacts it (`notify_redact.delivery_detail`) before anything keeps it."""


def env_value(name: str) -> str:
    """The value of the environment variable the profile names, registered as a secret for `redact`;
    NotifyFailure when it is unset or empty."""
    value = os.environ.get(name, "")
    if not value:
        raise NotifyFailure(
            f"{name} is not set (export it in icp-audit's environment; the profile's [notify] names it)"
        )
    register_value(value)
    return value


def _clip_bytes(text: str, limit: int) -> str:
    data = text.encode()
    return text if len(data) <= limit else data[: limit - 3].decode(errors="ignore") + "…"


def robot_body(kind: str, alert: Alert, lang: str, *, secret: str, now: datetime) -> dict[str, Any]:
    """The JSON body for `kind`; Feishu's carries its signature, DingTalk's goes into the URL instead."""
    if kind == "dingtalk":
        return {
            "msgtype": "markdown",
            "markdown": {"title": alert_title(alert), "text": alert_markdown(alert)},
        }
    if kind == "wecom":
        return {
            "msgtype": "markdown",
            "markdown": {"content": _clip_bytes(alert_markdown(alert), WECOM_MARKDOWN_BYTES)},
        }
    if kind == "feishu":
        body: dict[str, Any] = {"msg_type": "post", "content": feishu_post(alert, lang)}
        if secret:
            timestamp = int(now.timestamp())
            body |= {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp)}
        return body
    sent = {"sent_at": now.isoformat(), "title": alert_title(alert), "text": alert_text(alert)}
    return {**alert.payload, **sent}


def _robot_verdict(kind: str, response: httpx.Response, host: str) -> str:
    if kind == "json":
        if response.is_success:
            return f"HTTP {response.status_code} from {host}"
        raise NotifyFailure(f"HTTP {response.status_code} from {host}")
    if response.status_code != 200:
        raise NotifyFailure(f"HTTP {response.status_code} from {host}")
    try:
        data = response.json()
    except ValueError:
        raise NotifyFailure(f"{host} answered HTTP 200 without a JSON body") from None
    if not isinstance(data, dict):
        raise NotifyFailure(f"{host} answered HTTP 200 with unexpected JSON")
    if kind == "feishu":
        code, message = data.get("code", data.get("StatusCode")), data.get("msg", data.get("StatusMessage"))
    else:
        code, message = data.get("errcode"), data.get("errmsg")
    if code != 0:
        raise NotifyFailure(f"{host} refused the message: code {code}: {message}")
    return f"sent to {host}"


async def _post(
    client: httpx.AsyncClient, url: str, host: str, content: bytes, headers: dict[str, str]
) -> httpx.Response:
    """POST, retrying once after a connection error, a timeout or a 5xx; errors name the host, never the URL."""
    for attempt in (1, 2):
        try:
            response = await client.post(url, content=content, headers=headers)
        except httpx.TimeoutException:
            if attempt == 2:
                raise NotifyFailure(f"timed out talking to {host}") from None
        except httpx.TransportError as exc:
            if attempt == 2:
                raise NotifyFailure(
                    f"cannot reach {host}: {type(exc).__name__}: {str(exc).replace(url, host)}"
                ) from None
        else:
            if response.status_code < 500 or attempt == 2:
                return response
        await asyncio.sleep(RETRY_DELAY)
    raise AssertionError("unreachable")


async def send_webhook(
    channel: WebhookConfig, alert: Alert, lang: str, *, http_timeout: float, now: datetime
) -> str:
    """Send `alert` to one webhook; returns a one-line detail, raises NotifyFailure when it did not go out."""
    url = env_value(channel.url_env) if channel.url_env else channel.url
    secret = env_value(channel.secret_env) if channel.secret_env else ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NotifyFailure(f"{channel.url_env or 'url'} does not hold an http(s) URL (check the variable)")
    host = parts.hostname
    if channel.kind == "dingtalk" and secret:
        url = dingtalk_signed_url(url, secret, int(now.timestamp() * 1000))
        register_url(url)  # its timestamp and sign, as sent and decoded
    body = robot_body(channel.kind, alert, lang, secret=secret, now=now)
    if "sign" in body:
        register(body["sign"])  # Feishu's signature travels in the body
    content = json.dumps(body, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
    if channel.kind == "json" and secret:
        headers["X-Icp-Audit-Signature"] = signature = body_signature(secret, content)
        register(signature, signature.removeprefix("sha256="))
    # Proxies come from the environment, except for a receiver on this machine (tests, a local relay).
    async with httpx.AsyncClient(
        timeout=http_timeout, follow_redirects=False, trust_env=host not in LOOPBACK
    ) as client:
        response = await _post(client, url, host, content, headers)
    return _robot_verdict(channel.kind, response, host)
