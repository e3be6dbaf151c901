from django.urls import path

from accounts.views import accounts, contacts, national, plans, revenue, team

# Included by workspace.urls under the "accounts" namespace, together with the
# account pages of the other apps.

urlpatterns = [
    path("", accounts.account_list, name="list"),
    path("new/", accounts.account_create, name="create"),
    path("<slug:slug>/edit/", accounts.account_edit, name="edit"),
    path("<slug:slug>/archive/", accounts.account_archive, name="archive"),
    path("<slug:slug>/restore/", accounts.account_restore, name="restore"),
    # Plan
    path("<slug:slug>/plan/", plans.plan_current, name="plan"),
    path("<slug:slug>/plans/new/", plans.plan_create, name="plan_create"),
    path("<slug:slug>/plans/<int:plan_id>/", plans.plan_detail, name="plan_detail"),
    path("<slug:slug>/plans/<int:plan_id>/edit/", plans.plan_edit, name="plan_edit"),
    path(
        "<slug:slug>/plans/<int:plan_id>/potentials/new/",
        plans.potential_create,
        name="potential_create",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/potentials/<int:pk>/edit/",
        plans.potential_edit,
        name="potential_edit",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/potentials/<int:pk>/delete/",
        plans.potential_delete,
        name="potential_delete",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/objectives/new/",
        plans.objective_create,
        name="objective_create",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/objectives/<int:pk>/edit/",
        plans.objective_edit,
        name="objective_edit",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/objectives/<int:pk>/delete/",
        plans.objective_delete,
        name="objective_delete",
    ),
    # National plans under a global plan, one per country (accounts.national)
    path(
        "<slug:slug>/plans/<int:plan_id>/national/new/",
        national.national_plan_create,
        name="national_plan_create",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/national/<slug:country>/",
        national.national_plan,
        name="national_plan",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/national/<slug:country>/edit/",
        national.national_plan_edit,
        name="national_plan_edit",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/national/<slug:country>/potentials/new/",
        national.potential_create,
        name="national_potential_create",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/national/<slug:country>/potentials/<int:pk>/edit/",
        national.potential_edit,
        name="national_potential_edit",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/national/<slug:country>/potentials/<int:pk>/delete/",
        national.potential_delete,
        name="national_potential_delete",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/national/<slug:country>/objectives/new/",
        national.objective_create,
        name="national_objective_create",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/national/<slug:country>/objectives/<int:pk>/edit/",
        national.objective_edit,
        name="national_objective_edit",
    ),
    path(
        "<slug:slug>/plans/<int:plan_id>/national/<slug:country>/objectives/<int:pk>/delete/",
        national.objective_delete,
        name="national_objective_delete",
    ),
    # Revenue per year (actuals; the targets are the plans')
    path("<slug:slug>/revenue/", revenue.revenue, name="revenue"),
    path("<slug:slug>/revenue/new/", revenue.revenue_create, name="revenue_create"),
    path("<slug:slug>/revenue/<int:pk>/edit/", revenue.revenue_edit, name="revenue_edit"),
    path("<slug:slug>/revenue/<int:pk>/delete/", revenue.revenue_delete, name="revenue_delete"),
    # Team
    path("<slug:slug>/team/add/", team.member_add, name="member_add"),
    path("<slug:slug>/team/<int:pk>/edit/", team.member_edit, name="member_edit"),
    path("<slug:slug>/team/<int:pk>/remove/", team.member_remove, name="member_remove"),
    path("<slug:slug>/team/<int:pk>/restore/", team.member_restore, name="member_restore"),
    # Contacts
    path("<slug:slug>/contacts/new/", contacts.contact_create, name="contact_create"),
    path("<slug:slug>/contacts/<int:pk>/edit/", contacts.contact_edit, name="contact_edit"),
    path(
        "<slug:slug>/contacts/<int:pk>/archive/", contacts.contact_archive, name="contact_archive"
    ),
    path(
        "<slug:slug>/contacts/<int:pk>/restore/", contacts.contact_restore, name="contact_restore"
    ),
]
