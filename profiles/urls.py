from django.contrib.auth import views as auth_views
from django.urls import path

from profiles import contact_views, views
from profiles.password_views import PasswordChangeView

app_name = "profiles"

urlpatterns = [
    path("<str:username>/", views.person_detail, name="person"),
    path("<str:username>/edit/", views.person_edit, name="person_edit"),
]

# Under /me/: the logged-in person's own pages.
me_urlpatterns = [
    path("profile/", views.my_profile, name="my_profile"),
    path("profile/sharing/", views.my_sharing, name="my_sharing"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

# Under accounts/<slug>/, in the "accounts" namespace (workspace.urls).
account_urlpatterns = [
    path(
        "<slug:slug>/team/composition/",
        views.team_composition,
        name="team_composition",
    ),
    path(
        "<slug:slug>/contacts/<int:pk>/profile/",
        views.contact_profile_edit,
        name="contact_profile_edit",
    ),
    path(
        "<slug:slug>/contacts/<int:pk>/profile/erase/",
        contact_views.contact_profile_erase,
        name="contact_profile_erase",
    ),
]
