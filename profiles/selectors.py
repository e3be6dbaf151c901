"""Reads that shape profiles for the pages: chart rows, summaries, fit, composition."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from accounts.access import AccountAccess
from accounts.models import AccountTeamMember, CustomerContact, KeyAccount
from core.collation import name_key
from profiles.access import (
    NOTHING,
    Parts,
    can_edit_contact_profiles,
    can_view_contact_profiles,
    colleague_visibility,
)
from profiles.colours import FIT_LABELS, HINTS, Colour, Fit, Hints, fit
from profiles.models import Motive, MotiveScore, Profile, ProfilePart
from profiles.services import profile_changes
from users.models import User

SCALE = Decimal(4)  # -2 .. +2


@dataclass(frozen=True)
class ChartRow:
    motive: Motive
    score: Decimal | None

    @property
    def band(self) -> str:
        if self.score is None:
            return "unknown"
        return MotiveScore(score=self.score).band

    @property
    def left(self) -> float:
        """Where the bar starts, in percent of the -2..+2 track."""
        if self.score is None or self.score >= 0:
            return 50.0
        return float(50 + self.score / SCALE * 100)

    @property
    def width(self) -> float:
        return 0.0 if self.score is None else float(abs(self.score) / SCALE * 100)


def motives() -> list[Motive]:
    return list(Motive.objects.all())


def chart_rows(profile: Profile | None, all_motives: list[Motive]) -> list[ChartRow]:
    scores = {s.motive_id: s.score for s in profile.scores.all()} if profile else {}
    return [ChartRow(m, scores.get(m.pk)) for m in all_motives]


@dataclass(frozen=True)
class Summary:
    high: list[ChartRow]
    low: list[ChartRow]


def motive_summary(rows: list[ChartRow], top: int = 3) -> Summary:
    """The strongest high and low motives: what drives the person most."""
    scored = [r for r in rows if r.score is not None]
    high = sorted((r for r in scored if r.band == "high"), key=lambda r: -r.score)
    low = sorted((r for r in scored if r.band == "low"), key=lambda r: r.score)
    return Summary(high=high[:top], low=low[:top])


def hints_for(profile: Profile | None) -> list[tuple[str, Hints]]:
    if profile is None:
        return []
    return [(c, HINTS[c]) for c in profile.colours]


@dataclass(frozen=True)
class TeamFit:
    member: AccountTeamMember
    colour: str
    fit: Fit

    @property
    def label(self) -> str:
        return str(FIT_LABELS[self.fit])


def team_fit(
    contact_profile: Profile | None, members: list[AccountTeamMember], visible: dict[int, Parts]
) -> list[TeamFit]:
    """Which team members' colours fit or clash with a contact's, best first.

    Only members whose colours the viewer may see take part.
    """
    if contact_profile is None or not contact_profile.primary_colour:
        return []
    order = {Fit.SAME: 0, Fit.NEIGHBOUR: 1, Fit.OPPOSITE: 2}
    fits = []
    for m in members:
        profile = getattr(m.user, "profile", None)
        shown = ProfilePart.COLOURS in visible.get(m.user_id, NOTHING)
        if shown and profile and profile.primary_colour:
            fits.append(
                TeamFit(
                    m,
                    profile.primary_colour,
                    fit(contact_profile.primary_colour, profile.primary_colour),
                )
            )
    return sorted(fits, key=lambda f: (order[f.fit], name_key(f.member.user.last_name)))


def members_with_profiles(account: KeyAccount) -> list[AccountTeamMember]:
    """The active team with each member's profile and scores, in fixed queries."""
    return list(
        account.team_members.active()
        .select_related("user__profile", "role")
        .prefetch_related(
            Prefetch(
                "user__profile__scores",
                queryset=MotiveScore.objects.select_related("motive"),
            )
        )
    )


@dataclass
class TeamMix:
    label: str
    members: list[AccountTeamMember] = field(default_factory=list)
    colours: Counter[str] = field(default_factory=Counter)
    hidden: int = 0

    @property
    def bars(self) -> list[tuple[str, str, int]]:
        return [(c.value, c.label, self.colours[c.value]) for c in Colour]


def team_composition(account: KeyAccount, viewer: User) -> dict[str, object]:
    members = members_with_profiles(account)
    visible = colleague_visibility(viewer, [m.user_id for m in members])
    all_motives = motives()
    mixes = {
        AccountTeamMember.Team.CORE: TeamMix(str(AccountTeamMember.Team.CORE.label)),
        AccountTeamMember.Team.EXTENDED: TeamMix(str(AccountTeamMember.Team.EXTENDED.label)),
    }
    heat_rows = []
    seen: set[int] = set()
    for m in members:
        mix = mixes[m.team]
        mix.members.append(m)
        profile = getattr(m.user, "profile", None)
        if ProfilePart.COLOURS not in visible[m.user_id]:
            mix.hidden += 1
        elif profile:
            mix.colours.update(profile.colours)
        if ProfilePart.MOTIVES not in visible[m.user_id]:
            continue
        if m.user_id not in seen:  # one row a person, even with two roles
            seen.add(m.user_id)
            heat_rows.append((m, chart_rows(profile, all_motives)))
    return {
        "mixes": list(mixes.values()),
        "motives": all_motives,
        "heat_rows": heat_rows,
        "hidden_count": sum(1 for m in members if ProfilePart.COLOURS not in visible[m.user_id]),
        "motives_hidden_count": len(
            {m.user_id for m in members if ProfilePart.MOTIVES not in visible[m.user_id]}
        ),
    }


def contact_profile_view(access: AccountAccess, contact: CustomerContact) -> dict[str, object]:
    """What the contact page shows of the contact's profile, for this viewer."""
    if not can_view_contact_profiles(access):
        return {"show_profile": False}
    profile = Profile.objects.filter(contact=contact).prefetch_related("scores").first()
    members = members_with_profiles(access.account)
    visible = colleague_visibility(access.user, [m.user_id for m in members])
    rows = chart_rows(profile, motives())
    return {
        "show_profile": True,
        "profile": profile,
        "can_edit_profile": can_edit_contact_profiles(access) and contact.is_active,
        "rows": rows,
        "summary": motive_summary(rows),
        "hints": hints_for(profile),
        "team_fit": team_fit(profile, members, visible),
        "profile_changes": profile_changes(profile, limit=5) if profile else [],
    }


def attach_visible_profiles(viewer: User, members: list[AccountTeamMember]) -> None:
    """Set `visible_profile` on each member: their profile if the viewer may see its colours.

    `profile_parts` says what else the viewer may see (the link to the profile page).
    """
    visible = colleague_visibility(viewer, [m.user_id for m in members])
    for m in members:
        m.profile_parts = visible[m.user_id]
        m.visible_profile = (
            getattr(m.user, "profile", None) if ProfilePart.COLOURS in visible[m.user_id] else None
        )
