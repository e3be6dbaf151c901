"""Customer contacts: validation, the organisation tree and archiving."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import BuyingCentreRole, CustomerContact
from accounts.selectors import contact_tree
from core.validators import PLAIN_EMAIL_MESSAGE
from tests.factories import ContactFactory
from tests.fixtures import World
from tests.snapshot import database_snapshot
from users.models import User


def _data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "first_name": "Max",
        "last_name": "Meier",
        "position": "Head of Engineering",
        "attitude": 1,
        "influence": 4,
    }
    data.update(overrides)
    return data


def test_lead_adds_contact_with_buying_roles(world: World, lead_client) -> None:
    decider = BuyingCentreRole.objects.get(code="decider")
    approver = BuyingCentreRole.objects.get(code="approver")
    response = lead_client.post(
        reverse("accounts:contact_create", args=[world.account.slug]),
        _data(buying_roles=[decider.pk, approver.pk], reports_to=world.contact.pk),
    )
    assert response.status_code == 302
    contact = world.account.contacts.get(last_name="Meier")
    assert set(contact.buying_roles.values_list("code", flat=True)) == {"decider", "approver"}
    assert contact.reports_to == world.contact


def test_out_of_range_values_are_rejected_at_the_field(world: World, lead_client) -> None:
    before = database_snapshot()
    response = lead_client.post(
        reverse("accounts:contact_create", args=[world.account.slug]),
        _data(attitude=7, influence=0, email="not-an-email", last_name=""),
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"attitude", "influence", "email", "last_name"}
    assert database_snapshot() == before


def test_reports_to_must_be_a_contact_of_the_same_account(world: World, lead_client) -> None:
    stranger = ContactFactory()
    response = lead_client.post(
        reverse("accounts:contact_create", args=[world.account.slug]),
        _data(reports_to=stranger.pk),
    )
    assert response.status_code == 400
    assert "reports_to" in response.context["form"].errors


def test_reporting_loops_are_rejected(world: World, lead_client) -> None:
    report = ContactFactory(account=world.account, reports_to=world.contact)
    response = lead_client.post(
        reverse("accounts:contact_edit", args=[world.account.slug, world.contact.pk]),
        _data(reports_to=report.pk, version=world.contact.version),
    )
    assert response.status_code == 400
    assert "loop" in response.content.decode()


def test_contact_edit_conflict(world: World, lead_client) -> None:
    url = reverse("accounts:contact_edit", args=[world.account.slug, world.contact.pk])
    assert lead_client.post(url, _data(version=1)).status_code == 302
    response = lead_client.post(url, _data(version=1, position="Stale"))
    assert response.status_code == 409
    world.contact.refresh_from_db()
    assert world.contact.position == "Head of Engineering"


def test_archiving_a_boss_with_reports_is_blocked(world: World, lead_client) -> None:
    ContactFactory(account=world.account, reports_to=world.contact, last_name="Report")
    url = reverse("accounts:contact_archive", args=[world.account.slug, world.contact.pk])
    page = lead_client.get(url)
    assert "still reports to" in page.content.decode()
    assert lead_client.post(url).status_code == 409
    world.contact.refresh_from_db()
    assert world.contact.is_active


def test_archive_and_restore_a_contact(world: World, lead_client) -> None:
    url = reverse("accounts:contact_archive", args=[world.account.slug, world.contact.pk])
    assert lead_client.post(url).status_code == 302
    world.contact.refresh_from_db()
    assert not world.contact.is_active
    page = lead_client.get(reverse("accounts:contacts", args=[world.account.slug]))
    assert world.contact in page.context["archived"]
    restore = reverse("accounts:contact_restore", args=[world.account.slug, world.contact.pk])
    assert lead_client.post(restore).status_code == 302
    world.contact.refresh_from_db()
    assert world.contact.is_active


def test_tree_nests_reports_under_their_boss(world: World) -> None:
    report = ContactFactory(account=world.account, reports_to=world.contact)
    grand = ContactFactory(account=world.account, reports_to=report)
    roots = contact_tree(world.account)
    assert [n.contact for n in roots] == [world.contact]
    assert roots[0].children[0].contact == report
    assert roots[0].children[0].children[0].contact == grand
    page = world.client_for("member").get(
        reverse("accounts:contact_tree", args=[world.account.slug])
    )
    assert grand.last_name in page.content.decode()


def test_contact_of_another_account_is_404(world: World, lead_client) -> None:
    stranger = ContactFactory()
    url = reverse("accounts:contact_detail", args=[world.account.slug, stranger.pk])
    assert lead_client.get(url).status_code == 404


HOSTILE_EMAIL = '"?cc=evil@attacker.example&subject=x"@example.com'


@pytest.mark.parametrize(
    "email", [HOSTILE_EMAIL, "a?cc=b@example.com", "a&b=c@example.com", "a%40b@example.com"]
)
def test_an_email_with_a_quoted_or_url_special_local_part_is_refused_at_the_field(
    world: World, lead_client, email: str
) -> None:
    before = database_snapshot()
    response = lead_client.post(
        reverse("accounts:contact_create", args=[world.account.slug]), _data(email=email)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [str(PLAIN_EMAIL_MESSAGE)]
    assert database_snapshot() == before


def test_editing_a_contact_with_an_old_hostile_email_shows_the_message_once(
    world: World, lead_client
) -> None:
    CustomerContact.objects.filter(pk=world.contact.pk).update(email=HOSTILE_EMAIL)
    response = lead_client.post(
        reverse("accounts:contact_edit", args=[world.account.slug, world.contact.pk]),
        _data(email=HOSTILE_EMAIL, version=world.contact.version),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [str(PLAIN_EMAIL_MESSAGE)]


def test_models_refuse_a_hostile_email_too(world: World) -> None:
    world.contact.email = HOSTILE_EMAIL
    with pytest.raises(ValidationError) as refused:
        world.contact.full_clean()
    assert refused.value.message_dict["email"] == [str(PLAIN_EMAIL_MESSAGE)]
    world.lead.email = "lena?bcc=x@example.com"
    with pytest.raises(ValidationError) as refused:
        world.lead.full_clean()
    assert refused.value.message_dict["email"] == [str(PLAIN_EMAIL_MESSAGE)]


def test_plain_emails_are_accepted(world: World, lead_client) -> None:
    response = lead_client.post(
        reverse("accounts:contact_create", args=[world.account.slug]),
        _data(email="o'brien.max-2+kam@sub.example.com"),
    )
    assert response.status_code == 302
    assert world.account.contacts.filter(email="o'brien.max-2+kam@sub.example.com").exists()


def test_an_old_stored_hostile_email_renders_as_an_encoded_mailto_link(world: World) -> None:
    CustomerContact.objects.filter(pk=world.contact.pk).update(email=HOSTILE_EMAIL)
    User.objects.filter(pk=world.lead.pk).update(email=HOSTILE_EMAIL)
    encoded = "mailto:%22%3Fcc%3Devil@attacker.example%26subject%3Dx%22@example.com"
    pages = [
        world.client_for("member").get(
            reverse("accounts:contact_detail", args=[world.account.slug, world.contact.pk])
        ),
        world.client_for("member").get(reverse("accounts:team", args=[world.account.slug])),
        world.client_for("lead").get(reverse("profiles:person", args=["lead"])),
        world.client_for("outsider").get(reverse("directory")),
    ]
    for page in pages:
        assert page.status_code == 200
        links = re.findall(r'href="(mailto:[^"]*)"', page.content.decode())
        assert encoded in links, page.request["PATH_INFO"]
        assert not [link for link in links if set(link) & set("?&=\"'")]


def test_the_contact_list_shows_a_page_of_100_in_both_orders(world: World, settings) -> None:
    """An import brings thousands of contacts: the list shows them a page at a time,
    by name (read a page from the database) or longest unseen first."""
    from tests.queries import page_queries

    client = world.client_for("lead")
    url = reverse("accounts:contacts", args=[world.account.slug])
    small = page_queries(client, url)
    ContactFactory.create_batch(120, account=world.account, last_name="Zander")
    assert page_queries(client, url) == small  # a page costs the same with 120 more
    rest = world.account.contacts.filter(archived_at__isnull=True).count() - 100
    first = client.get(url).content.decode()
    assert first.count('class="fw-semibold"') == 100 and "Page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="fw-semibold"') == rest and "Page 2 of 2" in second
    by_contact = client.get(url, {"sort": "last_contact", "page": 2}).content.decode()
    assert by_contact.count('class="fw-semibold"') == rest
    assert "sort=last_contact&amp;page=1" in by_contact  # the order stays when paging
    assert client.get(url, {"page": "x"}).status_code == 200  # a bad page is the first
