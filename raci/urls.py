from django.urls import include, path

from raci import cell_views, views

app_name = "raci"

# The matrix of one account, under /accounts/<slug>/raci/
account_urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("table/", views.table, name="table"),
    path("print/", views.print_view, name="print"),
    path("toggle/", cell_views.toggle, name="toggle"),
    path("apply-template/", views.apply_template, name="apply_template"),
    path("status/", views.status_edit, name="status"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/delete/", views.task_delete, name="task_delete"),
    path("tasks/<int:pk>/move/", views.task_move, name="task_move"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
]

urlpatterns = [
    path("accounts/<slug:slug>/raci/", include(account_urlpatterns)),
    path("raci/templates/", views.template_list, name="templates"),
    path("raci/templates/new/", views.template_form, name="template_create"),
    path("raci/templates/<int:pk>/", views.template_detail, name="template"),
    path("raci/templates/<int:pk>/edit/", views.template_form, name="template_edit"),
    path("raci/templates/<int:pk>/toggle/", cell_views.template_toggle, name="template_toggle"),
    path(
        "raci/templates/<int:pk>/tasks/new/",
        views.template_task_create,
        name="template_task_create",
    ),
    path(
        "raci/templates/<int:pk>/tasks/<int:task_id>/delete/",
        views.template_task_delete,
        name="template_task_delete",
    ),
]
