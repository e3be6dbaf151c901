from django.urls import path

from accounts import views
from portfolio import views as portfolio_views
from profiles import contact_views
from profiles import views as profile_views

app_name = "accounts"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("<slug:slug>/", views.account_detail, name="detail"),
    path("<slug:slug>/edit/", views.account_edit, name="edit"),
    path("<slug:slug>/archive/", views.account_archive, name="archive"),
    path("<slug:slug>/restore/", views.account_restore, name="restore"),
    path("<slug:slug>/history/", views.account_history, name="history"),
    # Plan
    path("<slug:slug>/plan/", views.plan_current, name="plan"),
    path("<slug:slug>/plan/print/", portfolio_views.plan_print, name="plan_print"),
    path("<slug:slug>/plans/new/", views.plan_create, name="plan_create"),
    path("<slug:slug>/plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("<slug:slug>/plans/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path(
        "<slug:slug>/plans/<int:plan_id>/review/",
        portfolio_views.plan_review,
        name="plan_review",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/potentials/new/",
        views.potential_create,
        name="potential_create",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/potentials/<int:pk>/edit/",
        views.potential_edit,
        name="potential_edit",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/potentials/<int:pk>/delete/",
        views.potential_delete,
        name="potential_delete",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/objectives/new/",
        views.objective_create,
        name="objective_create",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/objectives/<int:pk>/edit/",
        views.objective_edit,
        name="objective_edit",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/objectives/<int:pk>/delete/",
        views.objective_delete,
        name="objective_delete",
    ),
    # Team
    path("<slug:slug>/team/", views.team, name="team"),
    path(
        "<slug:slug>/team/composition/",
        profile_views.team_composition,
        name="team_composition",
    ),
    path("<slug:slug>/team/add/", views.member_add, name="member_add"),
    path("<slug:slug>/team/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("<slug:slug>/team/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<slug:slug>/team/<int:pk>/restore/", views.member_restore, name="member_restore"),
    # Contacts
    path("<slug:slug>/contacts/", views.contacts, name="contacts"),
    path("<slug:slug>/contacts/tree/", views.contact_tree, name="contact_tree"),
    path("<slug:slug>/contacts/new/", views.contact_create, name="contact_create"),
    path("<slug:slug>/contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("<slug:slug>/contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path(
        "<slug:slug>/contacts/<int:pk>/profile/",
        profile_views.contact_profile_edit,
        name="contact_profile_edit",
    ),
    path(
        "<slug:slug>/contacts/<int:pk>/profile/erase/",
        contact_views.contact_profile_erase,
        name="contact_profile_erase",
    ),
    path(
        "<slug:slug>/contacts/<int:pk>/export/",
        contact_views.contact_export,
        name="contact_export",
    ),
    path("<slug:slug>/contacts/<int:pk>/archive/", views.contact_archive, name="contact_archive"),
    path("<slug:slug>/contacts/<int:pk>/restore/", views.contact_restore, name="contact_restore"),
]
