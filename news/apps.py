from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Customer news")

    def ready(self) -> None:
        from core import fragments
        from news.models import NewsItem, NewsRead

        # What the cached pages show (core.fragments.watch).
        fragments.watch(NewsItem, account="account")
        fragments.watch(NewsRead, account="item__account")
