"""Wagtail's read-only API at `/api/v2/`, public content only.

- `router`: the endpoints and the index of `/api/v2/` (`commons.urls` includes `api_router.urls`);
- `views`: the pages, documents and images endpoints, restricted to what the public sees;
- `filters`: taxonomy and association filters, and field filters that answer 400 to bad values;
- `fields`: the serializer fields of the fiches' `api_fields`, read in bulk by the list endpoint.

Nothing is imported here: the fiche models import `fields` while the app registry is loading,
before the views (which need the document and image models) can be imported.
"""

__all__: list[str] = []
