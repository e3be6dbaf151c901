"""The authorization matrix: every URL of the project against every actor.

Walks all URL patterns (admin and declared public URLs aside). A pattern
without an entry in SAMPLES fails `test_every_url_pattern_has_a_sample`, so
no new URL can slip past these checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.fixtures import World
from tests.snapshot import database_snapshot

# Who may do what on a URL.
ACCOUNT_READ = "account-read"  # team members, managers and leads read; outsiders 404
ACCOUNT_WRITE = "account-write"  # leads only; members and managers 403; outsiders 404
ACCOUNT_WRITE_POST = "account-write-post"  # as ACCOUNT_WRITE, but POST only
LEAD_READ = "lead-read"  # leads (and staff) read; members and managers 403
LEADS_AND_MANAGERS = "leads-and-managers"  # the account's leads and managers; members 403
ACCOUNT_MANAGE = "account-manage"  # managers only (archive, restore); others 403/404
ANY_USER = "any-user"  # every logged-in person
MANAGERS_ONLY = "managers-only"  # not tied to an account: managers 200, others 403
# A colleague's profile; the sample person is `member`, a read-only team member
# who shared nothing: only the person reads and edits it; leads of their
# accounts, managers and outsiders get 404 (they must not learn what is stored).
PERSON_READ = "person-read"
MANAGERS_READ = "managers-read"  # read-only pages across all accounts: managers 200, others 403
MANAGERS_ONLY_POST = "managers-only-post"  # as MANAGERS_ONLY, but POST only
ANY_USER_POST = "any-user-post"  # the person's own settings, POST only
TO_OWN_PROFILE = "to-own-profile"  # a redirect to the person's own page, for everyone
PERSON_WRITE = "person-write"
# A notification of `member`'s: only they open it (302 to its page) or mark it
# read; to everyone else it does not exist (404).
OWN_NOTIFICATION = "own-notification"
OWN_NOTIFICATION_POST = "own-notification-post"
OWN_TOKEN = "own-token"  # the lead's API token: only they revoke it; to others it does not exist
# Customer news (news.access): the team posts; an item is read by its addressees and the
# leads, not by managers; its author and the leads change it.
TEAM_WRITE = "team-write"  # every member of the team; managers 403; outsiders 404
TEAM_ITEM = "team-item"  # the sample item's readers: member and lead; managers 404
TEAM_ITEM_CHANGE = "team-item-change"  # the lead's item: the lead; member 403; manager 404
ADDRESSEE_POST = OWN_NOTIFICATION_POST  # the member marks it read; the others find nothing
# A comment thread (comments.access): everyone reading the account reads it; the team
# writes (a POST adds a comment); managers, who answer only on their reviews, 403.
TEAM_THREAD = "team-thread"

PUBLIC = {
    "login",
    "healthz",
    # The readiness check and the metrics (METRICS_TOKEN is their key):
    # core/tests/test_observability.py tries them without and with it.
    "readyz",
    "metrics",
    "set_language",
    "calendar_feed",
    # The site icons: browsers fetch them before login (kamteam/icons.py).
    "favicon",
    "apple_touch_icon",
    # The web app manifest: browsers fetch it without cookies (kamteam/icons.py).
    "manifest",
    # A mail's unsubscribe link: no login, the signed token is the key
    # (workspace/tests/test_mail_delivery.py tries forged and real tokens).
    "unsubscribe",
    # Single sign-on (sso/): the way in for people not logged in yet; 404 while
    # not configured (sso/tests/ try them unconfigured, forged and with a real provider).
    "oidc_authentication_init",
    "oidc_authentication_callback",
    # Password reset by e-mail: for people who cannot log in; the signed token
    # of the mailed link is the key (users/tests/test_password_reset.py checks
    # they open without login, and tries forged and used links).
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


@dataclass(frozen=True)
class Sample:
    kind: str
    kwargs: Callable[[World], dict[str, object]]


def _slug(w: World) -> dict[str, object]:
    return {"slug": w.account.slug}


def _plan(w: World) -> dict[str, object]:
    return {"slug": w.account.slug, "plan_id": w.plan.pk}


def _review(w: World) -> int:
    """A manager's review of the world's plan (the world has none of its own)."""
    from portfolio.models import PlanReview

    review, _created = PlanReview.objects.get_or_create(
        plan=w.plan, reviewed_by=w.manager, defaults={"comment": "Convincing."}
    )
    return review.pk


def _members_notification(w: World) -> dict[str, object]:
    from notifications.models import Kind, Notification

    notification, _created = Notification.objects.get_or_create(
        recipient=w.member,
        kind=Kind.MADE_LEAD,
        account=w.account,
        defaults={"url": w.account.get_absolute_url(), "params": {"account": w.account.name}},
    )
    return {"pk": notification.pk}


def _ws_unit(w: World) -> dict[str, object]:
    """A unit of the world's whitespace map, and the offering of one of its cells."""
    from whitespace.models import Offering

    unit, _created = w.account.customer_units.get_or_create(name="Werk Hamburg")
    offering, _created = Offering.objects.get_or_create(name="Drive systems")
    return {"slug": w.account.slug, "unit_id": unit.pk, "offering_id": offering.pk}


def _national(w: World) -> dict[str, object]:
    """The world plan's national plan for Germany (accounts.national)."""
    from accounts.models import NationalPlan

    NationalPlan.objects.get_or_create(plan=w.plan, country="DE")
    return {**_plan(w), "country": "de"}


def _national_row(w: World, related: str, field: str) -> dict[str, object]:
    """A potential or objective of the world's national plan for Germany."""
    kwargs = _national(w)
    rows = getattr(w.plan.national_plans.get(country="DE"), related)
    row, _created = rows.get_or_create(
        **{field: "Leipzig retrofit"}, defaults={"year": 2026} if related == "potentials" else {}
    )
    return {**kwargs, "pk": row.pk}


def _news(w: World) -> dict[str, object]:
    """A news item of the lead's for the whole team (the member reads it, managers do not)."""
    from news.models import NewsItem

    item, _created = NewsItem.objects.get_or_create(
        account=w.account, title="Purchasing moves", defaults={"author": w.lead}
    )
    return {**_slug(w), "pk": item.pk}


def _plan_thread(w: World) -> dict[str, object]:
    return {**_slug(w), "target": "plan", "pk": w.plan.pk}


def _comment(w: World) -> dict[str, object]:
    """The lead's comment on the plan: the lead edits and removes it; members (not its
    author) and managers 403."""
    from comments.models import Comment

    comment, _created = Comment.objects.get_or_create(
        account=w.account, plan=w.plan, author=w.lead, defaults={"body": "Shall we add China?"}
    )
    return {**_slug(w), "pk": comment.pk}


def _activity(w: World) -> dict[str, object]:
    """An activity the lead logged: the lead changes it; members 403, managers read only."""
    from activities.models import Activity

    activity, _created = Activity.objects.get_or_create(
        account=w.account,
        subject="Plant tour",
        defaults={"logged_by": w.lead, "happened_on": "2026-11-02"},
    )
    return {**_slug(w), "pk": activity.pk}


def _document(w: World, archived: bool = False) -> dict[str, object]:
    """A file the lead added for the whole team: everyone reading the account downloads
    it; the lead changes it, members (not its author) and managers may not."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from documents.models import DocumentCategory, DocumentFile

    title = "Old offer" if archived else "Framework contract"
    document, created = w.account.documents.get_or_create(
        title=title,
        defaults={
            "category": DocumentCategory.objects.order_by("order").first(),
            "created_by": w.lead,
            "archived_at": timezone.now() if archived else None,
        },
    )
    if created:
        version = DocumentFile(
            document=document, number=1, name="contract.pdf", size=9, sha256="0" * 64
        )
        version.content_type = "application/pdf"
        version.file.save("contract.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    kwargs = {**_slug(w), "pk": document.pk}
    if not archived:
        kwargs["file_pk"] = document.files.get().pk
    return kwargs


def _pending_import(w: World, kind: str = "contacts") -> dict[str, object]:
    """The lead's upload awaiting confirmation: only its uploader previews and confirms it."""
    from imports.models import ImportBatch

    header, row = (["Last name"], ["Berger"]) if kind == "contacts" else (["Person"], ["x"])
    batch, _created = ImportBatch.objects.get_or_create(
        account=w.account,
        kind=kind,
        uploaded_by=w.lead,
        imported_at=None,
        defaults={"file_name": "c.csv", "header": header, "rows": [[2, row]]},
    )
    return {"slug": w.account.slug, "pk": batch.pk}


def _lead_token(w: World) -> dict[str, object]:
    """The lead's API token: only its owner opens its revocation."""
    from api.models import ApiToken

    token, _created = ApiToken.objects.get_or_create(
        user=w.lead, name="CRM", defaults={"prefix": "kt_x", "key_hash": f"{w.lead.pk:064d}"}
    )
    return {"pk": token.pk}


def _queued_import(w: World) -> dict[str, object]:
    return _queued_import_of(w, "contacts")


def _queued_import_of(w: World, kind: str) -> dict[str, object]:
    """The lead's large upload, queued for the task worker: its page shows the progress."""
    from django.utils import timezone

    from imports.models import ImportBatch

    kwargs = _pending_import(w, kind)
    ImportBatch.objects.filter(pk=kwargs["pk"]).update(queued_at=timezone.now())
    return kwargs


def _queued_account_upload(w: World) -> dict[str, object]:
    """The manager's large export, queued for the worker: its page shows the progress."""
    from django.utils import timezone

    from workspace.models import AccountUpload

    AccountUpload.objects.update_or_create(
        uploaded_by=w.manager,
        defaults={"file_name": "x.json", "data": {"sections": {}}, "queued_at": timezone.now()},
    )
    return {}


def _pending_accounts_import(w: World) -> dict[str, object]:
    """The manager's file of key accounts awaiting confirmation: its uploader's only."""
    from imports.models import ImportBatch

    batch, _created = ImportBatch.objects.get_or_create(
        account=None,
        kind="accounts",
        uploaded_by=w.manager,
        imported_at=None,
        defaults={"file_name": "a.csv", "header": ["Name"], "rows": [[2, ["Neu AG"]]]},
    )
    return {"pk": batch.pk}


def _pending_team_import(w: World) -> dict[str, object]:
    return _pending_import(w, "team")


def _pending_revenue_import(w: World) -> dict[str, object]:
    return _pending_import(w, "revenue")


def _document_page(w: World) -> dict[str, object]:
    kwargs = _document(w)
    del kwargs["file_pk"]
    return kwargs


def _opportunity(w: World) -> dict[str, object]:
    """An opportunity of the world's account owned by its lead (members may not change it)."""
    from opportunities.models import Opportunity, OpportunityStage

    opportunity, _created = w.account.opportunities.get_or_create(
        title="Retrofit Hamburg",
        defaults={
            "value": 100000,
            "probability": 50,
            "stage": OpportunityStage.objects.order_by("order").first(),
            "expected_close": "2026-11-30",
            "owner": w.lead_membership,
            "status": Opportunity.Status.OPEN,
        },
    )
    return {"slug": w.account.slug, "pk": opportunity.pk}


def _action(w: World) -> dict[str, object]:
    """An action under the world plan's objective, owned by the lead: only leads change it."""
    from actions.models import PlanAction

    objective = w.plan.objectives.first()
    action, _created = PlanAction.objects.get_or_create(
        objective=objective,
        title="Send the annex",
        defaults={"account": w.account, "owner": w.lead_membership, "due_date": "2026-11-30"},
    )
    return {**_slug(w), "pk": action.pk}


SAMPLES: dict[str, Sample] = {
    "home": Sample(ANY_USER, lambda w: {}),
    "password_change": Sample(ANY_USER, lambda w: {}),
    "password_change_done": Sample(ANY_USER, lambda w: {}),
    "logout": Sample("logout", lambda w: {}),
    "accounts:list": Sample(ANY_USER, lambda w: {}),
    "accounts:create": Sample(MANAGERS_ONLY, lambda w: {}),
    "accounts:account_import": Sample(MANAGERS_ONLY, lambda w: {}),
    "accounts:account_import_confirm": Sample(MANAGERS_ONLY_POST, lambda w: {}),
    "accounts:account_import_discard": Sample(MANAGERS_ONLY_POST, lambda w: {}),
    "accounts:account_import_progress": Sample(MANAGERS_ONLY, _queued_account_upload),
    # Without ?account= the people picker serves the first lead of a new account;
    # with it, the account's leads (accounts/tests/test_people_picker.py).
    "people_pick": Sample(MANAGERS_READ, lambda w: {}),
    "accounts:detail": Sample(ACCOUNT_READ, _slug),
    "accounts:edit": Sample(ACCOUNT_WRITE, _slug),
    "accounts:archive": Sample(ACCOUNT_MANAGE, _slug),
    "accounts:restore": Sample(ACCOUNT_MANAGE, _slug),
    "accounts:history": Sample(LEAD_READ, _slug),
    "accounts:plan": Sample(ACCOUNT_READ, _slug),
    "accounts:plan_create": Sample(ACCOUNT_WRITE, _slug),
    "accounts:plan_detail": Sample(ACCOUNT_READ, _plan),
    "accounts:plan_edit": Sample(ACCOUNT_WRITE, _plan),
    "accounts:potential_create": Sample(ACCOUNT_WRITE, _plan),
    "accounts:potential_edit": Sample(
        ACCOUNT_WRITE, lambda w: {**_plan(w), "pk": w.plan.potentials.get().pk}
    ),
    "accounts:potential_delete": Sample(
        ACCOUNT_WRITE, lambda w: {**_plan(w), "pk": w.plan.potentials.get().pk}
    ),
    "accounts:objective_create": Sample(ACCOUNT_WRITE, _plan),
    "accounts:objective_edit": Sample(
        ACCOUNT_WRITE, lambda w: {**_plan(w), "pk": w.plan.objectives.get().pk}
    ),
    "accounts:objective_delete": Sample(
        ACCOUNT_WRITE, lambda w: {**_plan(w), "pk": w.plan.objectives.get().pk}
    ),
    # Actions under an objective (app `actions`); owners mark their own done
    # (actions/tests/test_actions.py), this one is the lead's.
    "actions:create": Sample(
        ACCOUNT_WRITE, lambda w: {**_slug(w), "objective_id": w.plan.objectives.first().pk}
    ),
    # Under a national objective: the lead (the GKAM) adds to every country's.
    "actions:national_create": Sample(
        ACCOUNT_WRITE,
        lambda w: {**_slug(w), "objective_id": _national_row(w, "objectives", "text")["pk"]},
    ),
    "actions:edit": Sample(ACCOUNT_WRITE, _action),
    "actions:delete": Sample(ACCOUNT_WRITE, _action),
    "actions:done": Sample(ACCOUNT_WRITE, _action),
    # National plans: the lead (the GKAM) changes every country's; an NKAM only
    # their own (accounts/tests/test_national_plans.py).
    "accounts:national_plan_create": Sample(ACCOUNT_WRITE, _plan),
    "accounts:national_plan": Sample(ACCOUNT_READ, _national),
    "accounts:national_plan_edit": Sample(ACCOUNT_WRITE, _national),
    "accounts:national_potential_create": Sample(ACCOUNT_WRITE, _national),
    "accounts:national_potential_edit": Sample(
        ACCOUNT_WRITE, lambda w: _national_row(w, "potentials", "description")
    ),
    "accounts:national_potential_delete": Sample(
        ACCOUNT_WRITE, lambda w: _national_row(w, "potentials", "description")
    ),
    "accounts:national_objective_create": Sample(ACCOUNT_WRITE, _national),
    "accounts:national_objective_edit": Sample(
        ACCOUNT_WRITE, lambda w: _national_row(w, "objectives", "text")
    ),
    "accounts:national_objective_delete": Sample(
        ACCOUNT_WRITE, lambda w: _national_row(w, "objectives", "text")
    ),
    "accounts:revenue": Sample(ACCOUNT_READ, _slug),
    "accounts:revenue_create": Sample(ACCOUNT_WRITE, _slug),
    "accounts:revenue_edit": Sample(
        ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.account.revenue_actuals.get().pk}
    ),
    "accounts:revenue_delete": Sample(
        ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.account.revenue_actuals.get().pk}
    ),
    "accounts:health": Sample(ACCOUNT_READ, _slug),
    "accounts:team": Sample(ACCOUNT_READ, _slug),
    "accounts:member_add": Sample(ACCOUNT_WRITE, _slug),
    "accounts:member_edit": Sample(ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.membership.pk}),
    "accounts:member_remove": Sample(ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.membership.pk}),
    "accounts:member_restore": Sample(
        ACCOUNT_WRITE_POST, lambda w: {**_slug(w), "pk": w.former_membership.pk}
    ),
    "accounts:contacts": Sample(ACCOUNT_READ, _slug),
    "accounts:contact_tree": Sample(ACCOUNT_READ, _slug),
    "accounts:contact_create": Sample(ACCOUNT_WRITE, _slug),
    "accounts:contact_detail": Sample(ACCOUNT_READ, lambda w: {**_slug(w), "pk": w.contact.pk}),
    "accounts:contact_edit": Sample(ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.contact.pk}),
    "accounts:contact_archive": Sample(ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.contact.pk}),
    "accounts:team_composition": Sample(ACCOUNT_READ, _slug),
    "accounts:contact_profile_edit": Sample(
        ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.contact.pk}
    ),
    "accounts:contact_profile_erase": Sample(
        ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.contact.pk}
    ),
    # A data-protection export: leads and staff; members and reviewing managers 403.
    "accounts:contact_export": Sample(LEAD_READ, lambda w: {**_slug(w), "pk": w.contact.pk}),
    "accounts:account_export": Sample(LEADS_AND_MANAGERS, lambda w: {**_slug(w), "fmt": "xlsx"}),
    "profiles:person": Sample(PERSON_READ, lambda w: {"username": w.member.username}),
    "profiles:person_edit": Sample(PERSON_WRITE, lambda w: {"username": w.member.username}),
    "my_profile": Sample(TO_OWN_PROFILE, lambda w: {}),
    "my_export": Sample(ANY_USER, lambda w: {}),
    "my_sharing": Sample(ANY_USER, lambda w: {}),
    "my_roles": Sample(ANY_USER, lambda w: {}),
    "raci:matrix": Sample(ACCOUNT_READ, _slug),
    "raci:table": Sample(ACCOUNT_READ, _slug),
    "raci:print": Sample(ACCOUNT_READ, _slug),
    "raci:export_csv": Sample(ACCOUNT_READ, _slug),
    "raci:export_xlsx": Sample(ACCOUNT_READ, _slug),
    "raci:toggle": Sample(ACCOUNT_WRITE_POST, _slug),
    "raci:apply_template": Sample(ACCOUNT_WRITE_POST, _slug),
    "raci:status": Sample(ACCOUNT_WRITE, _slug),
    "raci:task_create": Sample(ACCOUNT_WRITE, _slug),
    "raci:task_edit": Sample(ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.raci_task.pk}),
    "raci:task_delete": Sample(ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.raci_task.pk}),
    "raci:task_move": Sample(ACCOUNT_WRITE_POST, lambda w: {**_slug(w), "pk": w.raci_task.pk}),
    "raci:templates": Sample(ANY_USER, lambda w: {}),
    "raci:template": Sample(ANY_USER, lambda w: {"pk": w.template.pk}),
    "raci:template_create": Sample(MANAGERS_ONLY, lambda w: {}),
    "raci:template_edit": Sample(MANAGERS_ONLY, lambda w: {"pk": w.template.pk}),
    "raci:template_toggle": Sample(MANAGERS_ONLY_POST, lambda w: {"pk": w.template.pk}),
    "raci:template_task_create": Sample(MANAGERS_ONLY, lambda w: {"pk": w.template.pk}),
    "raci:template_task_delete": Sample(
        MANAGERS_ONLY, lambda w: {"pk": w.template.pk, "task_id": w.template_task.pk}
    ),
    # Opportunities: leads change any, an owner their own (opportunities/tests/).
    "news:list": Sample(ACCOUNT_READ, _slug),
    "news:create": Sample(TEAM_WRITE, _slug),
    "news:detail": Sample(TEAM_ITEM, _news),
    "news:edit": Sample(TEAM_ITEM_CHANGE, _news),
    "news:delete": Sample(TEAM_ITEM_CHANGE, _news),
    "news:read": Sample(ADDRESSEE_POST, _news),
    # Activities (activities.access): everyone reading the account reads the timeline;
    # the team logs; the author and the leads change one (this one is the lead's).
    # Documents (documents.access): everyone reading the account reads the team's
    # documents; the team adds; the person who added one and the leads change it.
    "comments:thread": Sample(TEAM_THREAD, _plan_thread),
    "comments:edit": Sample(ACCOUNT_WRITE, _comment),
    "comments:remove": Sample(ACCOUNT_WRITE, _comment),
    "documents:list": Sample(ACCOUNT_READ, _slug),
    "documents:create": Sample(TEAM_WRITE, _slug),
    "documents:detail": Sample(ACCOUNT_READ, _document_page),
    "documents:download": Sample(ACCOUNT_READ, _document),
    "documents:edit": Sample(ACCOUNT_WRITE, _document_page),
    "documents:upload": Sample(ACCOUNT_WRITE, _document_page),
    "documents:archive": Sample(ACCOUNT_WRITE, _document_page),
    "documents:restore": Sample(ACCOUNT_WRITE, lambda w: _document(w, archived=True)),
    # Imports (imports.views): the account's leads upload, preview and confirm; a
    # pending upload is its uploader's own.
    "imports:contacts": Sample(ACCOUNT_WRITE, _slug),
    "imports:contacts_template": Sample(ACCOUNT_WRITE, _slug),
    "imports:preview": Sample(ACCOUNT_WRITE, _pending_import),
    "imports:accounts": Sample(MANAGERS_ONLY, lambda w: {}),
    "imports:accounts_template": Sample(MANAGERS_ONLY, lambda w: {}),
    "imports:accounts_preview": Sample(MANAGERS_ONLY, _pending_accounts_import),
    "imports:contacts_progress": Sample(ACCOUNT_WRITE, _queued_import),
    "imports:team_progress": Sample(ACCOUNT_WRITE, lambda w: _queued_import_of(w, "team")),
    "imports:revenue_progress": Sample(ACCOUNT_WRITE, lambda w: _queued_import_of(w, "revenue")),
    "imports:team": Sample(ACCOUNT_WRITE, _slug),
    # The API (api/): its docs and schema are for everyone signed in; a person's
    # tokens are their own (another's is not found).
    "api:openapi-json": Sample(ANY_USER, lambda w: {}),
    "api:openapi-view": Sample(ANY_USER, lambda w: {}),
    "tokens:list": Sample(ANY_USER, lambda w: {}),
    "tokens:revoke": Sample(OWN_TOKEN, _lead_token),
    "imports:team_template": Sample(ACCOUNT_WRITE, _slug),
    "imports:team_preview": Sample(ACCOUNT_WRITE, _pending_team_import),
    "imports:revenue": Sample(ACCOUNT_WRITE, _slug),
    "imports:revenue_template": Sample(ACCOUNT_WRITE, _slug),
    "imports:revenue_preview": Sample(ACCOUNT_WRITE, _pending_revenue_import),
    "activities:list": Sample(ACCOUNT_READ, _slug),
    "activities:create": Sample(TEAM_WRITE, _slug),
    "activities:edit": Sample(ACCOUNT_WRITE, _activity),
    "activities:delete": Sample(ACCOUNT_WRITE, _activity),
    "opportunities:list": Sample(ACCOUNT_READ, _slug),
    "opportunities:create": Sample(ACCOUNT_WRITE, _slug),
    "opportunities:edit": Sample(ACCOUNT_WRITE, _opportunity),
    "opportunities:close": Sample(ACCOUNT_WRITE, _opportunity),
    "opportunities:delete": Sample(ACCOUNT_WRITE, _opportunity),
    "touchpoints:grid": Sample(ACCOUNT_READ, _slug),
    "touchpoints:print": Sample(ACCOUNT_READ, _slug),
    "touchpoints:export_xlsx": Sample(ACCOUNT_READ, _slug),
    "touchpoints:account_ics": Sample(ACCOUNT_READ, _slug),
    "touchpoints:relationships": Sample(ACCOUNT_READ, _slug),
    "touchpoints:rhythm": Sample(ACCOUNT_READ, _slug),
    "touchpoints:create": Sample(ACCOUNT_WRITE, _slug),
    "touchpoints:edit": Sample(ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.touchpoint.pk}),
    "touchpoints:delete": Sample(ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.touchpoint.pk}),
    # Owned by the lead: only the owner and leads may mark it done.
    "touchpoints:done": Sample(ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.touchpoint.pk}),
    "touchpoints:roll_forward": Sample(ACCOUNT_WRITE, _slug),
    "touchpoints:relationship_create": Sample(ACCOUNT_WRITE, _slug),
    "touchpoints:relationship_edit": Sample(ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.pair.pk}),
    "touchpoints:relationship_delete": Sample(
        ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.pair.pk}
    ),
    "touchpoints:meeting_create": Sample(ACCOUNT_WRITE, _slug),
    "touchpoints:meeting_edit": Sample(ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.meeting.pk}),
    "touchpoints:meeting_delete": Sample(ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": w.meeting.pk}),
    "my_touchpoints": Sample(ANY_USER, lambda w: {}),
    # GET asks first (a subscribed calendar stops updating); POST renews or revokes.
    "calendar_renew": Sample(ANY_USER, lambda w: {}),
    "calendar_revoke": Sample(ANY_USER, lambda w: {}),
    "accounts:plan_print": Sample(ACCOUNT_READ, _slug),
    "accounts:plan_review": Sample(ACCOUNT_MANAGE, _plan),
    # The plan's leads mark a manager's review read (home page); POST only.
    "accounts:review_read": Sample(ACCOUNT_WRITE_POST, lambda w: {**_plan(w), "pk": _review(w)}),
    "directory": Sample(ANY_USER, lambda w: {}),
    # Everyone searches; each finds only what they may open (search/tests/test_access.py).
    "search": Sample(ANY_USER, lambda w: {}),
    "search_suggest": Sample(ANY_USER, lambda w: {}),
    "portfolio:portfolio": Sample(MANAGERS_READ, lambda w: {}),
    "portfolio:matrix": Sample(MANAGERS_READ, lambda w: {}),
    "portfolio:export_xlsx": Sample(MANAGERS_READ, lambda w: {}),
    "portfolio:export_csv": Sample(MANAGERS_READ, lambda w: {}),
    # The coaching self-check is the lead's own: managers reviewing the account get 403.
    "coaching:page": Sample(LEAD_READ, _slug),
    "coaching:check_create": Sample(ACCOUNT_WRITE, _slug),
    "coaching:thanks_create": Sample(ACCOUNT_WRITE, _slug),
    "accounts:contact_restore": Sample(
        ACCOUNT_WRITE_POST, lambda w: {**_slug(w), "pk": w.archived_contact.pk}
    ),
    "notifications:list": Sample(ANY_USER, lambda w: {}),
    "notifications:settings": Sample(ANY_USER, lambda w: {}),
    "notifications:mark_all_read": Sample(ANY_USER_POST, lambda w: {}),
    "notifications:open": Sample(OWN_NOTIFICATION, _members_notification),
    "notifications:mark_read": Sample(OWN_NOTIFICATION_POST, _members_notification),
    "whitespace:map": Sample(ACCOUNT_READ, _slug),
    "whitespace:export_xlsx": Sample(ACCOUNT_READ, _slug),
    "whitespace:cell": Sample(ACCOUNT_WRITE, _ws_unit),
    "whitespace:unit_create": Sample(ACCOUNT_WRITE, _slug),
    "whitespace:unit_edit": Sample(
        ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": _ws_unit(w)["unit_id"]}
    ),
    "whitespace:unit_delete": Sample(
        ACCOUNT_WRITE, lambda w: {**_slug(w), "pk": _ws_unit(w)["unit_id"]}
    ),
    "whitespace:unit_move": Sample(
        ACCOUNT_WRITE_POST, lambda w: {**_slug(w), "pk": _ws_unit(w)["unit_id"]}
    ),
}


def _walk(patterns: list, prefix: str = "") -> list[str]:
    names: list[str] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names += _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.append(prefix + p.name)
        elif isinstance(p, URLPattern):
            names.append(f"{prefix}<unnamed {p.pattern}>")
    return names


# The API's operations answer JSON and 401 rather than a login page: their own matrix,
# api/tests/test_api_matrix.py, walks every one of them. Its docs and schema are pages.
API_PAGES = {"api:openapi-json", "api:openapi-view"}
ALL_NAMES = [
    n
    for n in _walk(get_resolver().url_patterns)
    if n not in PUBLIC and (not n.startswith("api:") or n in API_PAGES)
]
ACTORS = ["outsider", "member", "manager", "lead"]

# actor -> kind -> expected GET status
EXPECTED_GET: dict[str, dict[str, int]] = {
    "outsider": {
        TEAM_THREAD: 404,
        TEAM_WRITE: 404,
        TEAM_ITEM: 404,
        TEAM_ITEM_CHANGE: 404,
        ACCOUNT_READ: 404,
        ACCOUNT_WRITE: 404,
        LEAD_READ: 404,
        LEADS_AND_MANAGERS: 404,
        ACCOUNT_MANAGE: 404,
        ANY_USER: 200,
        MANAGERS_ONLY: 403,
        MANAGERS_READ: 403,
        PERSON_READ: 404,
        PERSON_WRITE: 404,
        TO_OWN_PROFILE: 302,
        OWN_NOTIFICATION: 404,
        OWN_NOTIFICATION_POST: 405,
        OWN_TOKEN: 404,
    },
    "member": {  # also the sample person: their own profile
        TEAM_THREAD: 200,
        TEAM_WRITE: 200,
        TEAM_ITEM: 200,
        TEAM_ITEM_CHANGE: 403,
        TO_OWN_PROFILE: 302,
        ACCOUNT_READ: 200,
        ACCOUNT_WRITE: 403,
        LEAD_READ: 403,
        LEADS_AND_MANAGERS: 403,
        ACCOUNT_MANAGE: 403,
        ANY_USER: 200,
        MANAGERS_ONLY: 403,
        MANAGERS_READ: 403,
        PERSON_READ: 200,
        PERSON_WRITE: 200,
        OWN_NOTIFICATION: 302,
        OWN_NOTIFICATION_POST: 405,
        OWN_TOKEN: 404,
    },
    "manager": {
        TEAM_THREAD: 200,
        TEAM_WRITE: 403,
        TEAM_ITEM: 404,
        TEAM_ITEM_CHANGE: 404,
        TO_OWN_PROFILE: 302,
        ACCOUNT_READ: 200,
        ACCOUNT_WRITE: 403,
        LEAD_READ: 403,
        LEADS_AND_MANAGERS: 200,
        ACCOUNT_MANAGE: 200,
        ANY_USER: 200,
        MANAGERS_ONLY: 200,
        MANAGERS_READ: 200,
        PERSON_READ: 404,
        PERSON_WRITE: 404,
        OWN_NOTIFICATION: 404,
        OWN_NOTIFICATION_POST: 405,
        OWN_TOKEN: 404,
    },
    "lead": {
        TEAM_THREAD: 200,
        TEAM_WRITE: 200,
        TEAM_ITEM: 200,
        TEAM_ITEM_CHANGE: 200,
        TO_OWN_PROFILE: 302,
        ACCOUNT_READ: 200,
        ACCOUNT_WRITE: 200,
        LEAD_READ: 200,
        LEADS_AND_MANAGERS: 200,
        ACCOUNT_MANAGE: 403,
        ANY_USER: 200,
        MANAGERS_ONLY: 403,
        MANAGERS_READ: 403,
        PERSON_READ: 404,  # leading her team grants nothing she did not share
        PERSON_WRITE: 404,
        OWN_NOTIFICATION: 404,
        OWN_NOTIFICATION_POST: 405,
        OWN_TOKEN: 200,
    },
}
# actor -> kind -> expected POST status, for the writes that must be refused
EXPECTED_POST_REFUSAL: dict[str, dict[str, int]] = {
    "outsider": {
        TEAM_THREAD: 404,
        TEAM_WRITE: 404,
        TEAM_ITEM_CHANGE: 404,
        ACCOUNT_WRITE: 404,
        ACCOUNT_WRITE_POST: 404,
        ACCOUNT_MANAGE: 404,
        MANAGERS_ONLY: 403,
        MANAGERS_ONLY_POST: 403,
        PERSON_WRITE: 404,
        OWN_NOTIFICATION_POST: 404,
        OWN_TOKEN: 404,
    },
    "member": {
        TEAM_ITEM_CHANGE: 403,
        OWN_TOKEN: 404,
        ACCOUNT_WRITE: 403,
        ACCOUNT_WRITE_POST: 403,
        ACCOUNT_MANAGE: 403,
        MANAGERS_ONLY: 403,
        MANAGERS_ONLY_POST: 403,
    },
    "manager": {
        TEAM_THREAD: 403,
        TEAM_WRITE: 403,
        TEAM_ITEM_CHANGE: 404,
        ACCOUNT_WRITE: 403,
        ACCOUNT_WRITE_POST: 403,
        PERSON_WRITE: 404,
        OWN_NOTIFICATION_POST: 404,
        OWN_TOKEN: 404,
    },
    "lead": {
        ACCOUNT_MANAGE: 403,
        MANAGERS_ONLY: 403,
        MANAGERS_ONLY_POST: 403,
        PERSON_WRITE: 404,
        OWN_NOTIFICATION_POST: 404,
    },
}


def _url(world: World, name: str) -> str:
    return reverse(name, kwargs=SAMPLES[name].kwargs(world))


def test_every_url_pattern_has_a_sample() -> None:
    missing = sorted(set(ALL_NAMES) - set(SAMPLES))
    assert not missing, f"URL patterns without sample arguments in SAMPLES: {missing}"
    stale = sorted(set(SAMPLES) - set(ALL_NAMES))
    assert not stale, f"SAMPLES names URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name", ALL_NAMES)
def test_anonymous_is_sent_to_login(world: World, name: str) -> None:
    url = _url(world, name)
    response = Client().get(url) if name != "logout" else Client().post(url)
    if name == "logout":
        assert response.status_code == 302  # logging out when logged out is harmless
        return
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", ALL_NAMES)
def test_get_as(world: World, name: str, actor: str) -> None:
    sample = SAMPLES[name]
    client = world.client_for(actor)
    response = client.get(_url(world, name))
    if sample.kind == "logout":
        assert response.status_code == 405  # logging out takes a POST
        return
    if sample.kind in (ACCOUNT_WRITE_POST, MANAGERS_ONLY_POST, ANY_USER_POST):
        assert response.status_code == 405
        return
    assert response.status_code == EXPECTED_GET[actor][sample.kind], response.content[:500]


REFUSED_WRITES = [
    (name, actor)
    for name in ALL_NAMES
    for actor in ACTORS
    if SAMPLES.get(name) and SAMPLES[name].kind in EXPECTED_POST_REFUSAL[actor]
]


@pytest.mark.parametrize(("name", "actor"), REFUSED_WRITES)
def test_refused_writes_change_nothing(world: World, name: str, actor: str) -> None:
    expected = EXPECTED_POST_REFUSAL[actor][SAMPLES[name].kind]
    client = world.client_for(actor)  # logging in writes last_login: before the snapshot
    url = _url(world, name)  # a sample may create the row it points at: before it too
    before = database_snapshot()
    response = client.post(url, {"name": "Changed"})
    assert response.status_code == expected
    assert database_snapshot() == before


@pytest.mark.parametrize(
    "name",
    [
        n
        for n in ALL_NAMES
        if n in SAMPLES
        and SAMPLES[n].kind
        in (
            ACCOUNT_WRITE,
            ACCOUNT_WRITE_POST,
            ACCOUNT_MANAGE,
            MANAGERS_ONLY,
            MANAGERS_ONLY_POST,
            PERSON_WRITE,
            TEAM_WRITE,
            TEAM_ITEM_CHANGE,
        )
    ],
)
def test_post_without_csrf_token_is_refused(world: World, name: str) -> None:
    manager_kinds = (ACCOUNT_MANAGE, MANAGERS_ONLY, MANAGERS_ONLY_POST)
    actor = "manager" if SAMPLES[name].kind in manager_kinds else "lead"
    client = Client(enforce_csrf_checks=True)
    client.force_login(getattr(world, actor))
    response = client.post(_url(world, name), {"name": "Changed"})
    assert response.status_code == 403
    assert b"CSRF" in response.content


def test_public_urls_need_no_login(world: World) -> None:
    assert Client().get(reverse("login")).status_code == 200
    assert Client().get(reverse("healthz")).status_code == 200
    response = Client().post(reverse("set_language"), {"language": "de", "next": "/login/"})
    assert response.status_code == 302


# Self-grant paths: an action of one's own must not open a colleague's profile ------


def _add_member(world: World, actor: str, account_slug: str, person, code: str) -> None:
    from tests.factories import role

    response = world.client_for(actor).post(
        reverse("accounts:member_add", args=[account_slug]),
        {"user": person.pk, "role": role(code).pk, "team": "core", "country": "DE"},
    )
    assert response.status_code == 302


def _path_team_add(world: World, person) -> str:
    _add_member(world, "lead", world.account.slug, person, "engineering")
    return "lead"


def _path_first_lead(world: World, person) -> str:
    from tests.factories import KeyAccountFactory, TeamMemberFactory, role

    account = KeyAccountFactory(slug="own-account")
    TeamMemberFactory(account=account, user=world.manager, role=role("gkam"), is_lead=True)
    _add_member(world, "manager", account.slug, person, "engineering")
    return "manager"


def _path_role_change(world: World, person) -> str:
    from tests.factories import role

    _add_member(world, "lead", world.account.slug, person, "engineering")
    seat = world.account.team_members.get(user=person)
    seat.role = role("nkam")
    seat.country = "DE"
    seat.save()
    world.lead_membership.role = role("management")
    world.lead_membership.is_lead = True
    world.lead_membership.save()
    return "lead"


def _path_lead_flag(world: World, person) -> str:
    _add_member(world, "lead", world.account.slug, person, "engineering")
    world.membership.is_lead = True  # the member is made a lead by the lead
    world.membership.save()
    return "member"


@pytest.mark.parametrize(
    "path", [_path_team_add, _path_first_lead, _path_role_change, _path_lead_flag]
)
def test_no_self_grant_opens_a_colleagues_profile(world: World, path) -> None:
    from profiles.models import Profile
    from tests.factories import UserFactory

    person = UserFactory(username="carla")
    Profile.objects.create(user=person, goals="GOAL-MARKER", primary_colour="orange")
    actor = path(world, person)
    client = world.client_for(actor)
    for name in ("profiles:person", "profiles:person_edit"):
        url = reverse(name, args=[person.username])
        assert client.get(url).status_code == 404, name
    before = database_snapshot()
    edit = reverse("profiles:person_edit", args=[person.username])
    assert client.post(edit, {"goals": "CHANGED"}).status_code == 404
    assert database_snapshot() == before
