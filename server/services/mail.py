"""Sending mail over SMTP when the installation has a mail server (`ANSLAG_SMTP_*`).

A message that cannot be sent is logged and dropped: mail tells people what
the pages already show (a submission's status link, a moderator's decision),
so a mail server that is away never stops the work that caused the message.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from server.settings import Settings

logger = logging.getLogger(__name__)
TIMEOUT_S = 15


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def mail_enabled(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def send_mail(settings: Settings, mail: Mail) -> bool:
    """Send `mail`; whether the server took it. False, logged, when it could not be sent."""
    if not settings.smtp_host:
        return False
    message = EmailMessage()
    message["From"] = formataddr((settings.municipality_name, settings.smtp_from))
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or None)
    message.set_content(mail.body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_S) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username and settings.smtp_password is not None:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("could not send mail %r to %s: %s", mail.subject, mail.to, exc)
        return False
    return True
