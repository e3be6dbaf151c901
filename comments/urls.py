from django.urls import include, path

from comments import views

app_name = "comments"

# One account's comments, under /accounts/<slug>/comments/
account_urlpatterns = [
    path("<str:target>/<int:pk>/", views.thread, name="thread"),
    path("<int:pk>/edit/", views.comment_edit, name="edit"),
    path("<int:pk>/remove/", views.comment_remove, name="remove"),
]

urlpatterns = [
    path("accounts/<slug:slug>/comments/", include(account_urlpatterns)),
]
