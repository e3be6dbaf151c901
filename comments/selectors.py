"""Reads of comments: the thread a URL names, its comments with their earlier
wording, and the number of comments per thread of an account."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Model, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.access import AccountAccess
from accounts.models import KeyAccount, KeyAccountPlan, PlanObjective, PlanPotential
from comments.models import Comment, Target
from core.prepared import prepared
from portfolio.models import PlanReview
from raci.models import RaciTask


@dataclass(frozen=True)
class Thread:
    """The comments on one thing of an account: what it is, and where it is shown."""

    account: KeyAccount
    target: str
    obj: Model

    @property
    def label(self) -> str:
        return label(self.target, self.obj)

    @property
    def url(self) -> str:
        return reverse("comments:thread", args=[self.account.slug, self.target, self.obj.pk])

    @property
    def back_url(self) -> str:
        """The page that shows the thing, at the thing."""
        if self.target == Target.TASK:
            return reverse("raci:matrix", args=[self.account.slug])
        plan_id = self.obj.pk if self.target == Target.PLAN else self.obj.plan_id
        page = reverse("accounts:plan_detail", args=[self.account.slug, plan_id])
        anchor = {
            Target.PLAN: "comments",
            Target.REVIEW: f"review-{self.obj.pk}",
        }.get(self.target, f"{self.target}-{self.obj.pk}")
        return f"{page}#{anchor}"

    def comments(self) -> QuerySet[Comment]:
        return (
            Comment.objects.filter(**{self.target: self.obj})
            .select_related("author", "removed_by")
            .prefetch_related("mentions")
        )


def label(target: str, obj: Model) -> str:
    """The thing a thread discusses, in words of the active language."""
    if target == Target.PLAN:
        return _("the plan %(period)s") % {"period": obj.period}
    if target == Target.OBJECTIVE:
        return _("the objective “%(text)s”") % {"text": obj.text}
    if target == Target.POTENTIAL:
        return _("the potential “%(text)s”") % {"text": obj.description}
    if target == Target.TASK:
        return _("the RACI task “%(name)s”") % {"name": obj.name}
    when = formats.date_format(obj.reviewed_at, "DATE_FORMAT")
    who = obj.reviewed_by.display_name
    return _("the review by %(who)s of %(when)s") % {"who": who, "when": when}


def _things(account: KeyAccount, target: str) -> QuerySet:
    if target == Target.PLAN:
        return KeyAccountPlan.objects.filter(account=account)
    if target == Target.OBJECTIVE:
        return PlanObjective.objects.filter(plan__account=account)
    if target == Target.POTENTIAL:
        return PlanPotential.objects.filter(plan__account=account)
    if target == Target.TASK:
        return RaciTask.objects.filter(account=account)
    return PlanReview.objects.filter(plan__account=account).select_related("reviewed_by")


def thread_for(access: AccountAccess, target: str, pk: int) -> Thread:
    """The thread on `target` number `pk` of the viewer's account; anything else is a 404."""
    if target not in Target.values:
        raise Http404
    obj = _things(access.account, target).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return Thread(access.account, target, obj)


def comment_of(access: AccountAccess, pk: int) -> Comment:
    """A comment of the viewer's account, with its thing; another account's is a 404."""
    comment = (
        Comment.objects.filter(account=access.account, pk=pk)
        .select_related(*Target.values, "review__reviewed_by", "author")
        .first()
    )
    if comment is None:
        raise Http404
    return comment


def thread_of(comment: Comment) -> Thread:
    return Thread(comment.account, comment.target, getattr(comment, comment.target))


def with_earlier_versions(comments: list[Comment]) -> list[Comment]:
    """Each edited comment gets `.earlier`: its former wordings, newest first (one query)."""
    edited = [c.pk for c in comments if c.edited_at and not c.is_removed]
    earlier: dict[int, list] = defaultdict(list)
    if edited:
        records = Comment.history.filter(id__in=edited).order_by("id", "-history_date")
        for record in records.only("id", "body", "history_date", "version"):
            earlier[record.id].append(record)
    for comment in comments:
        # The newest record is the wording shown; the ones before it, and only
        # those whose words differ (a save of mentions alone changes nothing).
        shown = comment.body
        comment.earlier = []
        for version in earlier.get(comment.pk, [])[1:]:
            if version.body and version.body != shown:
                comment.earlier.append(version)
                shown = version.body
    return comments


def counts(account: KeyAccount) -> dict[str, dict[int, int]]:
    """{target: {thing id: comments not removed}} of `account`, in one query."""
    found: dict[str, dict[int, int]] = {t: {} for t in Target.values}
    for row in _counts(account.pk):
        for target in Target.values:
            if row[f"{target}_id"] is not None:
                found[target][row[f"{target}_id"]] = row["n"]
    return found


@prepared
def _counts(account_id: int) -> QuerySet[Any]:
    return (
        Comment.objects.filter(account_id=account_id, removed_at__isnull=True)
        .values(*[f"{t}_id" for t in Target.values])
        .annotate(n=Count("pk"))
        .order_by()
    )


def written_by(user_id: int) -> QuerySet[Comment]:
    return Comment.objects.filter(author_id=user_id).select_related("account")
