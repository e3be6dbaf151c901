from django.urls import include, path

from imports import views

app_name = "imports"

# Imports into one account, under /accounts/<slug>/contacts/import/
account_urlpatterns = [
    path("", views.import_contacts, name="contacts"),
    path("template.xlsx", views.contacts_template_file, name="contacts_template"),
    path("<int:pk>/", views.import_preview, name="preview"),
]

urlpatterns = [
    path("accounts/<slug:slug>/contacts/import/", include(account_urlpatterns)),
]
