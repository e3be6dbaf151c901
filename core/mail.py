"""E-mail from kamteam: one message with a plain-text and an HTML part, sent by the worker.

A web request never talks to the mail server: it calls `send_later()`, which
hands the message to the task worker once the request's transaction has
committed (README, "Production: background work"). The worker renders both
parts in the recipient's language and sends them through Django's e-mail
backend (SMTP in production). A relay that is down or answers "try later"
(4xx) gets the message again after a pause, a few times; a permanent refusal
(5xx) is logged and given up.

A message is a template pair `<template>.txt` and `<template>.html`, each
extending `email/base.txt` / `email/base.html`. Links in mails must be
absolute: use `{% mail_url "name" ... %}` or `|absolute` (`{% load mail %}`),
which start them with `KAMTEAM_BASE_URL`.
"""

from __future__ import annotations

import json
import logging
import smtplib
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django_tasks import TaskContext, task

from core.validators import validate_plain_email

logger = logging.getLogger(__name__)

# Pauses before the 2nd, 3rd, ... attempt when the relay is unreachable or
# answers "try later": about a day's outage in all, then the mail is given up.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
    timedelta(hours=16),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def base_url() -> str:
    """The address people reach kamteam at (settings.KAMTEAM_BASE_URL, no trailing slash)."""
    return settings.KAMTEAM_BASE_URL.rstrip("/")


def absolute_url(location: str) -> str:
    """`location` as a link a mail program can open: "/me/" becomes "https://host/me/"."""
    if location.startswith(("https://", "http://")):
        return location
    if not location.startswith("/") or location.startswith("//"):
        raise ValueError(f"expected a path starting with one /, or an absolute URL: {location!r}")
    return base_url() + location


def _language(language: str | None) -> str:
    code = language or settings.LANGUAGE_CODE
    if code not in {known for known, _name in settings.LANGUAGES}:
        raise ValueError(f"unknown language {code!r}: one of {settings.LANGUAGES!r}")
    return code


def _recipients(to: str | Sequence[str]) -> list[str]:
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        raise ValueError("a mail needs at least one recipient")
    for address in recipients:
        try:
            validate_plain_email(address)
        except ValidationError as error:
            raise ValueError(f"not a plain e-mail address: {address!r}") from error
    return recipients


def build_message(
    *,
    to: str | Sequence[str],
    subject: str | Promise,
    template: str,
    context: Mapping[str, Any],
    language: str | None = None,
    unsubscribe_url: str | None = None,
    sender: str | None = None,
) -> EmailMultiAlternatives:
    """The message, rendered in `language` (the recipient's; default LANGUAGE_CODE).

    `subject` may be lazy (gettext_lazy): it is translated here, in `language`.
    `unsubscribe_url` (a path or an absolute URL) adds the link to the footer
    and the RFC 8058 one-click headers, so mail programs offer "Unsubscribe":
    that URL must accept a POST without login or CSRF token. `sender` replaces
    DEFAULT_FROM_EMAIL (error reports come from SERVER_EMAIL).
    """
    language = _language(language)
    with translation.override(language):
        # One line: a header may not break, and a long subject is folded by the encoder.
        subject_line = " ".join(str(subject).split())
        unsubscribe = absolute_url(unsubscribe_url) if unsubscribe_url else None
        data = {
            **context,
            "subject": subject_line,
            "base_url": base_url(),
            "unsubscribe_url": unsubscribe,
            "LANGUAGE_CODE": language,
        }
        text = render_to_string(f"{template}.txt", data)
        html = render_to_string(f"{template}.html", data)
    headers = {
        "Content-Language": language,
        # No vacation replies or bounces to the robot (RFC 3834; Exchange's own header).
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject_line, body=text, from_email=sender, to=_recipients(to), headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def send_now(**message: Any) -> int:
    """Build and send at once (arguments of build_message): for the worker and commands only.

    Never call it while answering a request: a slow relay would hold the
    page; use send_later(). Returns the number of messages sent (1).
    """
    built = build_message(**message)  # a template error must not open a connection first
    with get_connection() as connection:
        return connection.send_messages([built])


def send_later(
    *,
    to: str | Sequence[str],
    subject: str | Promise,
    template: str,
    context: Mapping[str, Any],
    language: str | None = None,
    unsubscribe_url: str | None = None,
    sender: str | None = None,
) -> None:
    """Have the task worker send this mail once the current transaction commits.

    A mail about a change that is rolled back never leaves. The arguments are
    those of build_message(); `context` must be JSON (strings, numbers, lists,
    dicts: pass names and URLs, not model instances), since the worker may be
    another process on another machine. Mistakes (an unknown template or
    language, a context that is no JSON, a bad address) raise here, in the
    caller, not later in the worker.
    """
    language = _language(language)
    with translation.override(language):
        subject_line = str(subject)
    job = {
        "to": _recipients(to),
        "subject": subject_line,
        "template": template,
        "context": dict(context),
        "language": language,
        "unsubscribe_url": unsubscribe_url,
    }
    if sender:  # only then: a worker of the former release knows no "sender"
        job["sender"] = sender
    if unsubscribe_url:
        absolute_url(unsubscribe_url)  # a bad one raises here
    try:
        json.dumps(job)
    except TypeError as error:
        raise TypeError(f"send_later(): the context must be JSON: {error}") from error
    get_template(f"{template}.txt")
    get_template(f"{template}.html")

    def enqueue_mail() -> None:
        deliver.enqueue(message=job)

    # robust: a queue that is down is logged; the request's committed work stands.
    # A function, not a partial: Django names the callback in that log line, and
    # a partial has no __qualname__, which turned the logging into a 500 outside
    # a transaction (tests/test_two_app_servers.py, Redis down).
    transaction.on_commit(enqueue_mail, robust=True)


def is_temporary(error: Exception) -> bool:
    """Whether sending again later may succeed: no connection, a timeout, or a 4xx answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(400 <= code < 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPException):
        return False  # e.g. STARTTLS asked of a relay without it: the settings, not the relay
    return isinstance(error, OSError)  # a refused connection, a timeout, a DNS failure


@task(takes_context=True)
def deliver(context: TaskContext, message: dict[str, Any], attempt: int = 1) -> int:
    """Send one message (the task behind send_later); try again later if the relay may recover.

    `message` holds the arguments of build_message(). Returns the number of
    messages sent: 1, or 0 when the attempt failed and the next is queued.
    """
    try:
        return send_now(**message)
    except Exception as error:
        if not is_temporary(error) or attempt >= MAX_ATTEMPTS:
            logger.error(
                "Mail to %s given up after %d attempt(s): %r", message["to"], attempt, error
            )
            raise
        this = context.task_result.task
        if not this.get_backend().supports_defer:
            raise  # the immediate backend (tests) cannot wait
        pause = RETRY_DELAYS[attempt - 1]
        logger.warning("Mail to %s failed (%r); trying again in %s", message["to"], error, pause)
        this.using(run_after=timezone.now() + pause).enqueue(message=message, attempt=attempt + 1)
        return 0
