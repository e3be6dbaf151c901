"""Who a person is at the company's OpenID provider, remembered at their first sign-in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OidcIdentity(models.Model):
    """The provider's stable subject (`sub`) for one of our users.

    Later sign-ins find the person by it, not by the e-mail address, which
    the provider may let people change and does not always confirm.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="oidc_identities",
        verbose_name=_("user"),
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    # OpenID Connect's own word (`sub`); an activity's subject is a "Betreff".
    subject = models.CharField(pgettext_lazy("OpenID Connect", "subject"), max_length=255)
    created = models.DateTimeField(_("linked"), auto_now_add=True)
    last_login = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            # One account per person at the provider: the look-up of every sign-in.
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="sso_identity_unique_subject"
            ),
            # A second provider account may not take over a linked user.
            models.UniqueConstraint(fields=["user", "issuer"], name="sso_identity_one_per_issuer"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"
