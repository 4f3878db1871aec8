"""Local stand-ins for the alert services on 127.0.0.1: robot webhooks that check payloads and
signatures as the real services document them, and an SMTP server (aiosmtpd) requiring STARTTLS.

Robot routes (the real services' paths, so the URLs look like the ones users paste):
- DingTalk  POST /robot/send?access_token=T[&timestamp=&sign=]          {"errcode": 0, "errmsg": "ok"}
- WeCom     POST /cgi-bin/webhook/send?key=K                            {"errcode": 0, "errmsg": "ok"}
- Feishu    POST /open-apis/bot/v2/hook/T    ("timestamp", "sign" in body) {"code": 0, "msg": "success"}
- JSON      POST /hook/json   (optional X-Icp-Audit-Signature)          204
- POST /status/500 answers 500. Signature failures use the services' documented codes (DingTalk
  310000, Feishu 19021); a malformed payload gets a stand-in code (the services' exact codes for
  that vary), which is enough: the client only has to see a non-zero code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

CERTS = Path(__file__).parents[1] / "certs"
MAX_SKEW_S = 3600  # both services refuse a timestamp more than an hour from their clock


@dataclass
class Received:
    """One request the receiver accepted or refused, and its parsed JSON body."""

    service: str
    path: str
    headers: dict[str, str]
    body: Any
    accepted: bool
    answer: dict[str, Any] | None


@dataclass
class RobotReceiver:
    """What the robots know: tokens, signing secrets, and every request seen."""

    dingtalk_token: str = "ding-token"
    dingtalk_secret: str = "SECding-secret+/="
    wecom_key: str = "wecom-key"
    feishu_token: str = "feishu-token"
    feishu_secret: str = "feishu-secret"
    json_secret: str = "json-secret"
    base: str = ""
    seen: list[Received] = field(default_factory=list)

    def of(self, service: str, *, accepted: bool = True) -> list[Received]:
        return [r for r in self.seen if r.service == service and r.accepted is accepted]


def _fresh(timestamp_s: float) -> bool:
    return abs(time.time() - timestamp_s) <= MAX_SKEW_S


def _dingtalk(robot: RobotReceiver, query: dict[str, list[str]], body: Any) -> dict[str, Any]:
    if query.get("access_token") != [robot.dingtalk_token]:
        return {"errcode": 300001, "errmsg": "token is not exist"}
    timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
    if not timestamp.isdigit() or not _fresh(int(timestamp) / 1000):
        return {"errcode": 310000, "errmsg": "invalid timestamp"}
    secret = robot.dingtalk_secret.encode()
    digest = hmac.new(secret, f"{timestamp}\n{robot.dingtalk_secret}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(sign, base64.b64encode(digest).decode()):  # parse_qs already URL-decoded it
        return {"errcode": 310000, "errmsg": "sign not match"}
    markdown = body.get("markdown") if isinstance(body, dict) else None
    if body.get("msgtype") != "markdown" or not isinstance(markdown, dict):
        return {"errcode": 40035, "errmsg": "stand-in: msgtype markdown with a markdown object expected"}
    if not all(isinstance(markdown.get(k), str) and markdown[k] for k in ("title", "text")):
        return {"errcode": 40035, "errmsg": "stand-in: markdown.title and markdown.text are required"}
    return {"errcode": 0, "errmsg": "ok"}


def _wecom(robot: RobotReceiver, query: dict[str, list[str]], body: Any) -> dict[str, Any]:
    if query.get("key") != [robot.wecom_key]:
        return {"errcode": 93000, "errmsg": "invalid webhook url"}
    markdown = body.get("markdown") if isinstance(body, dict) else None
    content = markdown.get("content") if isinstance(markdown, dict) else None
    if body.get("msgtype") != "markdown" or not isinstance(content, str) or not content:
        return {"errcode": 40008, "errmsg": "stand-in: msgtype markdown with markdown.content expected"}
    if len(content.encode()) > 4096:
        return {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
    return {"errcode": 0, "errmsg": "ok"}


def _feishu_post_ok(content: Any) -> bool:
    post = content.get("post") if isinstance(content, dict) else None
    if not isinstance(post, dict) or not post:
        return False
    for body in post.values():
        rows = body.get("content") if isinstance(body, dict) else None
        if not isinstance(body.get("title"), str) or not isinstance(rows, list):
            return False
        for row in rows:
            for element in row:
                if element.get("tag") not in ("text", "a") or not isinstance(element.get("text"), str):
                    return False
    return True


def _feishu(robot: RobotReceiver, path: str, body: Any) -> dict[str, Any]:
    if path.rsplit("/", 1)[-1] != robot.feishu_token:
        return {"code": 19001, "msg": "param invalid: incoming webhook access token invalid"}
    timestamp, sign = str(body.get("timestamp", "")), str(body.get("sign", ""))
    key = f"{timestamp}\n{robot.feishu_secret}".encode()
    expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    if not timestamp.isdigit() or not _fresh(int(timestamp)) or not hmac.compare_digest(sign, expected):
        return {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"}
    if body.get("msg_type") != "post" or not _feishu_post_ok(body.get("content")):
        return {"code": 9499, "msg": "stand-in: Bad Request (post content malformed)"}
    return {"code": 0, "msg": "success", "data": {}}


_JSON_KEYS = {"schema", "site", "run_id", "status", "counts", "new_errors", "resolved", "licence", "report"}


def _json_hook(robot: RobotReceiver, headers: dict[str, str], raw: bytes, body: Any) -> int:
    expected = "sha256=" + hmac.new(robot.json_secret.encode(), raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(headers.get("x-icp-audit-signature", ""), expected):
        return 401
    if body.get("schema") != "icp-audit/alert/v1":
        return 422
    if not body.get("test") and not set(body) >= _JSON_KEYS:
        return 422
    return 204


def _handler(robot: RobotReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            parts = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                body = json.loads(raw.decode("utf-8"))
            except ValueError:
                body = None
            if parts.path == "/status/500":
                robot.seen.append(Received("500", parts.path, headers, body, False, None))
                self._answer(500, b"oops")
                return
            if not isinstance(body, dict) or not headers.get("content-type", "").startswith(
                "application/json"
            ):
                self._answer(400, b"JSON body expected")
                return
            if parts.path == "/hook/json":
                status = _json_hook(robot, headers, raw, body)
                robot.seen.append(Received("json", parts.path, headers, body, status == 204, None))
                self._answer(status, b"")
                return
            query = parse_qs(parts.query)
            if parts.path == "/robot/send":
                service, answer = "dingtalk", _dingtalk(robot, query, body)
            elif parts.path == "/cgi-bin/webhook/send":
                service, answer = "wecom", _wecom(robot, query, body)
            elif parts.path.startswith("/open-apis/bot/v2/hook/"):
                service, answer = "feishu", _feishu(robot, parts.path, body)
            else:
                self._answer(404, b"no such route")
                return
            accepted = answer.get("errcode", answer.get("code")) == 0
            robot.seen.append(Received(service, self.path, headers, body, accepted, answer))
            self._answer(200, json.dumps(answer).encode(), "application/json")

        def _answer(self, status: int, data: bytes, content_type: str = "text/plain") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def robot_receiver() -> Iterator[RobotReceiver]:
    """Serve the robot routes on 127.0.0.1 with an OS-assigned port."""
    robot = RobotReceiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(robot))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    robot.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield robot
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Mailbox:
    """What the SMTP server received, and the login it accepts."""

    port: int = 0
    username: str = "icp-audit"
    password: str = "mail-password"
    messages: list[bytes] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == (
            self.username,
            self.password,
        )
        self.logins.append(data.login.decode() if isinstance(data, LoginPassword) else "?")
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


class _AnyPortController(Controller):
    """aiosmtpd's Controller on an OS-assigned port: the port is read back once the server listens."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    """An SMTP server on 127.0.0.1 that requires STARTTLS (tests/certs, CN and SAN 127.0.0.1) and AUTH."""
    mailbox = Mailbox()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(CERTS / "cert.pem", CERTS / "key.pem")
    controller = _AnyPortController(
        mailbox,
        hostname="127.0.0.1",
        port=0,
        tls_context=context,
        require_starttls=True,
        auth_require_tls=True,
        authenticator=mailbox.authenticate,
    )
    controller.start()
    mailbox.port = controller.port
    try:
        yield mailbox
    finally:
        controller.stop()


# ---- receivers that echo the request in their refusal (as some robots and relays do) ---------------


def request_echo(target: str, headers: dict[str, str], raw: bytes) -> str:
    """The request in every form an echoing receiver may quote it: raw, decoded, JSON (also with `\\/`),
    HTML-escaped, headers and body included."""
    body = raw.decode("utf-8", "replace")
    dumped = json.dumps({"url": target, "headers": headers, "body": body})
    go = dumped.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")  # Go's encoding/json
    forms = (target, unquote(target), dumped, dumped.replace("/", "\\/"), go, html.escape(f"{target} {body}"))
    return " | ".join((*forms, json.dumps(headers, ensure_ascii=False), body))


@dataclass
class Echoed:
    """One request an echoing receiver refused: its target as sent, its headers and its JSON body."""

    target: str
    headers: dict[str, str]
    body: Any


@dataclass
class EchoReceiver:
    """The echoing receiver's base URL and every request it refused."""

    base: str = ""
    seen: list[Echoed] = field(default_factory=list)


def _echo_handler(receiver: EchoReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        """POST /echo<status>/<any path>: answer <status> quoting the whole request; a 200 carries a
        non-zero errcode (DingTalk, WeCom) and code (Feishu) whose message is the echo."""

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = dict(self.headers.items())
            receiver.seen.append(Echoed(self.path, headers, json.loads(raw or b"null")))
            echo = request_echo(self.path, headers, raw)
            status = int(self.path.split("/")[1].removeprefix("echo"))
            if status == 200:
                data = json.dumps({"errcode": 40001, "errmsg": echo, "code": 40001, "msg": echo}).encode()
                kind = "application/json"
            else:
                data, kind = echo.encode(), "text/plain; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def echo_receiver() -> Iterator[EchoReceiver]:
    """A webhook receiver on 127.0.0.1 (OS-assigned port) refusing every request by echoing it."""
    receiver = EchoReceiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _echo_handler(receiver))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class _EchoingAuthenticator:
    """Refuses every login with a 535 line quoting it: the login, the password, AUTH PLAIN's base64."""

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        login, password = (
            (data.login.decode(), data.password.decode()) if isinstance(data, LoginPassword) else ("?", "?")
        )
        plain = base64.b64encode(f"\0{login}\0{password}".encode()).decode()
        each = f"{base64.b64encode(login.encode()).decode()} {base64.b64encode(password.encode()).decode()}"
        quoted = json.dumps({"user": login, "pass": password})
        said = f"535 5.7.8 refused AUTH {mechanism} {plain} {each} for {login}:{password} {quoted}"
        return AuthResult(success=False, handled=False, message=said)


@contextmanager
def echoing_smtp_server() -> Iterator[int]:
    """An SMTP server on 127.0.0.1 (STARTTLS, tests/certs) refusing every AUTH by echoing it; yields its port."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(CERTS / "cert.pem", CERTS / "key.pem")
    controller = _AnyPortController(
        Mailbox(),
        hostname="127.0.0.1",
        port=0,
        tls_context=context,
        require_starttls=True,
        auth_require_tls=True,
        authenticator=_EchoingAuthenticator(),
    )
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()
