"""The deployment kit end to end: Debian's nginx with TLS in front of gunicorn.

Once per module: a self-signed certificate made with openssl, collectstatic
into a folder of its own, gunicorn started with deploy/gunicorn.conf.py and
nginx with the site deploy/render.py makes of deploy/nginx/kamteam.conf, both
on free loopback ports, both with the environment of deploy/env.example
(test values only where the file has placeholders). Then the tests walk over
HTTPS with requests, as a browser would: login, a workspace page, a form,
static files, /healthz/.

gunicorn works on the test database (PostgreSQL: another process must see
it), so the tests are transactional and create their data with the factories.
Without nginx or openssl they are skipped, unless KAMTEAM_REQUIRE_BROWSER is
set (as in CI, whose .ci/run installs both): then they fail.
"""

from __future__ import annotations

import getpass
import gzip
import os
import re
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from accounts.models import CustomerContact, KeyAccount
from deploy import render
from deploy.tests.kit import ENV_EXAMPLE, GUNICORN_CONF, ROOT, find_program, read_env_file
from deploy.tests.kit import require_or_skip as _require_or_skip
from documents.models import DocumentCategory, DocumentFile
from tests.factories import KeyAccountFactory, TeamMemberFactory, UserFactory, role
from tests.smtp import free_port

pytestmark = pytest.mark.django_db(transaction=True)

HOST = "localhost"
PASSWORD = "deploy-kit-pass-42"
HSTS = "max-age=31536000; includeSubDomains; preload"
HASHED_NAME = re.compile(r"/static/[\w/.-]+\.[0-9a-f]{12}\.(?:css|js)")
START_SECONDS = 60  # gunicorn on a busy two-core CI machine
STOP_SECONDS = 30

# The main nginx.conf around the site, as Debian's /etc/nginx/nginx.conf is,
# with its defaults the site must override (TLSv1, gzip on), and every path
# nginx writes to in the test's folder.
MAIN_CONF = """\
daemon off;
master_process on;
worker_processes 1;
{user}
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{
    worker_connections 64;
}}
http {{
    sendfile on;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    gzip on;
    access_log {folder}/nginx-access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/kamteam.conf;
}}
"""


@dataclass(frozen=True)
class Deployment:
    https: str  # https://localhost:<port>
    http: str
    https_port: int
    cert: Path
    static_root: Path
    media_root: Path
    gunicorn_log: Path
    env: dict[str, str]


def _tools() -> tuple[str, str]:
    nginx, openssl = find_program("nginx"), find_program("openssl")
    if nginx is None:
        _require_or_skip("nginx is not installed (apt-get install nginx)")
    if openssl is None:
        _require_or_skip("openssl is not installed (apt-get install openssl)")
    if not Path("/etc/nginx/mime.types").exists():
        _require_or_skip("/etc/nginx/mime.types is missing (Debian's nginx package has it)")
    if connection.vendor != "postgresql":
        _require_or_skip(
            "gunicorn needs a database another process can open: run with "
            "DATABASE_URL=postgres://... (SQLite's test database lives in memory)"
        )
    return nginx, openssl


def _self_signed(openssl: str, folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "2", "-subj", f"/CN={HOST}",
            "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key


def _database_url() -> str:
    db = connection.settings_dict  # the test database, once pytest-django has made it
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def _kit_environment(
    *, https: str, gunicorn_port: int, static_root: Path, media_root: Path
) -> dict[str, str]:
    """deploy/env.example as an administrator fills it in, for this machine."""
    values, _defaults = read_env_file(ENV_EXAMPLE)
    values.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        KAMTEAM_BASE_URL=https,
        DATABASE_URL=_database_url(),
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(media_root),
        GUNICORN_BIND=f"127.0.0.1:{gunicorn_port}",
        GUNICORN_WORKERS="2",  # the machine's cores are shared with other tests
    )
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", **values}


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port} in {START_SECONDS} s:\n{log.read_text()}")


def _logged(log: Path, line: re.Pattern[str]) -> bool:
    # gunicorn writes a request's access line after the answer has left.
    deadline = time.monotonic() + 5
    while not line.search(log.read_text()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_SECONDS)


def _start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [str(gunicorn), "-c", str(GUNICORN_CONF)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_port(port, process, "gunicorn", log)
    except BaseException:
        _stop(process)
        raise
    return process


def _start_nginx(nginx: str, folder: Path, site: str, https_port: int) -> subprocess.Popen[bytes]:
    (folder / "kamteam.conf").write_text(site)
    # As root, nginx's workers would run as nobody, who cannot read the test's folder.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    main = folder / "nginx.conf"
    main.write_text(MAIN_CONF.format(folder=folder, user=user))
    command = [nginx, "-p", str(folder), "-c", str(main), "-e", str(folder / "nginx-error.log")]
    checked = subprocess.run(
        [*command, "-t"], capture_output=True, text=True, timeout=30, check=False
    )
    assert checked.returncode == 0, checked.stderr
    log = folder / "nginx-error.log"
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(https_port, process, "nginx", log)
    except BaseException:
        _stop(process)
        raise
    return process


@pytest.fixture(scope="module")
def deployment(
    tmp_path_factory: pytest.TempPathFactory, django_db_setup: None
) -> Iterator[Deployment]:
    nginx, openssl = _tools()
    folder = tmp_path_factory.mktemp("deploy")
    cert, key = _self_signed(openssl, folder)
    static_root, media_root = folder / "static", folder / "media"
    media_root.mkdir()
    gunicorn_port, http_port, https_port = free_port(), free_port(), free_port()
    https = f"https://{HOST}:{https_port}"
    env = _kit_environment(
        https=https, gunicorn_port=gunicorn_port, static_root=static_root, media_root=media_root
    )

    collected = _manage(env, "collectstatic", "--noinput", "-v", "0")
    assert collected.returncode == 0, collected.stderr

    site = render.render(
        render.Site(
            server_name=HOST,
            upstream=f"127.0.0.1:{gunicorn_port}",
            static_root=str(static_root),
            media_root=str(media_root),
            cert=str(cert),
            key=str(key),
            http_listen=f"127.0.0.1:{http_port}",
            https_listen=f"127.0.0.1:{https_port}",
        )
    )
    gunicorn_log = folder / "gunicorn.log"
    gunicorn = _start_gunicorn(env, gunicorn_port, gunicorn_log)
    try:
        proxy = _start_nginx(nginx, folder, site, https_port)
        try:
            yield Deployment(
                https=https,
                http=f"http://{HOST}:{http_port}",
                https_port=https_port,
                cert=cert,
                static_root=static_root,
                media_root=media_root,
                gunicorn_log=gunicorn_log,
                env=env,
            )
        finally:
            _stop(proxy)
    finally:
        _stop(gunicorn)


@dataclass(frozen=True)
class Lead:
    username: str
    first_name: str
    account: KeyAccount


@pytest.fixture
def lead(deployment: Deployment, seeded: None) -> Lead:
    """A lead of one account, made here and seen by gunicorn (the data is committed)."""
    user = UserFactory(username="deploy-lead", first_name="Dora")
    # The test process hashes with MD5 (kamteam/test_settings.py); gunicorn runs
    # production settings, which only know the real hashers.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    account = KeyAccountFactory(name="Deichbau GmbH", slug="deichbau")
    TeamMemberFactory(account=account, user=user, role=role("gkam"))
    return Lead(username=user.username, first_name=user.first_name, account=account)


def _sent(field: dict[str, str]) -> bool:
    # A box or a choice is sent only when checked; a button only when pressed.
    return field.get("type") not in {"checkbox", "radio", "submit"} or "checked" in field


class _Forms(HTMLParser):
    """The page's POST forms: each one's action and the values it would send as it is."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form" and found.get("method", "").lower() == "post":
            self.forms.append((found.get("action", ""), {}))
            self._open = True
        elif tag == "input" and self._open and found.get("name") and _sent(found):
            self.forms[-1][1][found["name"]] = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = False


def _form_with(page: str, field: str) -> dict[str, str]:
    parser = _Forms()
    parser.feed(page)
    for _action, values in parser.forms:
        if field in values:
            return values
    raise AssertionError(f"no POST form with a field {field!r} on the page")


def _client(deployment: Deployment) -> requests.Session:
    """HTTPS that trusts the test's certificate alone, straight to nginx.

    trust_env off: REQUESTS_CA_BUNDLE would replace the certificate, and a
    proxy from the environment would stand between.
    """
    session = requests.Session()
    session.trust_env = False
    session.verify = str(deployment.cert)
    return session


def _browser(deployment: Deployment) -> requests.Session:
    session = _client(deployment)
    # A browser names the page a form comes from; Django's CSRF check over
    # HTTPS compares it with the host.
    session.headers.update(Origin=deployment.https, Referer=f"{deployment.https}/")
    return session


def _log_in(deployment: Deployment, lead: Lead) -> requests.Session:
    session = _browser(deployment)
    page = session.get(f"{deployment.https}/", timeout=30)
    assert page.url.startswith(f"{deployment.https}/login/"), page.url
    form = _form_with(page.text, "username")
    form.update(username=lead.username, password=PASSWORD)
    home = session.post(page.url, data=form, timeout=30)
    assert home.status_code == 200
    assert home.url == f"{deployment.https}/", "the login did not go through"
    return session


def test_http_is_redirected_to_https(deployment: Deployment) -> None:
    response = _client(deployment).get(
        f"{deployment.http}/accounts/?year=2026", allow_redirects=False, timeout=30
    )
    assert response.status_code == 301
    assert response.headers["Location"] == f"{deployment.https}/accounts/?year=2026"


def test_login_workspace_and_a_form_over_https(deployment: Deployment, lead: Lead) -> None:
    session = _log_in(deployment, lead)
    cookies = {cookie.name: cookie for cookie in session.cookies}
    assert cookies["sessionid"].secure and cookies["csrftoken"].secure

    workspace = session.get(f"{deployment.https}/accounts/{lead.account.slug}/", timeout=30)
    assert workspace.status_code == 200
    assert "Deichbau GmbH" in workspace.text
    # Django's security headers come through, once each.
    assert workspace.headers["Strict-Transport-Security"] == HSTS
    assert workspace.headers["X-Frame-Options"] == "DENY"
    # Pages are never compressed over TLS (BREACH), although the client asks.
    assert "Content-Encoding" not in workspace.headers
    # nginx's request id (32 hex digits) reaches kamteam and gunicorn's access
    # log, whose line names the client nginx saw and ends with the duration.
    request_id = workspace.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    access_line = re.compile(
        rf'^127\.0\.0\.1 \[{request_id}\] "GET /accounts/{lead.account.slug}/ HTTP/1\.0" 200 '
        r"\d+ .* \d+ms$",
        re.MULTILINE,
    )
    assert _logged(deployment.gunicorn_log, access_line)

    url = f"{deployment.https}/accounts/{lead.account.slug}/contacts/new/"
    form = _form_with(session.get(url, timeout=30).text, "last_name")
    form.update(
        first_name="Wiebke", last_name="Deichgraf", position="Buyer", attitude="1", influence="4"
    )
    saved = session.post(url, data=form, allow_redirects=False, timeout=30)
    assert saved.status_code == 302, saved.text[:2000]
    contacts = session.get(f"{deployment.https}/accounts/{lead.account.slug}/contacts/", timeout=30)
    assert "Deichgraf" in contacts.text
    assert CustomerContact.objects.filter(account=lead.account, last_name="Deichgraf").exists()


def test_a_form_without_its_csrf_token_is_refused(deployment: Deployment, lead: Lead) -> None:
    session = _log_in(deployment, lead)
    url = f"{deployment.https}/accounts/{lead.account.slug}/contacts/new/"
    form = _form_with(session.get(url, timeout=30).text, "last_name")
    del form["csrfmiddlewaretoken"]
    form.update(last_name="Fälscher", attitude="1", influence="4")
    refused = session.post(url, data=form, allow_redirects=False, timeout=30)
    assert refused.status_code == 403
    assert not CustomerContact.objects.filter(last_name="Fälscher").exists()


def test_static_files_come_from_nginx_compressed_and_cached(
    deployment: Deployment, lead: Lead
) -> None:
    home = _log_in(deployment, lead).get(f"{deployment.https}/", timeout=30)
    hashed = HASHED_NAME.findall(home.text)
    assert hashed, "the page names no static file with a content hash"
    path = next(name for name in hashed if name.endswith(".css"))
    on_disk = (deployment.static_root / path.removeprefix("/static/")).read_bytes()

    asked = _client(deployment).get(
        deployment.https + path,
        headers={"Accept-Encoding": "gzip"},
        stream=True,
        timeout=30,
    )
    assert asked.status_code == 200
    assert asked.headers["Content-Encoding"] == "gzip"
    assert asked.headers["Vary"] == "Accept-Encoding"
    assert asked.headers["Cache-Control"] == "public, max-age=315360000, immutable"
    assert asked.headers["Strict-Transport-Security"] == HSTS
    assert asked.headers["Content-Type"].startswith("text/css")
    # The .gz file WhiteNoise's storage wrote, sent as it is (gzip_static).
    body = asked.raw.read()
    assert body == (deployment.static_root / (path.removeprefix("/static/") + ".gz")).read_bytes()
    assert gzip.decompress(body) == on_disk

    plain = _client(deployment).get(
        deployment.https + path,
        headers={"Accept-Encoding": "identity"},
        timeout=30,
    )
    assert "Content-Encoding" not in plain.headers
    assert plain.content == on_disk

    # The same file under its name without the hash may change with a release.
    unhashed = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", path)
    short = _client(deployment).get(deployment.https + unhashed, timeout=30)
    assert short.status_code == 200
    assert short.headers["Cache-Control"] == "public, max-age=60"

    # Served by nginx: gunicorn never saw these requests. A later request's
    # access line is waited for first, so theirs would have been written.
    marker = secrets.token_hex(8)
    _client(deployment).get(f"{deployment.https}/healthz/?after={marker}", timeout=30)
    assert _logged(deployment.gunicorn_log, re.compile(marker))
    assert "/static/" not in deployment.gunicorn_log.read_text()


def test_healthz_answers_ok(deployment: Deployment) -> None:
    response = _client(deployment).get(f"{deployment.https}/healthz/", timeout=30)
    assert response.status_code == 200
    assert response.text == "ok"
    assert response.headers["Strict-Transport-Security"] == HSTS


def test_protected_files_are_not_reachable_from_outside(deployment: Deployment) -> None:
    (deployment.media_root / "contract.pdf").write_bytes(b"%PDF-1.4 secret")
    response = _client(deployment).get(f"{deployment.https}/protected/contract.pdf", timeout=30)
    assert response.status_code == 404
    assert b"secret" not in response.content


def test_a_document_is_checked_by_kamteam_and_sent_by_nginx(
    deployment: Deployment, lead: Lead
) -> None:
    session = _log_in(deployment, lead)
    documents = f"{deployment.https}/accounts/{lead.account.slug}/documents/"
    form = _form_with(session.get(f"{documents}new/", timeout=30).text, "csrfmiddlewaretoken")
    category = DocumentCategory.objects.get(name_en="Contract").pk
    form.update(kind="file", title="Framework contract", category=category, visibility="team")
    content = b"%PDF-1.4\n" + b"0" * 100_000 + b"\n%%EOF\n"
    added = session.post(
        f"{documents}new/",
        data=form,
        files={"file": ("Rahmenvertrag.pdf", content, "application/pdf")},
        timeout=60,
    )
    assert added.status_code == 200, added.text[:2000]
    version = DocumentFile.objects.get(document__account=lead.account)
    assert (deployment.media_root / "documents" / version.file.name).read_bytes() == content

    url = f"{documents}{version.document_id}/files/{version.pk}/"
    response = session.get(url, timeout=30)
    assert response.status_code == 200
    assert response.content == content
    assert response.headers["Content-Disposition"] == 'attachment; filename="Rahmenvertrag.pdf"'
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # nginx sent the file from disk (an ETag of its own), not gunicorn; nginx's
    # internal address never reaches the browser.
    assert "ETag" in response.headers
    assert "X-Accel-Redirect" not in response.headers
    # Someone who is not on the team gets nothing, not even through nginx.
    stranger = _client(deployment)
    assert stranger.get(url, timeout=30, allow_redirects=False).status_code == 302  # to login


def test_a_file_above_the_documents_limit_gets_kamteams_message(
    deployment: Deployment, lead: Lead
) -> None:
    session = _log_in(deployment, lead)
    page = f"{deployment.https}/accounts/{lead.account.slug}/documents/new/"
    form = _form_with(session.get(page, timeout=30).text, "csrfmiddlewaretoken")
    big = b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024)
    stored = set((deployment.media_root / "documents").rglob("*"))
    response = session.post(page, data=form, files={"file": ("scan.pdf", big)}, timeout=120)
    assert response.status_code == 413
    assert "The file is larger than 25.0" in response.text  # kamteam's form, not nginx's page
    assert not DocumentFile.objects.exists()
    assert set((deployment.media_root / "documents").rglob("*")) == stored


def test_a_body_above_the_limit_is_refused_by_nginx(deployment: Deployment) -> None:
    response = _client(deployment).post(
        f"{deployment.https}/login/",
        data=b"x" * (41 * 1024 * 1024),
        headers={"Content-Type": "application/octet-stream"},
        timeout=60,
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("highest", "expected"), [(ssl.TLSVersion.TLSv1_2, "TLSv1.2"), (None, "TLSv1.3")]
)
def test_tls_1_2_and_1_3_are_offered(
    deployment: Deployment, highest: ssl.TLSVersion | None, expected: str
) -> None:
    context = ssl.create_default_context(cafile=str(deployment.cert))
    if highest is not None:
        context.maximum_version = highest
    with (
        socket.create_connection(("127.0.0.1", deployment.https_port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname=HOST) as tls,
    ):
        assert tls.version() == expected


def test_the_kit_environment_passes_the_deploy_check(deployment: Deployment) -> None:
    result = _manage(deployment.env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
