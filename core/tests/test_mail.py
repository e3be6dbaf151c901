"""Mails through a real SMTP server (tests/smtp.py): both parts, headers, language, links."""

from __future__ import annotations

from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from core import mail
from tests.smtp import SmtpServer

BASE = "https://kamteam.example.com"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

SAMPLE_TXT = """{% extends "email/base.txt" %}{% load i18n mail %}{% block content %}\
{% translate "English" %}: {{ company }}

{% mail_url "my_touchpoints" %}
{{ "/accounts/nordwind/"|absolute }}{% endblock %}"""
SAMPLE_HTML = """{% extends "email/base.html" %}{% load i18n mail %}{% block content %}
<p style="margin:0 0 16px;">{% translate "English" %}: {{ company }}</p>
{% mail_url "my_touchpoints" as url %}{% include "email/_button.html" with url=url label=company %}
<p><a href="{{ '/accounts/nordwind/'|absolute }}" style="color:#0b4f6c;">{{ company }}</a></p>
{% endblock %}"""


@pytest.fixture(autouse=True)
def sample_templates(settings, tmp_path: Path) -> None:
    """A mail as later features write them: extends the base pair, links with mail_url."""
    (tmp_path / "email").mkdir()
    (tmp_path / "email" / "sample.txt").write_text(SAMPLE_TXT)
    (tmp_path / "email" / "sample.html").write_text(SAMPLE_HTML)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    settings.KAMTEAM_BASE_URL = BASE


def _sample(**overrides: object) -> dict[str, object]:
    return {
        "to": "carla@example.com",
        "subject": _("English"),
        "template": "email/sample",
        "context": {"company": "Müller & Söhne <GmbH>"},
        "language": "de",
        **overrides,
    }


def _parts(message: EmailMessage) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    # Lines end in CRLF on the wire.
    return text.get_content().replace("\r\n", "\n"), html.get_content().replace("\r\n", "\n")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.tags: set[str] = set()
        self.unstyled: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        found = dict(attrs)
        if tag == "a":
            self.hrefs.append(found["href"] or "")
            if "style" not in found:
                self.unstyled.append(tag)


def test_a_mail_arrives_in_both_parts_in_the_recipients_language(
    smtp_server: SmtpServer,
) -> None:
    assert mail.send_now(**_sample()) == 1
    [message] = smtp_server.messages
    assert smtp_server.envelopes == [("kamteam@localhost", ["carla@example.com"])]
    assert message["To"] == "carla@example.com"
    assert message["From"] == "kamteam <kamteam@localhost>"
    assert message["Subject"] == "Englisch"  # the lazy subject, translated for the recipient
    assert message["Content-Language"] == "de"
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = _parts(message)
    assert "Englisch: Müller & Söhne <GmbH>" in text  # plain text is not HTML-escaped
    assert "Key-Account-Teammanagement" in text and "Key-Account-Teammanagement" in html
    assert '<html lang="de">' in html
    assert "Englisch: Müller &amp; Söhne &lt;GmbH&gt;" in html
    assert "<" not in text.replace("<GmbH>", "")  # no markup in the text part


def test_english_for_an_english_reader(smtp_server: SmtpServer) -> None:
    mail.send_now(**_sample(language="en"))
    [message] = smtp_server.messages
    text, html = _parts(message)
    assert message["Subject"] == "English" and message["Content-Language"] == "en"
    assert "Key account team management" in text and '<html lang="en">' in html


def test_every_link_is_absolute_in_both_parts(smtp_server: SmtpServer) -> None:
    mail.send_now(**_sample(unsubscribe_url="/unsubscribe/abc/"))
    text, html = _parts(smtp_server.messages[0])
    links = _Links()
    links.feed(html)
    assert links.hrefs == [
        f"{BASE}/me/touchpoints/",
        f"{BASE}/accounts/nordwind/",
        f"{BASE}/unsubscribe/abc/",
    ]
    for href in links.hrefs:
        assert href in text  # each on a line of its own in the plain text too
    assert f"\n{BASE}/me/touchpoints/\n" in text


def test_html_is_simple_enough_for_outlook_and_a_phone(smtp_server: SmtpServer) -> None:
    mail.send_now(**_sample())
    _text, html = _parts(smtp_server.messages[0])
    parsed = _Links()
    parsed.feed(html)
    assert not parsed.tags & {"style", "link", "script", "img", "form"}
    assert not parsed.unstyled  # links carry their colours inline
    assert "max-width:600px" in html and "font-size:16px" in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<!--[if mso]>" in html  # Outlook's fixed-width frame


def test_one_click_unsubscribe_headers(smtp_server: SmtpServer) -> None:
    mail.send_now(**_sample(unsubscribe_url="/unsubscribe/abc/"))
    message = smtp_server.messages[0]
    assert message["List-Unsubscribe"] == f"<{BASE}/unsubscribe/abc/>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = _parts(message)
    assert f"{BASE}/unsubscribe/abc/" in text and f'href="{BASE}/unsubscribe/abc/"' in html


def test_without_an_unsubscribe_url_no_unsubscribe_headers(smtp_server: SmtpServer) -> None:
    mail.send_now(**_sample())
    message = smtp_server.messages[0]
    assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None
    assert "unsubscribe" not in _parts(message)[0].lower()


def test_a_subject_is_one_line(smtp_server: SmtpServer) -> None:
    mail.send_now(**_sample(subject="Hello\r\nBcc: everyone@example.com"))
    message = smtp_server.messages[0]
    assert message["Subject"] == "Hello Bcc: everyone@example.com"
    assert message["Bcc"] is None


@pytest.mark.django_db
def test_send_later_sends_nothing_during_the_request(
    smtp_server: SmtpServer, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        mail.send_later(**_sample())
        assert not DBTaskResult.objects.exists()  # not before the commit
    assert len(callbacks) == 1
    task = DBTaskResult.objects.get()
    assert task.task_path == "core.mail.deliver"
    assert task.args_kwargs["kwargs"]["message"]["to"] == ["carla@example.com"]
    assert task.args_kwargs["kwargs"]["message"]["subject"] == "Englisch"
    assert smtp_server.messages == []  # the worker sends it, not the request


@pytest.mark.django_db
def test_a_rolled_back_change_sends_no_mail(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                mail.send_later(**_sample())
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    assert callbacks == [] and smtp_server.messages == []


@pytest.mark.django_db
def test_send_later_with_the_immediate_backend_delivers_after_the_commit(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        mail.send_later(**_sample(to=["a@example.com"]))
        assert smtp_server.messages == []
    assert [m["To"] for m in smtp_server.messages] == ["a@example.com"]


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"template": "email/nothing"}, TemplateDoesNotExist),
        ({"context": {"when": object()}}, TypeError),
        ({"to": "x@example.com?bcc=y@example.com"}, ValueError),
        ({"to": []}, ValueError),
        ({"language": "fr"}, ValueError),
        ({"unsubscribe_url": "unsubscribe/"}, ValueError),
    ],
)
@pytest.mark.django_db
def test_mistakes_raise_in_the_caller_not_in_the_worker(change: dict, error: type) -> None:
    with pytest.raises(error):
        mail.send_later(**_sample(**change))


@pytest.mark.django_db
def test_the_test_mail_command_sends_at_once(smtp_server: SmtpServer) -> None:
    call_command("send_test_mail", "admin@example.com", "--now", "--language", "de")
    [message] = smtp_server.messages
    text, html = _parts(message)
    assert message["To"] == "admin@example.com"
    assert f"{BASE}/" in text and f'href="{BASE}/"' in html


@pytest.mark.django_db
def test_the_test_mail_command_queues_for_the_worker(
    smtp_server: SmtpServer, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_test_mail", "admin@example.com")
    assert DBTaskResult.objects.filter(task_path="core.mail.deliver").count() == 1
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_the_test_mail_command_names_a_refusing_server(smtp_server: SmtpServer) -> None:
    smtp_server.refuse(550)
    with pytest.raises(CommandError, match="refused"):
        call_command("send_test_mail", "admin@example.com", "--now")
    with pytest.raises(CommandError, match="plain e-mail address"):
        call_command("send_test_mail", "not-an-address", "--now")
