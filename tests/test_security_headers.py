"""Security headers on every page of the URL walk, secure cookies, the idle timeout.

Reuses the walk of test_authorization_matrix: every URL pattern is fetched as
an actor who may read it (the lead, or a manager for manager pages), plus the
public URLs, a 404 and a 403; every answer must carry the full set of headers.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.middleware import REFRESH_SECONDS, SEEN_KEY, NoStoreMiddleware
from tests.fixtures import World
from tests.test_authorization_matrix import ALL_NAMES, EXPECTED_GET, SAMPLES, _url
from tests.test_settings_and_health import _manage, _production_env
from touchpoints.models import CalendarFeed

POST_ONLY = 405  # POST-only views and logout answer a GET with 405


def _directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']}: no Content-Security-Policy header"
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def _problems(response) -> list[str]:
    path = response.request["PATH_INFO"]
    if "Content-Security-Policy" not in response:
        return [f"{path}: no Content-Security-Policy"]
    csp = _directives(response)
    problems = []
    expected = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "style-src-elem": ["'self'"],
    }
    for name, sources in expected.items():
        if csp.get(name) != sources:
            problems.append(f"{path}: CSP {name} is {csp.get(name)}, expected {sources}")
    unsafe = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'"}
    for name in ("script-src", "script-src-elem", "script-src-attr", "default-src"):
        if unsafe & set(csp.get(name, [])):
            problems.append(f"{path}: {name} allows {unsafe & set(csp[name])}")
    for header, value in {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }.items():
        if response.get(header) != value:
            problems.append(f"{path}: {header} is {response.get(header)!r}, expected {value!r}")
    return problems


def _stored(response) -> list[str]:
    """A page for a logged-in user, or a download, that a cache may keep."""
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    if {"no-store", "private"} <= directives:
        return []
    path = response.request["PATH_INFO"]
    return [f"{path}: Cache-Control is {response.get('Cache-Control')!r}, expected no-store"]


def _reader(kind: str) -> tuple[str, int]:
    """The actor who may read a URL of this kind, and the status they get."""
    # `member` is also the sample person, the only reader of their own profile.
    for actor in ("lead", "manager", "member"):
        status = EXPECTED_GET[actor].get(kind)
        if status in (200, 302):
            return actor, status
    return "lead", POST_ONLY


def test_every_page_of_the_url_walk_sends_the_security_headers(world: World) -> None:
    clients = {actor: world.client_for(actor) for actor in ("lead", "manager", "member")}
    problems: list[str] = []
    walked = 0
    for name in ALL_NAMES:
        actor, status = _reader(SAMPLES[name].kind)
        response = clients[actor].get(_url(world, name))
        assert response.status_code == status, f"{name} as {actor}"
        problems += _problems(response) + _stored(response)
        walked += 1
    assert walked == len(SAMPLES)

    # The public URLs, and the error pages.
    feed = CalendarFeed.objects.create(user=world.lead)
    for client, url, status in [
        (Client(), reverse("login"), 200),
        (Client(), reverse("healthz"), 200),
        (Client(), reverse("calendar_feed", args=[feed.token]), 200),
        (Client(), reverse("calendar_feed", args=["no-such-token"]), 404),
        (Client(), reverse("home"), 302),  # anonymous: to the login page
        (clients["lead"], "/no-such-page/", 404),
        (clients["lead"], reverse("portfolio:portfolio"), 403),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        problems += _problems(response)
        if client in clients.values():  # logged in
            problems += _stored(response)
    response = Client().post(reverse("set_language"), {"language": "de", "next": "/login/"})
    assert response.status_code == 302
    problems += _problems(response)

    assert not problems, "\n".join(problems)


def test_a_refused_csrf_post_carries_the_headers_too(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.lead)
    response = client.post(reverse("accounts:edit", args=[world.account.slug]), {})
    assert response.status_code == 403
    assert not _problems(response)


@pytest.mark.django_db
def test_https_answers_carry_hsts() -> None:
    assert settings.SECURE_HSTS_SECONDS >= 31536000
    response = Client().get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == (
        f"max-age={settings.SECURE_HSTS_SECONDS}; includeSubDomains; preload"
    )
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] is True


def test_login_over_https_sets_a_secure_httponly_session_cookie(world: World) -> None:
    world.lead.set_password("pw-for-the-cookie-test")
    world.lead.save()
    client = Client()
    response = client.post(
        reverse("login"),
        {"username": "lead", "password": "pw-for-the-cookie-test"},
        secure=True,
    )
    assert response.status_code == 302, response.content[:300]
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert "Strict-Transport-Security" in response


def test_the_session_expires_after_the_idle_time_and_each_request_extends_it(
    world: World,
) -> None:
    client = world.client_for("lead")
    home = reverse("home")
    assert client.get(home).status_code == 200
    key = client.session.session_key

    # Almost idle for too long, last seen over a minute ago: one more request
    # moves the expiry a full age on.
    session = client.session
    session[SEEN_KEY] -= REFRESH_SECONDS
    session.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(seconds=30))
    response = client.get(home)
    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
    expires = Session.objects.get(pk=key).expire_date
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((expires - expected).total_seconds()) < 60

    # Idle past the timeout: the session is gone, back to the login page.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_pages_within_a_minute_do_not_write_the_session(world: World) -> None:
    """The idle timeout must not cost a database write on every page."""
    client = world.client_for("lead")
    home = reverse("home")
    client.get(home)
    with CaptureQueriesContext(connection) as queries:
        client.get(home)
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_the_idle_timeout_comes_from_the_environment() -> None:
    code = "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"
    result = _manage(
        "shell", "--no-imports", "-c", code, env=_production_env(SESSION_IDLE_TIMEOUT_MINUTES="30")
    )
    assert result.stdout.strip() == "1800", result.stderr
    result = _manage("check", env=_production_env(SESSION_IDLE_TIMEOUT_MINUTES="0"))
    assert result.returncode != 0
    assert "SESSION_IDLE_TIMEOUT_MINUTES" in result.stderr


# Every download, as (URL name, who, URL arguments); the feed needs no login.
DOWNLOADS = [
    ("raci:export_csv", "member", "slug"),
    ("raci:export_xlsx", "member", "slug"),
    ("touchpoints:export_xlsx", "member", "slug"),
    ("whitespace:export_xlsx", "member", "slug"),
    ("touchpoints:account_ics", "member", "slug"),
    ("portfolio:export_csv", "manager", None),
    ("portfolio:export_xlsx", "manager", None),
    ("my_export", "member", None),
    ("accounts:contact_export", "lead", "contact"),
    ("accounts:account_export", "lead", "xlsx"),
    ("accounts:account_export", "manager", "json"),
    ("calendar_feed", None, "token"),
]


def test_every_download_url_is_checked() -> None:
    names = {n for n in [*ALL_NAMES, "calendar_feed"] if "export" in n or "ics" in n or "feed" in n}
    assert names == {name for name, _who, _arg in DOWNLOADS}


@pytest.mark.parametrize(("name", "who", "arg"), DOWNLOADS)
def test_downloads_are_not_stored(world: World, name: str, who: str | None, arg: str) -> None:
    args = {
        "slug": [world.account.slug],
        "token": [CalendarFeed.objects.create(user=world.lead).token],
        "contact": [world.account.slug, world.contact.pk],
        "xlsx": [world.account.slug, "xlsx"],
        "json": [world.account.slug, "json"],
        None: [],
    }[arg]
    response = world.client_for(who).get(reverse(name, args=args))
    assert response.status_code == 200
    assert "attachment" in response.get("Content-Disposition", "") or name == "calendar_feed"
    assert not _stored(response)


def test_static_files_keep_their_caching(world: World) -> None:
    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        client = world.client_for("lead")  # a new client builds the middleware anew
        response = client.get(settings.STATIC_URL.rstrip("/") + "/css/kamteam.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_page_that_sets_its_own_caching_keeps_it(world: World) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("ok")
        response["Cache-Control"] = "max-age=60"
        return response

    request = RequestFactory().get("/")
    request.user = world.lead
    assert NoStoreMiddleware(view)(request)["Cache-Control"] == "max-age=60"
