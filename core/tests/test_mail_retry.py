"""A relay that is down or says "later" gets the mail again later; "never" is given up."""

from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskContext
from django_tasks_db.models import DBTaskResult

from core import mail
from tests.smtp import SmtpServer, free_port

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
MESSAGE = {
    "to": ["carla@example.com"],
    "subject": "Reminder",
    "template": "email/test_mail",
    "context": {},
    "language": "en",
    "unsubscribe_url": None,
}


def _attempt(attempt: int = 1) -> int:
    """Run the task as a worker would, with its own result as context."""
    result = mail.deliver.enqueue(message=MESSAGE, attempt=attempt)
    return mail.deliver.func(TaskContext(task_result=result), message=MESSAGE, attempt=attempt)


def _retries() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(args_kwargs__kwargs__attempt__gt=1))


@pytest.fixture
def database_tasks(settings, db) -> None:
    settings.TASKS = DATABASE_TASKS


def test_try_later_is_tried_again_after_a_pause(
    database_tasks: None, smtp_server: SmtpServer
) -> None:
    smtp_server.refuse(451)
    before = timezone.now()
    assert _attempt() == 0
    [retry] = _retries()
    assert retry.args_kwargs["kwargs"] == {"message": MESSAGE, "attempt": 2}
    assert retry.task_path == "core.mail.deliver"
    assert before + timedelta(minutes=1) <= retry.run_after <= timezone.now() + timedelta(minutes=1)
    assert smtp_server.messages == []


def test_a_relay_that_is_down_is_tried_again(database_tasks: None, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_TIMEOUT = 2
    assert _attempt(3) == 0
    retry = DBTaskResult.objects.get(args_kwargs__kwargs__attempt=4)
    assert retry.run_after >= timezone.now() + mail.RETRY_DELAYS[2] - timedelta(minutes=1)


def test_a_permanent_refusal_is_given_up(database_tasks: None, smtp_server: SmtpServer) -> None:
    smtp_server.refuse(550)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        _attempt()
    assert _retries() == []


def test_the_last_attempt_is_given_up(database_tasks: None, smtp_server: SmtpServer) -> None:
    smtp_server.refuse(451)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        _attempt(mail.MAX_ATTEMPTS)
    assert DBTaskResult.objects.count() == 1  # the attempt itself, no further one


@pytest.mark.django_db
def test_the_immediate_backend_cannot_wait_and_says_so(smtp_server: SmtpServer) -> None:
    smtp_server.refuse(451)
    result = mail.deliver.enqueue(message=MESSAGE)
    assert result.status == "FAILED"
    assert result.errors[0].exception_class is smtplib.SMTPRecipientsRefused


def test_a_second_attempt_that_gets_through_sends_once(
    database_tasks: None, smtp_server: SmtpServer
) -> None:
    assert _attempt(2) == 1
    assert len(smtp_server.messages) == 1
    assert DBTaskResult.objects.count() == 1  # the attempt itself, no further one


@pytest.mark.parametrize(
    ("error", "temporary"),
    [
        (smtplib.SMTPServerDisconnected("gone"), True),
        (ConnectionRefusedError(111, "refused"), True),
        (TimeoutError("timed out"), True),
        (smtplib.SMTPResponseException(421, b"busy"), True),
        (smtplib.SMTPResponseException(554, b"no"), False),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (452, b"full")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"unknown")}), False),
        (smtplib.SMTPNotSupportedError("STARTTLS extension not supported"), False),
        (ValueError("a bug"), False),
    ],
)
def test_which_errors_are_worth_another_try(error: Exception, temporary: bool) -> None:
    assert mail.is_temporary(error) is temporary
