"""Comments on the plan, its objectives and potentials, RACI tasks and plan reviews:
written by the team (managers answer on their reviews), @mentions told, edits kept in
the history, removals leaving "comment removed"."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import PlanObjective, PlanPotential
from comments.mentions import handles, marked
from comments.models import Comment
from notifications.models import Notification
from portfolio.models import PlanReview
from tests.factories import KeyAccountFactory, UserFactory
from tests.fixtures import World
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def _thread(world: World, target: str = "plan", pk: int | None = None) -> str:
    return reverse("comments:thread", args=[world.account.slug, target, pk or _pk(world, target)])


def _pk(world: World, target: str) -> int:
    if target == "plan":
        return world.plan.pk
    if target == "task":
        return world.raci_task.pk
    if target == "objective":
        return PlanObjective.objects.get_or_create(plan=world.plan, text="Win the retrofit")[0].pk
    if target == "potential":
        return PlanPotential.objects.get_or_create(
            plan=world.plan, description="Leipzig plant", defaults={"year": world.plan.start_year}
        )[0].pk
    return _review(world).pk


def _review(world: World) -> PlanReview:
    return PlanReview.objects.get_or_create(
        plan=world.plan, reviewed_by=world.manager, defaults={"comment": "Where is China?"}
    )[0]


def _post(world: World, who: str, body: str, target: str = "plan", **extra) -> object:
    return world.client_for(who).post(_thread(world, target), {"body": body, **extra})


def _told(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient", flat=True))


def test_a_member_comments_on_the_plan_and_the_named_lead_is_told(world: World) -> None:
    body = f"@{world.lead.username}, shall we add the China plants?"
    response = _post(world, "member", body)
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{_thread(world)}#comment-{comment.pk}"
    assert (comment.author, comment.plan, comment.account) == (
        world.member,
        world.plan,
        world.account,
    )
    assert list(comment.mentions.all()) == [world.lead]
    assert _told("mentioned") == {world.lead.pk}  # not the author, nobody else
    notification = Notification.objects.get(kind="mentioned")
    assert notification.url == f"{_thread(world)}#comment-{comment.pk}"
    # On the plan page, at its foot, with the mention marked.
    page = world.client_for("lead").get(world.plan.get_absolute_url()).content.decode()
    assert 'id="comments"' in page and "shall we add the China plants?" in page
    assert f'<strong class="mention">@{world.lead.username}</strong>' in page


def test_the_plan_page_form_comes_back_to_the_plan(world: World) -> None:
    plan_url = world.plan.get_absolute_url()
    response = _post(world, "member", "Looks good.", next=plan_url)
    comment = Comment.objects.get()
    assert response["Location"] == f"{plan_url}#comment-{comment.pk}"
    # Anywhere else is not where the form was: the thread's page instead.
    response = _post(world, "member", "Again.", next="https://evil.example/")
    assert response["Location"].startswith(_thread(world) + "#comment-")


@pytest.mark.parametrize("target", ["objective", "potential", "task"])
def test_objectives_potentials_and_raci_tasks_have_threads(world: World, target: str) -> None:
    response = _post(world, "member", "What does the customer say?", target)
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.target == target
    page_url = (
        reverse("raci:matrix", args=[world.account.slug])
        if target == "task"
        else world.plan.get_absolute_url()
    )
    page = world.client_for("member").get(page_url).content.decode()
    link = reverse("comments:thread", args=[world.account.slug, target, comment.target_id])
    assert f'href="{link}"' in page
    assert '1<span class="visually-hidden"> comment on' in page  # the count, read aloud too
    thread = world.client_for("member").get(link).content.decode()
    assert "What does the customer say?" in thread


def test_a_new_comment_moves_the_cached_raci_matrix(world: World) -> None:
    url = reverse("raci:matrix", args=[world.account.slug])
    link = _thread(world, "task")
    assert "1<span" not in world.client_for("lead").get(url).content.decode().split(link)[1][:200]
    _post(world, "member", "Who signs?", "task")
    after = world.client_for("lead").get(url).content.decode()
    assert "1<span" in after.split(link)[1][:200]


def test_naming_someone_who_cannot_read_the_account_is_refused_at_the_field(
    world: World,
) -> None:
    response = _post(world, "member", f"@{world.outsider.username} and @nobody-here, look")
    assert response.status_code == 400
    page = response.content.decode()
    assert f"@{world.outsider.username}, @nobody-here are nobody who can read this account" in page
    assert not Comment.objects.exists() and not Notification.objects.exists()


def test_a_manager_can_be_named_and_hears_of_it(world: World) -> None:
    _post(world, "member", f"@{world.manager.username.upper()} please have a look")
    assert _told("mentioned") == {world.manager.pk}


def test_empty_and_overlong_comments_are_refused(world: World) -> None:
    response = _post(world, "member", "   \n ")
    assert response.status_code == 400
    assert "Write something first." in response.content.decode()
    response = _post(world, "member", "x" * 4001)
    assert response.status_code == 400
    assert "at most 4000 characters" in response.content.decode()
    many = " ".join(f"@user{i}" for i in range(21))
    response = _post(world, "member", many)
    assert "Mention at most 20 people in one comment." in response.content.decode()
    assert not Comment.objects.exists()


def test_words_are_escaped_and_mail_addresses_name_nobody() -> None:
    assert handles("write to max@example.com, @Kam and @kam.") == ["kam"]
    assert handles("(@nkam-china): ok") == ["nkam-china"]
    assert marked("<b>@kam</b> & @other", {"kam"}) == (
        '&lt;b&gt;<strong class="mention">@kam</strong>&lt;/b&gt; &amp; @other'
    )


def test_managers_read_threads_and_answer_only_on_their_reviews(world: World) -> None:
    assert world.client_for("manager").get(_thread(world)).status_code == 200
    assert _post(world, "manager", "Add China.").status_code == 403
    assert _post(world, "manager", "Thanks.", "objective").status_code == 403
    assert _post(world, "manager", "Let me add: Wuhan too.", "review").status_code == 302
    assert Comment.objects.get().review == _review(world)


def test_the_lead_answers_the_review_and_the_reviewer_is_told(world: World) -> None:
    review = _review(world)
    response = _post(world, "lead", "China follows in the national plan.", "review")
    assert response.status_code == 302
    assert _told("review_answered") == {world.manager.pk}
    plan_page = world.client_for("manager").get(world.plan.get_absolute_url()).content.decode()
    assert f'id="review-{review.pk}"' in plan_page and "1 answer" in plan_page
    # The reviewer answering their own thread tells nobody.
    _post(world, "manager", "Good.", "review")
    assert _told("review_answered") == {world.manager.pk}
    assert Notification.objects.filter(kind="review_answered").count() == 1


def test_outsiders_find_no_thread_and_no_comment(world: World) -> None:
    _post(world, "member", "Internal.")
    comment = Comment.objects.get()
    outsider = world.client_for("outsider")
    assert outsider.get(_thread(world)).status_code == 404
    assert outsider.post(_thread(world), {"body": "Hi"}).status_code == 404
    edit = reverse("comments:edit", args=[world.account.slug, comment.pk])
    assert outsider.get(edit).status_code == 404
    assert Comment.objects.count() == 1


def test_a_thread_of_another_account_or_an_unknown_kind_is_not_found(world: World) -> None:
    other = KeyAccountFactory()
    from accounts.models import KeyAccountPlan

    foreign = KeyAccountPlan.objects.create(account=other, start_year=2026, end_year=2028)
    client = world.client_for("lead")
    assert client.get(_thread(world, "plan", foreign.pk)).status_code == 404
    url = reverse("comments:thread", args=[world.account.slug, "contact", world.contact.pk])
    assert client.get(url).status_code == 404


def test_the_author_edits_and_the_history_keeps_the_earlier_wording(world: World) -> None:
    _post(world, "member", "Visit in March.")
    comment = Comment.objects.get()
    url = reverse("comments:edit", args=[world.account.slug, comment.pk])
    client = world.client_for("member")
    assert client.get(url).status_code == 200
    body = f"Visit in April, @{world.lead.username}."
    response = client.post(url, {"body": body, "version": comment.version})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == body and comment.edited_at is not None
    assert [h.body for h in comment.history.order_by("history_date")] == [
        "Visit in March.",
        body,
    ]
    assert _told("mentioned") == {world.lead.pk}
    thread = client.get(_thread(world)).content.decode()
    assert "1 earlier wording" in thread and "Visit in March." in thread
    # Saved again with the same mention: nobody is told twice.
    client.post(url, {"body": body + " Or May.", "version": comment.version})
    assert Notification.objects.filter(kind="mentioned").count() == 1


def test_an_edit_of_an_old_version_is_refused(world: World) -> None:
    _post(world, "member", "First.")
    comment = Comment.objects.get()
    url = reverse("comments:edit", args=[world.account.slug, comment.pk])
    client = world.client_for("member")
    assert client.post(url, {"body": "Second.", "version": 1}).status_code == 302
    response = client.post(url, {"body": "Third.", "version": 1})
    assert response.status_code == 409
    comment.refresh_from_db()
    assert comment.body == "Second."


def test_only_the_author_edits(world: World) -> None:
    _post(world, "member", "Mine.")
    comment = Comment.objects.get()
    url = reverse("comments:edit", args=[world.account.slug, comment.pk])
    response = world.client_for("lead").post(url, {"body": "Changed.", "version": 1})
    assert response.status_code == 403
    assert world.client_for("manager").get(url).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Mine."


def test_a_lead_removes_a_comment_and_the_thread_says_so(world: World) -> None:
    _post(world, "member", "Off topic.")
    comment = Comment.objects.get()
    url = reverse("comments:remove", args=[world.account.slug, comment.pk])
    lead = world.client_for("lead")
    assert "Remove this comment?" in lead.get(url).content.decode()
    assert lead.post(url).status_code == 302
    comment.refresh_from_db()
    assert (comment.body, comment.removed_by) == ("", world.lead)
    assert comment.history.filter(body="Off topic.").exists()
    thread = lead.get(_thread(world)).content.decode()
    assert f"Comment removed by {world.lead.display_name}." in thread
    assert "Off topic." not in thread
    # Removed once: no second removal, no edit.
    assert lead.post(url).status_code == 403
    edit = reverse("comments:edit", args=[world.account.slug, comment.pk])
    assert world.client_for("member").get(edit).status_code == 403


def test_a_member_cannot_remove_anothers_comment(world: World) -> None:
    _post(world, "lead", "Lead's words.")
    comment = Comment.objects.get()
    url = reverse("comments:remove", args=[world.account.slug, comment.pk])
    assert world.client_for("member").post(url).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Lead's words."


def test_an_archived_account_keeps_its_threads_read_only(world: World) -> None:
    _post(world, "member", "Before.")
    world.account.status = world.account.Status.ARCHIVED
    world.account.save()
    response = _post(world, "member", "After.")
    assert response.status_code == 403
    page = world.client_for("member").get(_thread(world)).content.decode()
    assert "Before." in page and "its threads are read-only" in page
    assert Comment.objects.count() == 1


def test_a_comment_belongs_to_exactly_one_thread(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(
            account=world.account, body="x", plan=world.plan, task=world.raci_task
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(account=world.account, body="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(account=world.account, body="", plan=world.plan)


def test_a_thread_goes_with_its_objective(world: World) -> None:
    _post(world, "member", "On the objective.", "objective")
    Comment.objects.get().objective.delete()
    assert not Comment.objects.exists()
    assert Comment.history.filter(body="On the objective.").exists()


def test_a_long_thread_opens_at_its_newest_page(world: World) -> None:
    for i in range(55):
        Comment.objects.create(
            account=world.account, plan=world.plan, author=world.member, body=f"Note {i:02}"
        )
    page = world.client_for("member").get(_thread(world)).content.decode()
    assert "Note 54" in page and "Note 04" not in page and "Page 2 of 2" in page
    first = world.client_for("member").get(_thread(world) + "?page=1").content.decode()
    assert "Note 00" in first and "Note 54" not in first
    # The plan page shows the newest ten and links to the rest.
    plan = world.client_for("member").get(world.plan.get_absolute_url()).content.decode()
    assert "Note 54" in plan and "Note 44" not in plan and "45 earlier comments" in plan


def test_the_thread_queries_do_not_grow_with_comments(world: World) -> None:
    url = _thread(world)

    def more(n: int) -> None:
        for i in range(n):
            comment = Comment.objects.create(
                account=world.account, plan=world.plan, author=world.member, body=f"@lead {i}"
            )
            comment.mentions.set([world.lead])
            comment.body = f"@lead {i}, edited"
            comment.edited_at = comment.created_at
            comment.save()

    more(1)
    small = page_queries(world.client_for("lead"), url)
    more(19)
    large = page_queries(world.client_for("lead"), url)
    assert small == large, f"{small} queries with 1 comment, {large} with 20"


def test_the_plan_page_queries_do_not_grow_with_comments(world: World) -> None:
    url = world.plan.get_absolute_url()

    def more(n: int) -> None:
        objective = PlanObjective.objects.create(plan=world.plan, text=f"Goal {n}")
        for i in range(n):
            Comment.objects.create(
                account=world.account, plan=world.plan, author=world.member, body=f"Plan {i}"
            )
            Comment.objects.create(
                account=world.account, objective=objective, author=world.lead, body=f"Obj {i}"
            )

    more(1)
    small = page_queries(world.client_for("member"), url)
    more(19)
    large = page_queries(world.client_for("member"), url)
    assert small == large, f"{small} queries with 1 comment, {large} with 20"


def test_a_new_team_member_is_offered_for_mentions(world: World) -> None:
    page = world.client_for("member").get(_thread(world)).content.decode()
    assert f"@{world.lead.username}" in page
    stranger = UserFactory()
    assert f"@{stranger.username}" not in page
    assert Client().get(_thread(world)).status_code == 302
