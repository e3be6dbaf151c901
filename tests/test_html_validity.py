"""Every page reachable from the home page: axe-core and the Nu HTML Checker.

As each of `kam` (a lead), `innendienst` (a read-only team member) and
`manager`, the test starts at "/" and follows every same-origin link
breadth-first (GET only). On each page Deque's axe-core, injected into
headless Chromium, must find no WCAG 2.1 A/AA violation of any impact; the
raw HTML the server sent is kept, and at the end the Nu HTML Checker
(vnu.jar, npm package vnu-jar, run once over all pages) must report no error.
A few pages are also checked in German.

To stay fast the crawl visits one URL per URL pattern (Django's route name)
and user: the first link found to it, keeping only the query parameters in
KEEP_QUERY.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections import deque
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests.fixtures import login
from tests.test_accessibility import axe_source  # noqa: F401 (a fixture)

VNU = Path(
    os.environ.get(
        "VNU_JAR",
        Path(__file__).resolve().parent.parent / ".ci/axe/node_modules/vnu-jar/build/dist/vnu.jar",
    )
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USERS = ("kam", "innendienst", "manager")
# The crawl visits each route once per user, with these query parameters of
# the first link to it kept (and the others dropped).
KEEP_QUERY = {"year", "sort"}
SKIP_PREFIXES = ("/admin/", "/calendar/", "/i18n/", "/logout/", "/login/", "/static/")
# Routes that answer with a file, not a page (a browser downloads it).
SKIP_ROUTES = frozenset(
    {
        "documents:download",
        "imports:contacts_template",
        "imports:team_template",
        "imports:revenue_template",
        "imports:accounts_template",
        # The API's schema is JSON; its docs page is django-ninja's Swagger UI, not ours.
        "api:openapi-json",
        "api:openapi-view",
    }
)
SKIP_SUFFIXES = (".xlsx", ".csv", ".ics")
MAX_PAGES_PER_USER = 120
GERMAN_PAGES = (
    "/",
    "/accounts/nordstern/",
    "/accounts/nordstern/raci/",
    "/accounts/nordstern/touchpoints/",
    "/accounts/nordstern/plan/",
    "/me/roles/",
    # The crawl reaches the search page without a query: its hits are checked here.
    "/search/?q=nordstern",
)
# SVG links have an SVGAnimatedString for `href`: resolve the attribute instead.
LINKS_JS = "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).href)"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def vnu() -> list[str]:
    java = shutil.which("java")
    if not (VNU.exists() and java):
        missing = "java" if not java else f"vnu.jar at {VNU}"
        if os.environ.get("KAMTEAM_REQUIRE_BROWSER"):
            pytest.fail(f"KAMTEAM_REQUIRE_BROWSER is set but {missing} is missing")
        pytest.skip(f"{missing} missing (make axe)")
    return [java, "-jar", str(VNU)]


def _context(browser, source: str):
    """A fresh browser context that loads axe-core into every page it opens.

    An init script is sent to the browser once, not with every page.
    """
    context = browser.new_context()
    context.add_init_script(script=source)
    return context


def _axe(page) -> list[str]:
    result = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    return [
        f"axe {v['id']} ({v['impact']}): {v['help']} at {node['target']}: "
        f"{node.get('failureSummary', '')}".replace("\n", " ")
        for v in result["violations"]
        for node in v["nodes"][:5]
    ]


def _crawl_key(path: str) -> str | None:
    """The route name of a path (its own path if none); None to skip it."""
    if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES) or "/export" in path:
        return None
    try:
        name = resolve(path).view_name
    except Resolver404:
        return path  # visited, so that the broken link shows as a 404
    return None if name in SKIP_ROUTES else name


def _check(page, url: str, label: str, store: dict[str, str]) -> list[str]:
    """Open one page, run axe on it and keep its HTML; returns the problems."""
    response = page.goto(url)
    if response is None or response.status != 200:
        return [f"GET answered {response.status if response else 'nothing'}"]
    store[label] = response.text()
    return _axe(page)


def _crawl(page, base: str, user: str, store: dict[str, str]) -> dict[str, list]:
    problems: dict[str, list[str]] = {}
    seen: set[str] = set()
    queue = deque([base + "/"])
    visited = 0
    while queue and visited < MAX_PAGES_PER_USER:
        url = queue.popleft()
        visited += 1
        label = f"{user} {url.removeprefix(base)}"
        if found := _check(page, url, label, store):
            problems[label] = found
        for href in page.eval_on_selector_all("a[href]", LINKS_JS):
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != base:
                continue  # another origin, mailto:, tel:
            key = _crawl_key(parts.path)
            if key is None or key in seen:
                continue
            seen.add(key)
            query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k in KEEP_QUERY])
            queue.append(base + parts.path + (f"?{query}" if query else ""))
    print(f"{user}: {visited} pages crawled")
    return problems


def _vnu(command: list[str], pages: dict[str, str]) -> tuple[dict[str, list], list[str]]:
    """Run the Nu HTML Checker once over all pages: (errors by page, warnings)."""
    errors: dict[str, list[str]] = {}
    warnings = []
    with tempfile.TemporaryDirectory() as tmp:
        names = {}
        for number, (label, html) in enumerate(pages.items()):
            path = Path(tmp) / f"page{number:04d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = label
        done = subprocess.run(
            [*command, "--format", "json", "--exit-zero-always", tmp],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
    for message in json.loads(done.stderr)["messages"]:
        url = message.get("url", "?")
        label = names.get(url.rsplit("/", 1)[-1], url)
        text = (
            f"vnu line {message.get('lastLine', '?')}: {message.get('message', '')}"
            f" in `{message.get('extract', '').strip()[:120]}`"
        )
        if message["type"] == "info":
            warnings.append(f"{label}: {text}")
        else:
            errors.setdefault(label, []).append(text)
    return errors, warnings


def test_every_reachable_page_is_accessible_and_valid(
    browser,
    demo: str,
    axe_source: str,  # noqa: F811
    vnu: list[str],
) -> None:
    pages: dict[str, str] = {}
    problems: dict[str, list[str]] = {}

    context = _context(browser, axe_source)
    page = context.new_page()
    if found := _check(page, demo + "/login/", "anonymous /login/", pages):
        problems["anonymous /login/"] = found
    context.close()

    for user in USERS:
        context = _context(browser, axe_source)
        page = context.new_page()
        login(page, demo, user)
        problems |= _crawl(page, demo, user, pages)
        if user == "kam":
            page.goto(demo + "/")
            page.get_by_role("button", name="Deutsch").click()
            page.wait_for_load_state()
            for path in GERMAN_PAGES:
                label = f"kam (de) {path}"
                if found := _check(page, demo + path, label, pages):
                    problems[label] = found
                elif '<html lang="de"' not in pages[label]:
                    problems[label] = ['not in German: no <html lang="de">']
        context.close()

    errors, warnings = _vnu(vnu, pages)
    print(f"{len(pages)} pages checked by vnu; {len(warnings)} warnings:")
    print("\n".join(warnings))
    for label, found in errors.items():
        problems.setdefault(label, []).extend(found)
    report = "\n".join(
        f"{label}\n" + "\n".join(f"    {line}" for line in found)
        for label, found in sorted(problems.items())
    )
    assert not problems, f"{len(problems)} pages with problems:\n{report}"
