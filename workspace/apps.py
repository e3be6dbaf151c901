from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The top layer: the account workspace's own pages and what spans every app."""

    name = "workspace"
    verbose_name = _("Account workspace")
