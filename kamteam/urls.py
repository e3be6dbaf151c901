from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import pickers as picker_views
from api import urls_api
from core import metrics
from kamteam import icons, views
from notifications import views as notification_views
from portfolio import views as portfolio_views
from profiles.urls import me_urlpatterns
from raci import views as raci_views
from sso import views as sso_views
from touchpoints.views import feeds as touchpoint_feeds
from users import password_reset
from workspace import export_views, today_views, unsubscribe_views

# An error under the API's prefix answers JSON, like the API's own (core.errors).
handler400 = "core.errors.bad_request"
handler404 = "core.errors.page_not_found"

urlpatterns = [
    path("", today_views.home, name="home"),
    path("accounts/", include("workspace.urls")),
    path("accounts/<slug:slug>/coaching/", include("coaching.urls")),
    path("portfolio/", include("portfolio.urls")),
    path("directory/", portfolio_views.directory, name="directory"),
    path("search/", include("search.urls")),
    path("me/", include(me_urlpatterns)),
    path("me/profile/export/", export_views.my_export, name="my_export"),
    path("me/roles/", raci_views.my_roles, name="my_roles"),
    path("notifications/", include("notifications.urls")),
    path("people/", include("profiles.urls")),
    # Not under people/, where every name is someone's user name.
    path("pickers/people/", picker_views.people_pick, name="people_pick"),
    path("", include("raci.urls")),
    path("", include("touchpoints.urls")),
    path("", include("whitespace.urls")),
    path("", include("actions.urls")),
    path("", include("opportunities.urls")),
    path("", include("news.urls")),
    path("", include("documents.urls")),
    path("", include("imports.urls")),
    path("", include("comments.urls")),
    path("", include("activities.urls")),
    path("", include("api.urls")),
    path(settings.API_URL_PREFIX.removeprefix("/"), urls_api.urls),
    path("me/touchpoints/", touchpoint_feeds.my_touchpoints, name="my_touchpoints"),
    path("me/calendar/renew/", touchpoint_feeds.feed_renew, name="calendar_renew"),
    path("me/calendar/revoke/", touchpoint_feeds.feed_revoke, name="calendar_revoke"),
    # Public: calendar programs cannot log in; the secret token is the key.
    path("calendar/<str:token>.ics", touchpoint_feeds.calendar_feed, name="calendar_feed"),
    # Public: the unsubscribe link of a mail works without logging in; its signed token is the key.
    path("unsubscribe/<str:token>/", unsubscribe_views.unsubscribe_view, name="unsubscribe"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    # Public, as Django's views are (login_not_required): for people who cannot log in.
    path(
        "password-reset/",
        password_reset.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Django's logout; after a single sign-on it may end the provider's session too.
    path("logout/", sso_views.LogoutView.as_view(), name="logout"),
    # Single sign-on (sso/): public, and 404 while it is not configured.
    path("oidc/", include("sso.urls")),
    # The language switch must work on the login page too.
    # Django's, keeping a logged-in person's choice for their e-mails too.
    path("i18n/setlang/", notification_views.set_language, name="set_language"),
    path("healthz/", views.healthz, name="healthz"),
    # Public like healthz/: the database, and Redis when REDIS_URL is set.
    path("readyz/", views.readyz, name="readyz"),
    # Public, but 404 without METRICS_TOKEN and refused without it (core/metrics.py).
    path("metrics", metrics.metrics_view, name="metrics"),
    # /favicon.ico and /apple-touch-icon.png: asked for without a link, before login.
    *icons.urlpatterns,
    path("admin/", admin.site.urls),
]

admin.site.site_header = "kamteam"
admin.site.site_title = "kamteam"
