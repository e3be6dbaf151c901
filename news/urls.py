from django.urls import include, path

from news import views

app_name = "news"

# One account's news, under /accounts/<slug>/news/
account_urlpatterns = [
    path("", views.news_list, name="list"),
    path("new/", views.news_form, name="create"),
    path("<int:pk>/", views.news_detail, name="detail"),
    path("<int:pk>/edit/", views.news_form, name="edit"),
    path("<int:pk>/delete/", views.news_delete, name="delete"),
    path("<int:pk>/read/", views.news_read, name="read"),
]

urlpatterns = [
    path("accounts/<slug:slug>/news/", include(account_urlpatterns)),
]
