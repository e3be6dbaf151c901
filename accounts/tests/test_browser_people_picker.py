"""The people picker in a real browser: typed, chosen with the keyboard, sent.

Playwright drives Debian's Chromium as in tests/test_browser_today.py
(skipped without it, unless KAMTEAM_REQUIRE_BROWSER is set).
"""

from __future__ import annotations

import pytest

from tests.fixtures import ARTIFACTS, login
from tests.test_accessibility import AXE, _violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def axe_js() -> str | None:
    """axe-core where `make axe` installed it; else that check is left out."""
    return AXE.read_text() if AXE.exists() else None


def test_lead_adds_a_colleague_with_the_keyboard(browser, demo: str, axe_js: str | None) -> None:
    from accounts.models import KeyAccount
    from users.models import User

    User.objects.create(username="jmueller", first_name="Jürgen", last_name="Müller")
    User.objects.create(username="kmueller", first_name="Karl", last_name="Müller", is_active=False)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    login(page, demo, "kam")
    page.goto(f"{demo}/accounts/nordstern/team/add/")
    box = page.get_by_role("combobox", name="Person")
    assert box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("mue", delay=50)  # "mue" finds Müller
    listbox = page.get_by_role("listbox")
    listbox.get_by_role("option", name="Jürgen Müller (jmueller)").wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert listbox.get_by_role("option", name="Karl Müller (kmueller)").count() == 0
    box.press("ArrowDown")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "people-picker-phone.png"))
    if axe_js:
        assert _violations(page, axe_js) == []  # with the list open
    active = box.get_attribute("aria-activedescendant")
    assert page.locator(f"#{active}").inner_text().startswith("Jürgen Müller")
    box.press("Enter")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "Jürgen Müller (jmueller)"
    page.get_by_label("Role").select_option(label="Engineering")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{demo}/accounts/nordstern/team/")
    assert page.get_by_text("Jürgen Müller saved.").is_visible()
    account = KeyAccount.objects.get(slug="nordstern")
    assert account.team_members.active().filter(user__username="jmueller").exists()


def test_participants_are_chips_with_remove_buttons(browser, demo: str) -> None:
    page = browser.new_page()
    login(page, demo, "kam")
    page.goto(f"{demo}/accounts/nordstern/touchpoints/rhythm/new/")
    box = page.get_by_role("combobox", name="Participants")
    box.focus()
    box.press("ArrowDown")  # a team is short: the whole list opens
    options = page.get_by_role("listbox").get_by_role("option")
    first = options.first.inner_text()
    box.press("ArrowDown")
    box.press("Enter")
    chip_button = page.get_by_role("button", name=f"Remove {first}")
    assert chip_button.is_visible()
    page.screenshot(path=str(ARTIFACTS / "people-picker-chips.png"))
    selected = page.evaluate(
        "[...document.querySelector('select[name=participants]').selectedOptions].length"
    )
    assert selected == 1
    chip_button.click()
    selected = page.evaluate(
        "[...document.querySelector('select[name=participants]').selectedOptions].length"
    )
    assert selected == 0
    assert page.evaluate("document.activeElement.getAttribute('role')") == "combobox"


def test_a_long_list_is_a_type_ahead_with_only_the_chosen_option(
    browser, demo: str, monkeypatch
) -> None:
    """A company directory (LIST_MAX made 3 here): the manager filters the portfolio
    by a KAM typed into the picker, whose <select> holds only the chosen one."""
    from users.models import User

    monkeypatch.setattr("users.pickers.LIST_MAX", 3)
    katrin = User.objects.get(username="kam")
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    login(page, demo, "manager")
    page.goto(f"{demo}/portfolio/")
    options = page.evaluate("[...document.querySelector('select[name=kam]').options].length")
    assert options == 1  # "all" only: the leads are found by typing
    box = page.get_by_role("combobox", name="KAM")
    box.press_sequentially("alb", delay=50)
    page.get_by_role("listbox").get_by_role("option", name="Katrin Albers (kam)").click()
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(f"**/portfolio/?*kam={katrin.pk}*")
    assert page.get_by_role("combobox", name="KAM").input_value() == "Katrin Albers (kam)"
    selected = page.evaluate("document.querySelector('select[name=kam]').value")
    assert selected == str(katrin.pk)
    page.screenshot(path=str(ARTIFACTS / "people-picker-long-list.png"))


def test_a_picker_left_empty_shows_its_message_at_the_field(browser, demo: str) -> None:
    """The picker wraps its <select>: the field's message must still show, not
    only the red border (Bootstrap shows .invalid-feedback after .is-invalid)."""
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    login(page, demo, "kam")
    page.goto(f"{demo}/accounts/nordstern/team/add/")
    page.get_by_label("Role").select_option(label="Engineering")
    page.get_by_role("button", name="Save").click()
    box = page.get_by_role("combobox", name="Person")
    box.wait_for()
    assert "is-invalid" in (box.get_attribute("class") or "")
    message = page.locator(".people-picker ~ .invalid-feedback")
    assert message.is_visible()
    assert message.inner_text().strip() == "This field is required."
    assert box.get_attribute("aria-describedby")  # the message is named to screen readers


def test_the_team_is_readable_on_a_phone(browser, demo: str) -> None:
    """At 390 px each member is a block of lines: no column squeezed to a letter
    a line, and the Edit and Remove links in full view."""
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    login(page, demo, "kam")
    page.goto(f"{demo}/accounts/nordstern/team/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cell = page.locator(".member-table td[data-label='Responsibilities']").first
    assert cell.bounding_box()["width"] > 300
    remove = page.locator(".member-table a.text-danger").first
    box = remove.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.screenshot(path=str(ARTIFACTS / "team-phone.png"), full_page=True)
