from django.urls import path

from commons.opendata import feeds, views

urlpatterns = [
    path("export/", views.export_page, name="export"),
    path("export/commons.json", views.commons_json, name="export_json"),
    path("export/<slug:name>.csv", views.fiches_csv, name="export_csv"),
    path("flux.xml", feeds.publications_feed, name="feed"),
    path("questions/<slug:slug>/flux.xml", feeds.question_feed, name="question_feed"),
]
