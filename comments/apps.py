from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from accounts import plan_sections
        from comments import sections
        from comments.models import Comment
        from core import fragments

        # The plan page and the RACI matrix show the threads' counts (core.fragments.watch).
        fragments.watch(Comment, account="account")
        plan_sections.register(sections.PLAN_THREAD)
