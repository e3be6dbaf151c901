"""Customer news: posted by the team, read by its addressees (the whole team, the core
team, chosen roles), its author and the leads; told by notification, shown on home,
marked read; edited and deleted by the author and the leads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import AccountTeamMember
from news.models import Audience, NewsItem, NewsRead
from notifications.models import Notification
from tests.factories import TeamMemberFactory, UserFactory, role
from tests.fixtures import World
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def _post(world: World, who: str = "member", **overrides) -> object:
    data = {"title": "Purchasing moves to Hamburg", "body": "From Q2.", "audience": "team"}
    data.update(overrides)
    return world.client_for(who).post(reverse("news:create", args=[world.account.slug]), data)


def _item(world: World, **fields) -> NewsItem:
    fields.setdefault("author", world.member)
    return NewsItem.objects.create(account=world.account, title="Wuhan plant", **fields)


def _extended(world: World, code: str = "engineering"):  # type: ignore[no-untyped-def]
    """A colleague on the extended team in role `code`."""
    seat = TeamMemberFactory(
        account=world.account, user=UserFactory(), role=role(code), team="extended"
    )
    return seat.user


def _client(user):  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_a_member_posts_news_and_the_team_is_told(world: World) -> None:
    response = _post(world, contacts=[world.contact.pk])
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert (item.author, item.audience, list(item.contacts.all())) == (
        world.member,
        Audience.TEAM,
        [world.contact],
    )
    assert response["Location"] == item.get_absolute_url()
    told = set(
        Notification.objects.filter(kind="customer_news").values_list("recipient", flat=True)
    )
    assert world.lead.pk in told and world.member.pk not in told  # not the author
    assert world.manager.pk not in told
    assert item.history.count() == 1


def test_core_team_news_is_not_for_the_extended_team(world: World) -> None:
    extended = _extended(world)
    item = _item(world, audience=Audience.CORE)
    assert _client(extended).get(item.get_absolute_url()).status_code == 404
    page = _client(extended).get(reverse("news:list", args=[world.account.slug]))
    assert "Wuhan plant" not in page.content.decode()
    assert world.client_for("lead").get(item.get_absolute_url()).status_code == 200


def test_news_for_chosen_roles_reaches_those_roles_only(world: World) -> None:
    engineer = _extended(world, "engineering")
    manager_seat = _extended(world, "management")
    response = _post(world, "lead", audience="roles", roles=[role("engineering").pk])
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert _client(engineer).get(item.get_absolute_url()).status_code == 200
    assert _client(manager_seat).get(item.get_absolute_url()).status_code == 404
    told = set(Notification.objects.values_list("recipient", flat=True))
    assert engineer.pk in told and manager_seat.pk not in told


def test_roles_without_a_role_are_refused_at_the_field(world: World) -> None:
    response = _post(world, audience="roles")
    assert response.status_code == 400
    assert "Choose at least one role" in str(response.context["form"].errors["roles"])
    assert not NewsItem.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"title": ""}, "title"), ({"title": "x" * 201}, "title"), ({"audience": "all"}, "audience")],
)
def test_bad_input_is_refused_at_the_field(world: World, overrides: dict, field: str) -> None:
    response = _post(world, **overrides)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not NewsItem.objects.exists()


def test_a_contact_of_another_account_is_refused(world: World) -> None:
    from tests.factories import ContactFactory

    response = _post(world, contacts=[ContactFactory().pk])
    assert response.status_code == 400
    assert "contacts" in response.context["form"].errors


def test_managers_and_outsiders_may_not_post(world: World) -> None:
    assert _post(world, "manager").status_code == 403
    assert _post(world, "outsider").status_code == 404
    assert not NewsItem.objects.exists()


def test_an_addressee_marks_it_read_and_the_author_sees_who(world: World) -> None:
    item = _item(world, author=world.lead)
    read = reverse("news:read", args=[world.account.slug, item.pk])
    member = world.client_for("member")
    assert member.post(read).status_code == 302
    assert member.post(read).status_code == 302  # twice: still one read
    assert list(NewsRead.objects.values_list("user", flat=True)) == [world.member.pk]
    page = world.client_for("lead").get(item.get_absolute_url()).content.decode()
    team = AccountTeamMember.objects.active().filter(account=world.account, user__is_active=True)
    others = team.exclude(user=world.lead).values("user").distinct().count()  # not the author
    assert f"Read by 1 of {others} addressee" in page and world.member.display_name in page
    # A member sees no readers of an item that is not theirs.
    assert "Read by" not in member.get(item.get_absolute_url()).content.decode()


def test_mark_read_goes_back_only_to_a_known_page(world: World) -> None:
    item = _item(world, author=world.lead)
    read = reverse("news:read", args=[world.account.slug, item.pk])
    response = world.client_for("member").post(read, {"next": "https://evil.example/"})
    assert response["Location"] == item.get_absolute_url()
    response = world.client_for("member").post(read, {"next": reverse("home")})
    assert response["Location"] == reverse("home")


def test_the_author_and_the_leads_edit_and_delete_others_may_not(world: World) -> None:
    item = _item(world)  # by the member
    edit = reverse("news:edit", args=[world.account.slug, item.pk])
    data = {"title": "Wuhan plant, 2027", "audience": "team", "version": item.version}
    assert world.client_for("member").post(edit, data).status_code == 302
    item.refresh_from_db()
    assert item.title == "Wuhan plant, 2027"
    lead_item = _item(world, author=world.lead)
    other_edit = reverse("news:edit", args=[world.account.slug, lead_item.pk])
    assert world.client_for("member").get(other_edit).status_code == 403
    delete = reverse("news:delete", args=[world.account.slug, item.pk])
    assert world.client_for("lead").post(delete).status_code == 302
    assert not NewsItem.objects.filter(pk=item.pk).exists()


def test_a_stale_edit_is_refused(world: World) -> None:
    item = _item(world)
    edit = reverse("news:edit", args=[world.account.slug, item.pk])
    stale = {"title": "A", "audience": "team", "version": item.version}
    assert world.client_for("member").post(edit, stale).status_code == 302
    again = {"title": "B", "audience": "team", "version": item.version}
    assert world.client_for("lead").post(edit, again).status_code == 409
    item.refresh_from_db()
    assert item.title == "A"


def test_outsiders_get_404_everywhere(world: World) -> None:
    item = _item(world)
    client = world.client_for("outsider")
    slug = world.account.slug
    for name, args in (
        ("news:list", [slug]),
        ("news:create", [slug]),
        ("news:detail", [slug, item.pk]),
        ("news:edit", [slug, item.pk]),
        ("news:delete", [slug, item.pk]),
        ("news:read", [slug, item.pk]),
    ):
        assert client.post(reverse(name, args=args)).status_code in (404, 405)
        assert client.get(reverse(name, args=args)).status_code in (404, 405)
    assert NewsItem.objects.get().title == "Wuhan plant"


def test_home_lists_unread_news_until_it_is_read(world: World) -> None:
    item = _item(world, author=world.lead, body="A plant for the Chinese market.")
    client = world.client_for("member")
    assert "Wuhan plant" in client.get(reverse("home")).content.decode()
    client.post(reverse("news:read", args=[world.account.slug, item.pk]))
    assert "Wuhan plant" not in client.get(reverse("home")).content.decode()


def test_the_news_list_queries_do_not_grow_with_items(world: World) -> None:
    url = reverse("news:list", args=[world.account.slug])

    def more(n: int) -> None:
        for i in range(n):
            item = _item(world, audience=Audience.ROLES if i % 2 else Audience.TEAM)
            item.roles.set([world.membership.role])
            item.contacts.set([world.contact])
            NewsRead.objects.create(item=item, user=world.lead)

    more(1)
    small = page_queries(world.client_for("member"), url)
    more(19)
    large = page_queries(world.client_for("member"), url)
    assert small == large, f"{small} queries with 1 item, {large} with 20"
