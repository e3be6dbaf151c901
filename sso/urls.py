"""Mounted at /oidc/ (kamteam/urls.py); answers 404 while single sign-on is not configured.

The names are mozilla-django-oidc's, which its code reverses.
"""

from django.urls import path

from sso import views

urlpatterns = [
    path(
        "authenticate/",
        views.only_when_configured(views.SignInView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "callback/",
        views.only_when_configured(views.CallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
]
