"""The Projektatlas: the public catalogue of the model projects and their measures."""

from django.urls import path

from web.views import atlas

urlpatterns = [
    path("projekte/", atlas.atlas_list, name="atlas"),
    path("projekte/<slug:slug>/", atlas.atlas_project, name="atlas-project"),
    path("projekte/<slug:slug>/massnahmen/<int:measure_id>/", atlas.atlas_measure, name="atlas-measure"),
]
