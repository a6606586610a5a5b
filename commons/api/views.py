"""The endpoints of `/api/v2/`: Wagtail's, restricted to what the public sees whoever asks.

- pages: live pages of the request's site outside any view restriction (password, groups, login):
  the page rows hold the published version, never a later draft. Filterable by type (Wagtail's
  `?type=`), taxonomy and association (`filters`); the fiche fields are read in bulk (`fields`),
  so a list costs the same number of queries whatever its length.
- documents, images: those of collections without a view restriction.

Only JSON is served: the whole-page cache keys a response by its URL, not by its `Accept` header,
so a browsable HTML rendering must never be stored in its place.
"""

from django.db.models import Q, QuerySet, prefetch_related_objects

from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Collection, CollectionViewRestriction, Page, Site

from rest_framework.renderers import JSONRenderer

from commons.api.fields import PrefetchedField, TagNamesField, prefetches_of
from commons.api.filters import TAXONOMY_PARAMETERS, SafeFieldsFilter, SafeSearchFilter, TaxonomyFilter
from commons.speed.freshness import per_generation
from commons.speed.visibility import pages

JSON_ONLY = [JSONRenderer]
# Past this, an offset is a 400: SQLite cannot count beyond 2**63 and PostgreSQL's bigint neither.
MAX_OFFSET = 1_000_000_000


class BoundedPagination(WagtailPagination):
    """Wagtail's `?limit=` and `?offset=`, with an offset the database can take."""

    def paginate_queryset(self, queryset, request, view=None):
        try:
            offset = int(request.GET.get("offset", 0))
        except ValueError:
            offset = 0  # Wagtail's own check answers it
        if offset > MAX_OFFSET:
            raise BadRequestError(f"offset ne peut dépasser {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


class RefuseNulParameters:
    """PostgreSQL cannot hold NUL in text (`?search=`, `?locale=` reach it as is): a 400, on SQLite too."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if any("\x00" in name + "".join(values) for name, values in request.GET.lists()):
            raise BadRequestError("un paramètre contient le caractère NUL (U+0000)")


class FichePagesAPIViewSet(RefuseNulParameters, PagesAPIViewSet):
    renderer_classes = JSON_ONLY
    pagination_class = BoundedPagination
    filter_backends = [
        SafeFieldsFilter,
        TaxonomyFilter,
        *(
            SafeSearchFilter if backend is SearchFilter else backend
            for backend in PagesAPIViewSet.filter_backends
            if backend is not FieldsFilter
        ),
    ]
    # `site` is left out: the public API serves the request's site only.
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(TAXONOMY_PARAMETERS) - {"site"}

    def get_base_queryset(self):
        """Live, public pages of the request's site (the restrictions come from the cache)."""
        site = Site.find_for_request(self.request)
        if site is None:
            return Page.objects.none()
        return pages().live_public().filter(path__startswith=site_root_tree_path(site))

    def paginate_queryset(self, queryset):
        """The page of results, with the fiche fields the response shows read in bulk."""
        page = super().paginate_queryset(queryset)
        serializer_class = self.get_serializer_class()
        declared = serializer_class._declared_fields
        shown = {name: field for name, field in declared.items() if isinstance(field, PrefetchedField)}
        lookups = prefetches_of(queryset.model, shown)
        if "locale" in serializer_class.Meta.fields:  # `?fields=*` shows each page's locale
            lookups.append("locale")
        if not lookups:
            return page
        if isinstance(page, QuerySet):
            return page.prefetch_related(*lookups)
        results = list(page)  # search results: read, then completed in bulk
        prefetch_related_objects(results, *lookups)
        return results

    def get_object(self):
        """The page in its own type, its fiche fields read as on the list (public links only)."""
        page = super().get_object()
        if not getattr(page, "_api_fields_read", False):
            prefetch_related_objects([page], *prefetches_of(type(page), prefetched_fields(type(page))))
            page._api_fields_read = True
        return page


def prefetched_fields(model) -> dict:
    """The fields of `model`'s `api_fields` that are read in bulk, by name."""
    return {
        field.name: field.serializer
        for field in FichePagesAPIViewSet.get_body_fields(model)
        if isinstance(field.serializer, PrefetchedField)
    }


def site_root_tree_path(site) -> str:
    """The tree path of the site's root page, once per content generation."""
    return per_generation(
        f"api-site-root:{site.pk}",
        lambda: Page.objects.values_list("path", flat=True).get(pk=site.root_page_id),
    )


def restricted_collections():
    """Collections under a view restriction, and their descendants (a subquery)."""
    paths = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
    inside = Q(pk__in=[])
    for path in paths:
        inside |= Q(path__startswith=path)
    return Collection.objects.filter(inside).values("pk")


def public_files(model):
    """Documents or images outside restricted collections, whoever asks, with their tags read in
    bulk (Wagtail's own tags field sorts them in SQL: one query per item)."""
    public = model.objects.exclude(collection__in=restricted_collections())
    return public.prefetch_related("tags").order_by("id")


class PublicFilesMixin(RefuseNulParameters):
    """Documents and images: JSON only, the safe filters, tags by name, public collections."""

    renderer_classes = JSON_ONLY
    pagination_class = BoundedPagination
    filter_backends = [SafeFieldsFilter, OrderingFilter, SafeSearchFilter]

    @classmethod
    def get_field_serializer_overrides(cls, model):
        return {**super().get_field_serializer_overrides(model), "tags": TagNamesField()}

    def get_queryset(self):
        return public_files(self.model)


class PublicDocumentsAPIViewSet(PublicFilesMixin, DocumentsAPIViewSet):
    pass


class PublicImagesAPIViewSet(PublicFilesMixin, ImagesAPIViewSet):
    pass
