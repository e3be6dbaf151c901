"""The person's control over their own profile: sharing, who sees what, being told.

Writes here happen only on the person's own request (profiles.views.my_sharing)
or follow from a team change (a grant ends when its team does); the access
rule that reads the grants is profiles.access.colleague_visibility.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from accounts.models import AccountTeamMember, KeyAccount
from core.collation import by_name, name_key
from core.concurrency import save_bumping_version
from core.mail import send_later
from profiles.models import Profile, ProfilePart, ProfileShare, ShareAudience
from users.models import User


@transaction.atomic
def profile_sharing_save(
    *, profile: Profile, share_colours: bool, grants: dict[tuple[int, str], str | None]
) -> None:
    """Apply the person's choices: `grants` maps (account id, part) to an audience or None."""
    if profile.share_with_team != share_colours:
        profile.share_with_team = share_colours
        # Moves the version on: a profile form opened before would otherwise
        # write the old choice back with its full save.
        save_bumping_version(profile, update_fields=["share_with_team", "updated_at"])
    current = {(s.account_id, s.part): s for s in ProfileShare.objects.filter(user=profile.user)}
    for (account_id, part), audience in grants.items():
        existing = current.get((account_id, part))
        if audience is None:
            if existing:
                existing.delete()  # one by one: each revocation is in the history
        elif existing is None:
            ProfileShare.objects.create(
                user=profile.user, account_id=account_id, part=part, audience=audience
            )
        elif existing.audience != audience:
            existing.audience = audience
            existing.save(update_fields=["audience"])


@dataclass
class Audience:
    """Who can see one part of a person's profile, named person by person."""

    part: ProfilePart
    people: list[User] = field(default_factory=list)
    # (account, audience) the part is shared with, for the explanation.
    via: list[tuple[KeyAccount, str]] = field(default_factory=list)


def profile_audiences(person: User) -> list[Audience]:
    """For "who can see what": everyone who sees each part of `person`'s profile today.

    Staff (the administrators) see everything, through the admin and the pages,
    and are named once on the page rather than in every row.
    """
    members = list(
        AccountTeamMember.objects.active()
        .filter(account__status=KeyAccount.Status.ACTIVE)
        .filter(account__team_members__user=person, account__team_members__archived_at__isnull=True)
        .exclude(user=person)
        .select_related("user", "role", "account")
        .distinct()
    )
    profile = Profile.objects.filter(user=person).first()
    seen: dict[ProfilePart, dict[int, User]] = {part: {} for part in ProfilePart}
    via: dict[ProfilePart, list[tuple[KeyAccount, str]]] = {part: [] for part in ProfilePart}
    if profile and profile.share_with_team:
        seen[ProfilePart.COLOURS] = {m.user_id: m.user for m in members}
    shares = ProfileShare.objects.filter(user=person, account__status=KeyAccount.Status.ACTIVE)
    for share in shares.select_related("account"):
        part = ProfilePart(share.part)
        via[part].append((share.account, share.get_audience_display()))
        for m in members:
            if m.account_id != share.account_id:
                continue
            if share.audience == ShareAudience.LEADS and not m.is_account_lead:
                continue
            seen[part][m.user_id] = m.user
    return [
        Audience(
            part,
            sorted(
                seen[part].values(),
                key=lambda u: (name_key(u.last_name), name_key(u.first_name), u.username),
            ),
            via[part],
        )
        for part in ProfilePart
    ]


@dataclass(frozen=True)
class TeamEntry:
    membership: AccountTeamMember
    added_by: User | None


def my_team_history(person: User) -> list[TeamEntry]:
    """Every team the person is or was on, with who put them there: nothing vanishes."""
    memberships = list(
        person.team_memberships.select_related("account", "role").order_by(
            "archived_at", *by_name("account__name")
        )
    )
    history = AccountTeamMember.history.model.objects.filter(
        id__in=[m.pk for m in memberships], history_type="+"
    ).select_related("history_user")
    added_by = {h.id: h.history_user for h in history}
    return [TeamEntry(m, added_by.get(m.pk)) for m in memberships]


# Reacting to team changes ------------------------------------------------------


def _current_actor() -> User | None:
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def notify_added_to_team(member: AccountTeamMember, added_by: User | None) -> None:
    """Tell the person they joined a team, and what that team may see of them.

    Always sent, whatever the person chose for team notifications: it is the
    notice of who can now see their profile. It is also the e-mail of the
    "added to a team" notification (notifications.emails.MAILED_ELSEWHERE),
    so nobody gets two. Queued for the task worker, in the person's language.
    """
    person = member.user
    if not person.email or (added_by is not None and added_by.pk == person.pk):
        return
    profile = Profile.objects.filter(user=person).first()
    language = person.preferred_language
    with translation.override(language):
        subject = _("You were added to the team of %(account)s") % {"account": member.account}
        role = str(member.role_label)
    send_later(
        to=person.email,
        subject=subject,
        template="profiles/email/added_to_team",
        context={
            "name": person.display_name,
            "added_by": added_by.display_name if added_by else "",
            "account": member.account.name,
            "role": role,
            "shares_colours": bool(profile and profile.share_with_team),
            "sharing_url": reverse("my_sharing"),
            "account_url": member.account.get_absolute_url(),
        },
        language=language,
    )


def _on_member_saved(
    sender: type, instance: AccountTeamMember, created: bool, **kwargs: Any
) -> None:
    update_fields = kwargs.get("update_fields") or ()
    back_on_team = "archived_at" in update_fields and instance.archived_at is None
    actor = _current_actor()
    # Told when someone puts them on a team in the app or the admin; scripts
    # (the demo data, the bench seed) run without a request and send nothing.
    if (created or back_on_team) and actor is not None:
        member_id = instance.pk

        def send() -> None:
            member = (
                AccountTeamMember.objects.select_related("user", "account", "role")
                .filter(pk=member_id)
                .first()
            )
            if member is not None:
                notify_added_to_team(member, actor)

        # robust: a mail server that is down must not undo the team change.
        transaction.on_commit(send, robust=True)
    elif instance.archived_at is not None:
        still_on = AccountTeamMember.objects.active().filter(
            account_id=instance.account_id, user_id=instance.user_id
        )
        if not still_on.exists():
            # A grant to a team ends with the person's place on it; coming back starts afresh.
            for share in ProfileShare.objects.filter(
                user_id=instance.user_id, account_id=instance.account_id
            ):
                share.delete()


def connect_signals() -> None:
    post_save.connect(
        _on_member_saved, sender=AccountTeamMember, dispatch_uid="profiles.sharing.member"
    )
