from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "users"
    verbose_name = _("Users")

    def ready(self) -> None:
        from django.contrib.auth.models import Group, Permission

        from core import fragments
        from users.models import User

        # People are shown on every account's pages; Django's groups (the
        # managers) and permissions decide what they may see and do there.
        fragments.watch(User, Group, Permission)
