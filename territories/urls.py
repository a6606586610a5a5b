from django.urls import path

from territories import views

urlpatterns = [
    path("feuille-de-route/", views.roadmap, name="roadmap"),
    path("territoires.geojson", views.territories_geojson, name="territories_geojson"),
    path("autodiagnostic/", views.assessment_form, name="assessment_form"),
    path("autodiagnostic/resultat/", views.assessment_result, name="assessment_result"),
]
