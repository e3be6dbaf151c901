"""The people who sign in: our colleagues. Everything else about them lives in profiles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models import Value
from django.utils.translation import gettext_lazy as _

from core.collation import by_name
from core.prepared import prepared
from core.validators import PlainEmailModel

MANAGERS_GROUP = "Managers"


class User(PlainEmailModel, AbstractUser):
    """A colleague at our company who can log in.

    Custom from the first migration so that later issues (profiles, calendar
    tokens) can add fields without a painful user-model swap.
    """

    # The language kamteam writes to this person in when no page is open to
    # read it from: e-mails and digests. Set by the language switch in the top
    # bar and on the notification settings page; blank until they choose.
    language = models.CharField(
        _("language for e-mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language of the e-mails kamteam sends you."),
    )

    class Meta(AbstractUser.Meta):
        # The table keeps the name it was created with in the profiles app
        # (see README, "Architecture"): moving the model moved no row.
        db_table = "profiles_user"
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = [*by_name("last_name", "first_name"), "username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def preferred_language(self) -> str:
        """The person's chosen language, else the installation's (LANGUAGE_CODE)."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def is_manager(self) -> bool:
        """Managers review every account read-only; staff count as managers.

        Cached per instance: templates ask this several times a page.
        """
        cached = self.__dict__.get("_is_manager")
        if cached is None:
            cached = self.is_active and (self.is_staff or bool(_in_group(self.pk, MANAGERS_GROUP)))
            self.__dict__["_is_manager"] = cached
        return cached


@prepared
def _in_group(user_id: int, name: str) -> models.QuerySet[Any]:
    """[1] when the person is in the group `name` (User.is_manager, on every page)."""
    return Group.objects.filter(user=user_id, name=name).values_list(Value(1))[:1]
