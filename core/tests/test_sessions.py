"""core.sessions: Django's database sessions, the read of each request kept compiled."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models.sql import compiler as sql_compiler
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from core.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_engine_is_the_kept_one() -> None:
    assert settings.SESSION_ENGINE == "core.sessions"


def test_a_stored_session_reads_back_and_an_unknown_or_expired_one_is_empty() -> None:
    store = SessionStore()
    store["colour"] = "red"
    store.create()
    assert SessionStore(store.session_key).load() == {"colour": "red"}

    unknown = SessionStore("x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None  # a new one is made on save, as Django does

    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None


def test_a_logged_in_request_reads_its_session_without_compiling_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse("home")).status_code == 200  # the shape is kept now
    compiled: list[str] = []
    original = sql_compiler.SQLCompiler.as_sql

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled.append(self.query.model._meta.label)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(sql_compiler.SQLCompiler, "as_sql", counted)
    with override_settings(PREPARED_QUERIES_CHECK=False):
        assert client.get(reverse("home")).status_code == 200
    assert "sessions.Session" not in compiled


def test_logging_out_ends_the_session() -> None:
    client = Client()
    client.force_login(UserFactory())
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home")).status_code == 302  # to the login page
