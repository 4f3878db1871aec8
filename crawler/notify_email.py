"""Deliver an alert by e-mail over SMTP: STARTTLS (or implicit TLS) with verified certificates; I/O.

The body is the alert as plain text; the run's HTML report is attached as text/html. Blocking
(smtplib): the dispatcher runs it in a worker thread.
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from crawler.notify_config import EmailConfig
from crawler.notify_http import NotifyFailure, env_value
from crawler.notify_redact import register_login
from reports.alert import Alert
from reports.alert_render import alert_text, alert_title

MAX_ATTACHMENT_BYTES = 10_000_000  # larger reports are linked, not attached (mail servers cap size)


def build_message(config: EmailConfig, alert: Alert, *, report: Path | None, now: datetime) -> EmailMessage:
    """The e-mail: subject prefix + title, plain-text body, the HTML report attached when it fits."""
    message = EmailMessage()
    message["Subject"] = " ".join(f"{config.subject} {alert_title(alert)}".split())
    message["From"] = config.sender
    message["To"] = ", ".join(config.recipients)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=config.sender.rsplit("@", 1)[-1].strip(" >") or None)
    message.set_content(alert_text(alert))
    fits = report is not None and report.is_file() and report.stat().st_size <= MAX_ATTACHMENT_BYTES
    if config.attach_report and report is not None and fits:
        message.add_attachment(report.read_text(encoding="utf-8"), subtype="html", filename=report.name)
    return message


def _tls_context(config: EmailConfig) -> ssl.SSLContext:
    try:
        return ssl.create_default_context(cafile=config.ca_file or None)
    except (OSError, ssl.SSLError) as exc:
        raise NotifyFailure(f"ca_file {config.ca_file}: cannot load it ({exc}); name a PEM CA file") from None


def _login(config: EmailConfig) -> tuple[str, str] | None:
    username = env_value(config.username_env) if config.username_env else config.username
    if not config.password_env:
        return None
    password = env_value(config.password_env)
    register_login(username, password)
    return username, password


def send_email(config: EmailConfig, message: EmailMessage) -> str:
    """Send the message; returns a one-line detail, raises NotifyFailure when it did not go out."""
    login = _login(config)  # an unset variable fails before any connection
    context = _tls_context(config) if (config.starttls or config.ssl) else None
    where = f"{config.host}:{config.port}"
    try:
        smtp = (
            smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
            if config.ssl
            else smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        )
        with smtp:
            smtp.ehlo()
            if config.starttls:
                if not smtp.has_extn("starttls"):
                    raise NotifyFailure(f"{where} does not offer STARTTLS (starttls = true requires it)")
                smtp.starttls(context=context)
                smtp.ehlo()
            if login:
                smtp.login(*login)
            refused = smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise NotifyFailure(f"{where} refused the login: {exc.smtp_code} {_said(exc.smtp_error)}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise NotifyFailure(f"{where} refused every recipient: {', '.join(exc.recipients)}") from None
    except smtplib.SMTPResponseException as exc:
        raise NotifyFailure(f"{where} answered {exc.smtp_code} {_said(exc.smtp_error)}") from None
    except ssl.SSLError as exc:
        raise NotifyFailure(f"TLS with {where} failed: {exc.reason or exc} (check ca_file)") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise NotifyFailure(f"cannot send through {where}: {type(exc).__name__}: {exc}") from None
    count = len(config.recipients)
    return f"sent through {where} to {count - len(refused)} of {count} recipients"


def _said(text: bytes | str) -> str:
    said = text.decode(errors="replace") if isinstance(text, bytes) else text
    return " ".join(said.split())  # clipped after redaction, by the dispatcher
