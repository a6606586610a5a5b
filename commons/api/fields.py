"""Serializer fields of the API's fiche fields, each read in bulk by the list endpoint.

Wagtail serializes a many-to-many field with one query per page and per field (its tags field
even re-orders, which defeats any prefetch). Each field here says how the list endpoint reads it
for all the listed pages at once (`prefetch`), then only walks what was prefetched; pages other
than the fiche itself appear only while the public may see them.
"""

from django.db.models import Exists, OuterRef, Prefetch

from rest_framework.fields import Field

from commons.speed.visibility import pages, quick_url_parts, site_root_paths

TERM_ATTRIBUTES = ("slug", "name")


class PrefetchedField(Field):
    """A read-only field whose values the list endpoint prefetches (`prefetch(model, name)`)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def prefetch(self, model, name):
        return name


class TermsField(PrefetchedField):
    """Taxonomy terms or associations as small objects: `[{"slug": …, "name": …}]`, in display order;
    `with_parent` adds the parent's slug (a second-level thème)."""

    def __init__(self, attributes=TERM_ATTRIBUTES, with_parent=False, **kwargs):
        self.attributes, self.with_parent = attributes, with_parent
        super().__init__(**kwargs)

    def prefetch(self, model, name):
        if not self.with_parent:
            return name
        terms = model._meta.get_field(name).related_model.objects.select_related("parent")
        return Prefetch(name, queryset=terms)

    def to_representation(self, value):
        return [self.term_data(term) for term in value.all()]

    def term_data(self, term) -> dict:
        data = term_object(term, self.attributes)
        if self.with_parent:
            data["parent"] = term.parent.slug if term.parent_id else None
        return data


class TagNamesField(PrefetchedField):
    """Free tags as a sorted list of names, read from the prefetched tags."""

    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())


class PublicPagesField(PrefetchedField):
    """Linked fiches (a method's tools): id, title, slug and address, only those the public may see."""

    def prefetch(self, model, name):
        related = model._meta.get_field(name).related_model
        public = related.objects.filter(pk__in=pages().live_public().values("pk"))
        return Prefetch(name, queryset=public.only("id", "title", "slug", "url_path").order_by("title"))

    def to_representation(self, value):
        return [page_object(page) for page in value.all()]


class ChildRowsField(PrefetchedField):
    """Inline rows of a fiche (a territory's method uses, a tool's files) as objects.

    `related` maps a row's foreign keys to the attributes shown of the object they point to.
    `page` names its link to another page: with `page_required`, a row whose page the public may
    not see is left out; otherwise the row stays and only the link is hidden.
    """

    def __init__(self, attributes, related=None, page="", page_required=False, **kwargs):
        self.attributes, self.related = attributes, related or {}
        self.page, self.page_required = page, page_required
        super().__init__(**kwargs)

    def prefetch(self, model, name):
        rows = model._meta.get_field(name).related_model.objects.select_related(*self.related)
        if self.page:
            rows = rows.select_related(self.page)
            public = pages().live_public().filter(pk=OuterRef(f"{self.page}_id"))
            rows = (
                rows.filter(Exists(public))
                if self.page_required
                else rows.annotate(page_is_public=Exists(public))
            )
        return Prefetch(name, queryset=rows)

    def to_representation(self, value):
        return [self.row_data(row) for row in value.all()]

    def row_data(self, row) -> dict:
        data = {attribute: serializable(getattr(row, attribute)) for attribute in self.attributes}
        for name, attributes in self.related.items():
            linked = getattr(row, name)
            data[name] = term_object(linked, attributes) if linked is not None else None
        if self.page:
            linked = getattr(row, self.page)
            visible = linked is not None and (self.page_required or getattr(row, "page_is_public", False))
            data[self.page] = page_object(linked) if visible else None
        return data


def term_object(term, attributes) -> dict:
    return {attribute: getattr(term, attribute) for attribute in attributes}


def page_object(page) -> dict:
    """A linked page as the API shows it: its id (for `/api/v2/pages/<id>/`), title, slug and URL."""
    return {"id": page.pk, "title": page.title, "slug": page.slug, "html_url": full_url(page)}


def full_url(page) -> str | None:
    """`page.full_url` from the cached site roots: a plain `Page` (a project's fiche) would reverse."""
    parts = quick_url_parts(page.url_path, site_root_paths())
    return parts[1] + parts[2] if parts else page.full_url


def serializable(value):
    """Dates as ISO 8601 strings, the rest as it is."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def prefetches_of(model, serializer_fields) -> list:
    """What the list endpoint prefetches for `model`: one lookup per prefetched field."""
    return [field.prefetch(model, name) for name, field in serializer_fields.items()]
