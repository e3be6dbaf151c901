"""Layout in a real browser: phone width, the German top bar, German decimals (issue 13).

Playwright drives Debian's Chromium as in tests/test_browser.py (skipped
without it, unless KAMTEAM_REQUIRE_BROWSER is set):

- point 19: every page of the demo, as every demo user, in German and in
  English, fits a 390 px phone (the page never scrolls sideways), and the
  workspace tabs wrap instead of scrolling out of sight;
- point 20: the German top bar of a manager at 1366 px keeps the user menu on
  screen and the links apart from the language switch;
- point 17: a German browser types "1,5" into a motive score and reads "2,0"
  in the bound's error message.
"""

from __future__ import annotations

from collections import deque
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from accounts.demo import USERS as ACCOUNT_USERS
from portfolio.demo import USERS as PORTFOLIO_USERS
from tests.fixtures import ARTIFACTS, DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
LAPTOP = 1366
DEMO_USERS = [username for username, *_names in [*ACCOUNT_USERS, *PORTFOLIO_USERS]]
SKIP_PREFIXES = ("/admin/", "/calendar/", "/i18n/", "/logout/", "/static/")
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
SKIP_SUFFIXES = (".xlsx", ".csv", ".ics", ".ico", ".png")
MAX_PAGES_PER_USER = 400
# The page's width and its links, in one round trip to the browser. SVG links
# have an SVGAnimatedString for `href`: resolve the attribute instead.
PAGE_JS = """() => ({
  width: document.documentElement.scrollWidth,
  links: [...document.querySelectorAll("a[href]")]
    .map((e) => new URL(e.getAttribute("href"), document.baseURI).href),
})"""
# The outermost elements sticking out past the right edge (not those inside a
# scrolling box, which the page itself does not widen): named in the failure.
CULPRITS_JS = """(width) => {
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const sticksOut = (el) => el.getBoundingClientRect().right > width + 0.5 && !scrolls(el);
  return [...document.querySelectorAll("body *")]
    .filter((el) => sticksOut(el) && !(el.parentElement && sticksOut(el.parentElement)))
    .slice(0, 3)
    .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> `
      + el.innerText.slice(0, 40));
}"""


def _login(page, base: str, username: str) -> None:
    """tests.fixtures.login, in any language (the labels are German here)."""
    page.goto(f"{base}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def _context(browser, base: str, width: int, language: str):
    context = browser.new_context(viewport={"width": width, "height": 800})
    # The language cookie the switch sets: the switch itself is folded away on a phone.
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    return context


def _crawl_key(path: str) -> str | None:
    """One visit per route (URL pattern); None to skip."""
    if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES) or "/export" in path:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return path  # visited, so that a broken link shows
    return None if match.view_name in SKIP_ROUTES else match.view_name


def _too_wide(page, base: str, user: str) -> dict[str, str]:
    """Walks every page `user` can reach from the home page; what is wider than the phone."""
    problems: dict[str, str] = {}
    seen: set[str] = set()
    queue = deque([base + "/"])
    visited = 0
    while queue and visited < MAX_PAGES_PER_USER:
        url = queue.popleft()
        visited += 1
        label = f"{user} {url.removeprefix(base)}"
        response = page.goto(url)
        if response is None or response.status != 200:
            problems[label] = f"answered {response.status if response else 'nothing'}"
            continue
        found = page.evaluate(PAGE_JS)
        if found["width"] > PHONE:
            problems[label] = f"{found['width']} px wide: {page.evaluate(CULPRITS_JS, PHONE)}"
        for href in found["links"]:
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != base:
                continue
            key = _crawl_key(parts.path)
            if key is not None and key not in seen:
                seen.add(key)
                queue.append(base + parts.path)
    assert visited < MAX_PAGES_PER_USER, f"{user}: the walk did not end"
    return problems


# German has the longer words: every demo user. English: a lead, a member and a
# manager, the three kinds of reader (as in test_html_validity).
PHONE_WALKS = [("de", user) for user in DEMO_USERS] + [
    ("en", user) for user in ("kam", "innendienst", "manager")
]


# One test per walk (about ten seconds each), so that two test processes share them.
@pytest.mark.parametrize(
    ("language", "user"), PHONE_WALKS, ids=[f"{user}-{language}" for language, user in PHONE_WALKS]
)
def test_no_page_is_wider_than_a_phone(browser, demo: str, language: str, user: str) -> None:
    """The user from the home page on, one page per kind (URL pattern)."""
    context = _context(browser, demo, PHONE, language)
    page = context.new_page()
    _login(page, demo, user)
    problems = _too_wide(page, demo, f"{user} ({language})")
    context.close()
    assert not problems, "\n".join(f"{label}: {text}" for label, text in problems.items())


def test_workspace_sections_fold_into_one_button_on_a_phone(browser, demo: str) -> None:
    """Thirteen tabs took five rows of buttons, most of the first screen: on a
    phone one button names the section, and opens all of them on the screen."""
    context = _context(browser, demo, PHONE, "de")
    page = context.new_page()
    _login(page, demo, "kam")  # a lead: every section, Coaching and History included
    page.goto(f"{demo}/accounts/nordstern/raci/")
    assert not page.locator("ul.nav-tabs.workspace-tabs").is_visible()
    button = page.locator(".workspace-sections > summary")
    assert button.inner_text().split() == ["Bereich:", "RACI"]
    # The page's own content starts on the first screen, under the button.
    assert page.get_by_role("heading", name="RACI-Matrix").bounding_box()["y"] < 450
    button.click()
    links = page.locator(".workspace-sections").get_by_role("link")
    names = [name.strip() for name in links.all_inner_texts()]
    assert len(names) == 13 and names[-3:] == ["Ansprechpartner", "Coaching", "Verlauf"]
    for link in links.all():
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE, link.inner_text()
        assert box["height"] >= 44, link.inner_text()
    assert page.locator('.workspace-sections a[aria-current="page"]').inner_text() == "RACI"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-workspace-de.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("language", ["de", "en"])
def test_workspace_tabs_take_one_row_on_a_laptop(browser, demo: str, language: str) -> None:
    """At 1366 px the thirteen tabs wrapped into two rows (1,497 px of German
    tabs in 1,116 px); the account's pages are wider and the tabs tighter."""
    context = _context(browser, demo, LAPTOP, language)
    page = context.new_page()
    _login(page, demo, "kam")  # a lead: every section, Coaching and History included
    page.goto(f"{demo}/accounts/nordstern/")
    tabs = page.locator("ul.nav-tabs.workspace-tabs > li")
    assert tabs.count() == 13
    rows = {round(box["y"]) for box in (tab.bounding_box() for tab in tabs.all()) if box}
    assert len(rows) == 1, f"{len(rows)} rows of tabs"
    footer, main = _box(page, "footer"), _box(page, "main")
    assert footer["x"] == main["x"], "the footer does not line up with the page"
    context.close()


def test_a_new_api_token_is_shown_whole_and_copied_on_a_phone(browser, demo: str) -> None:
    """Shown only once, the token sat in a one-line field that showed 31 of its
    characters on a phone, with no way to copy it but a fiddly selection."""
    context = _context(browser, demo, PHONE, "de")
    page = context.new_page()
    _login(page, demo, "innendienst")
    page.goto(f"{demo}/me/api-tokens/")
    page.get_by_label("Name").fill("Telefon")
    page.get_by_role("button", name="Token erstellen").click()
    token = page.locator("#new-token")
    box = token.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE
    assert token.input_value().startswith("kt_")
    assert token.evaluate("el => el.scrollHeight <= el.clientHeight"), "part of it is hidden"
    from playwright.sync_api import expect  # waits for the script's answer

    page.get_by_role("button", name="Kopieren").click()
    expect(page.locator("#new-token-copied")).to_have_text("Kopiert.")
    context.close()


def test_the_touchpoint_plan_opens_at_the_current_quarter_on_a_phone(browser, demo: str) -> None:
    """Only the contacts and Q1 fitted the screen; the current quarter, with what
    is due and overdue, was three columns to the right."""
    context = _context(browser, demo, PHONE, "de")
    page = context.new_page()
    _login(page, demo, "kam")
    page.goto(f"{demo}/accounts/nordstern/touchpoints/")
    now = page.locator(".tp-grid thead th.tp-now")
    box, pinned = now.bounding_box(), page.locator(".tp-grid thead th").first.bounding_box()
    # Beside the pinned contacts, not under them, and wholly on the screen.
    assert box["x"] >= pinned["x"] + pinned["width"] - 1
    assert box["x"] + box["width"] <= PHONE + 1
    if not now.inner_text().startswith("Q1"):  # Q1 is where the plan opened anyway
        assert page.locator(".tp-grid").locator("xpath=..").evaluate("e => e.scrollLeft") > 0
    context.close()


def test_a_phone_gets_touch_targets_for_a_touchpoints_links_and_checkboxes(
    browser, demo: str
) -> None:
    """Edit and Delete were 16 px high and 4 px apart; a checkbox row 24 px."""
    context = _context(browser, demo, PHONE, "de")
    page = context.new_page()
    _login(page, demo, "kam")
    page.goto(f"{demo}/accounts/nordstern/touchpoints/")
    row = page.locator(".tp-links").first
    edit, delete = row.get_by_role("link").nth(0), row.get_by_role("link").nth(1)
    assert edit.inner_text().startswith("Bearbeiten") and delete.inner_text().startswith("Löschen")
    first, second = edit.bounding_box(), delete.bounding_box()
    assert first["height"] >= 44 and second["height"] >= 44
    assert second["x"] - (first["x"] + first["width"]) >= 16 or second["y"] >= first["y"] + 44
    page.goto(f"{demo}/accounts/nordstern/contacts/")
    page.goto(demo + _a_contacts_edit_address(page))
    checks = page.locator(".form-check")
    assert checks.count() >= 5
    for i in range(checks.count()):
        assert checks.nth(i).bounding_box()["height"] >= 44
    context.close()


def _a_contacts_edit_address(page) -> str:
    """The edit form of the first contact the contacts page lists (ids vary)."""
    return page.evaluate(
        "[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))"
        ".find(h => /\\/contacts\\/\\d+\\/$/.test(h)) + 'edit/'"
    )


def test_wide_plans_on_a_phone_keep_their_first_column_and_a_readable_matrix(
    browser, demo: str
) -> None:
    """The touchpoint grid and the RACI matrix scroll sideways in their box with the
    contact or task pinned at the left; the portfolio matrix keeps a size whose
    labels can be read (scaled to 364 px they were 5 px high) and scrolls."""
    context = _context(browser, demo, PHONE, "de")
    page = context.new_page()
    _login(page, demo, "kam")
    for path, table in (
        ("/accounts/nordstern/touchpoints/", ".tp-grid"),
        ("/accounts/nordstern/raci/", ".raci-grid"),
    ):
        page.goto(demo + path)
        first = page.locator(f"{table} tbody th[scope=row]").first
        box = page.locator(table).locator("xpath=..")
        assert box.evaluate("e => e.scrollWidth > e.clientWidth"), path  # wider than the phone
        left = first.bounding_box()["x"]
        box.evaluate("e => e.scrollLeft = 200")
        # Pinned while the rest scrolls (its border may take half a pixel).
        assert abs(first.bounding_box()["x"] - left) <= 1, path
    context.close()
    context = _context(browser, demo, PHONE, "de")
    page = context.new_page()
    _login(page, demo, "manager")
    page.goto(f"{demo}/portfolio/matrix/")
    assert page.locator("svg.portfolio-matrix").bounding_box()["width"] >= 600
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    context.close()


def _box(page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box, f"{selector} is not shown"
    return box


@pytest.mark.parametrize(
    ("user", "width"), [("manager", LAPTOP), ("manager", 1200), ("admin", 1200)]
)
def test_german_top_bar_fits_a_laptop(browser, demo: str, user: str, width: int) -> None:
    context = _context(browser, demo, width, "de")
    page = context.new_page()
    _login(page, demo, user)
    bar = page.locator("header nav > div")
    # Nothing runs past the bar's own edge (the user menu did, to the screen's edge).
    assert bar.evaluate("el => el.scrollWidth <= el.clientWidth"), "the bar runs past its edge"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    links = page.locator("#main-nav .main-links .nav-link").all()
    last_link = links[-1].bounding_box()
    switch = _box(page, "header form[action$='/setlang/']")
    # The user menu (the search box is a dropdown of the bar too).
    toggle = _box(page, "header .nav-item.dropdown .dropdown-toggle")
    if width == LAPTOP:  # one row of links there
        assert {round(link.bounding_box()["y"]) for link in links} == {round(last_link["y"])}
        assert last_link["x"] + last_link["width"] + 8 <= switch["x"], "links touch the switch"
    assert toggle["x"] + toggle["width"] <= width - 8, "user menu at the screen's edge"
    page.locator("header .nav-item.dropdown .dropdown-toggle").click()
    menu = page.locator("header .nav-item.dropdown .dropdown-menu")
    menu.get_by_role("link", name="Mein Profil").wait_for()
    box = menu.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width - 8
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"topbar-de-{user}-{width}.png"))
    context.close()


def test_german_browser_types_a_decimal_comma(browser, demo: str) -> None:
    # A German browser: Chromium's locale and the Accept-Language it sends.
    context = browser.new_context(locale="de-DE", viewport={"width": LAPTOP, "height": 900})
    page = context.new_page()
    _login(page, demo, "innendienst")
    page.goto(f"{demo}/people/innendienst/edit/")
    assert page.locator("html").get_attribute("lang") == "de"
    page.get_by_label("Neugier", exact=True).fill("1,5")
    page.get_by_label("Rache", exact=True).fill("-0,4")
    page.get_by_label("Macht", exact=True).fill("2,5")
    page.get_by_role("button", name="Profil speichern").click()
    # Refused at the field, with the bound as German writes it; the input kept as typed.
    error = page.locator("#id_motive_power-error")
    error.wait_for()
    assert "2,0" in error.inner_text() and "2.0" not in error.inner_text()
    assert page.get_by_label("Neugier", exact=True).input_value() == "1,5"
    page.get_by_label("Macht", exact=True).fill("")
    page.get_by_role("button", name="Profil speichern").click()
    chart = page.locator("table.motive-chart")
    chart.wait_for()
    assert "+1,5" in chart.get_by_role("row", name="Neugier").inner_text()
    assert "\u22120,4" in chart.get_by_role("row", name="Rache").inner_text()
    # Shown again for editing as German writes it.
    page.goto(f"{demo}/people/innendienst/edit/")
    assert page.get_by_label("Neugier", exact=True).input_value() == "1,5"
    context.close()
