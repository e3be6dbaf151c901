from django.urls import include, path

from documents import views

app_name = "documents"

# One account's documents, under /accounts/<slug>/documents/
account_urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_form, name="create"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_form, name="edit"),
    path("<int:pk>/upload/", views.document_upload, name="upload"),
    path("<int:pk>/files/<int:file_pk>/", views.document_download, name="download"),
    path("<int:pk>/archive/", views.document_archive, name="archive"),
    path("<int:pk>/restore/", views.document_restore, name="restore"),
]

urlpatterns = [
    path("accounts/<slug:slug>/documents/", include(account_urlpatterns)),
]
