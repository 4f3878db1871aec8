"""Signatures the group robots check (DingTalk, Feishu) and ours for the JSON webhook; pure.

DingTalk custom robot, 加签 (open.dingtalk.com/document/group/custom-robot-access, as quoted in the
"钉钉自定义机器人加签" guides): string_to_sign = f"{timestamp}\\n{secret}" with timestamp in
milliseconds; sign = urlEncode(base64(HmacSHA256(key=secret, msg=string_to_sign))); both go into the
webhook URL's query, and the timestamp must be within one hour of the server's clock (errcode 310000
"sign not match" / "invalid timestamp" otherwise).

Feishu/Lark custom bot, 签名校验 (open.feishu.cn/document/ukTMukTMukTM/ucTM5YjL3ETO24yNxkjN): the key
is f"{timestamp}\\n{secret}" with timestamp in seconds and the message is empty:
sign = base64(HmacSHA256(key=string_to_sign, msg=b"")); "timestamp" (a string) and "sign" go into the
JSON body; more than an hour off is code 19021 "sign match fail or timestamp is not within one hour".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote_plus


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The base64 signature DingTalk expects (not yet URL-encoded)."""
    message = f"{timestamp_ms}\n{secret}".encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """The webhook URL with `timestamp` and the URL-encoded `sign` appended to its query."""
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={quote_plus(dingtalk_sign(secret, timestamp_ms))}"


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """The base64 signature Feishu expects: HMAC-SHA256 keyed by "timestamp\\nsecret" over nothing."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def body_signature(secret: str, body: bytes) -> str:
    """Our JSON webhook's X-Icp-Audit-Signature: "sha256=" + hex HMAC-SHA256 of the exact body bytes."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
