"""People: the user pool (one shared password hash), the manager, user profiles."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from bench.seeding.base import FIRST, LAST, bulk
from profiles.models import Profile
from users.models import MANAGERS_GROUP, User


def seed_users(n_accounts: int, password: str) -> tuple[list[User], User, User]:
    """Ten users per account plus six, the lead among them, and the manager.

    Teams take the first 6 x accounts + 6 (bench.seeding.accounts.seed_team);
    the rest are colleagues in the directory only, as in a company where
    every sales employee has an account (50,000 at SCALE=5000).
    """
    # One hash for all (hashing 3,000 times would take minutes).
    hashed = make_password(password)
    n_users = n_accounts * 10 + 6
    users = bulk(
        User,
        [
            User(
                username=f"bench-{u:05d}",
                first_name=FIRST[u % len(FIRST)],
                last_name=f"{LAST[u % len(LAST)]}-{u}",
                email=f"bench-{u:05d}@example.com",
                password=hashed,
            )
            for u in range(n_users)
        ],
    )
    # User 6 is the GKAM of account 1 and inside sales on account 0: a typical lead.
    lead = users[6]
    lead.username = "bench-lead"
    lead.save(update_fields=["username"])
    manager = User.objects.create(
        username="bench-manager", first_name="Monika", last_name="Manager", password=hashed
    )
    manager.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    return users, lead, manager


def seed_user_profiles(users: list[User]) -> None:
    """A colour profile, shared with the team, for every third user."""
    bulk(
        Profile,
        [
            Profile(
                user=u,
                primary_colour=["red", "blue", "green", "orange"][i % 4],
                secondary_colour=["blue", "green", "orange", "red"][i % 4],
                share_with_team=True,
            )
            for i, u in enumerate(users)
            if i % 3 == 0
        ],
    )
