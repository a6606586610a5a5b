"""`/api/v2/`: the endpoints of Wagtail's read-only API, and an index that lists them."""

from django.http import JsonResponse
from django.urls import path

from wagtail.api.v2.router import WagtailAPIRouter

from commons.api.views import FichePagesAPIViewSet, PublicDocumentsAPIViewSet, PublicImagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", FichePagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)

ENDPOINTS = ("pages", "documents", "images")


def api_index(request):
    """What `/api/v2/` offers, so a re-user who lands there finds the endpoints."""
    return JsonResponse(
        {
            "endpoints": {name: request.build_absolute_uri(f"/api/v2/{name}/") for name in ENDPOINTS},
            "filters": "pages: ?type=methods.MethodPage, ?question=, ?theme=, ?defi=, ?association=, "
            "?search=, ?fields=*, ?limit= (100 au plus), ?offset=",
            "licence": "Chaque fiche porte sa licence Creative Commons (champs license et license_url).",
        }
    )


api_urls = [path("", api_index, name="api_index"), path("", api_router.urls)]
