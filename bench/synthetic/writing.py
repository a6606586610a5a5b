"""Writing drafted pages to the database in bulk, and deleting them again."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete
from django.utils import timezone

from taggit.models import Tag
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.search.models import IndexEntry
from wagtail.search.signal_handlers import post_delete_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update

from bench.synthetic.drafting import Draft, Generator, Taxonomy, next_serial, page_kinds, synthetic_pages
from bench.synthetic.words import BATCH_SIZE, INDEX_BATCH_SIZE, SYNTHETIC_TAG, TAG_NAMES, Log
from commons.editing.site_tree import ensure_site_tree
from commons.models import Association, Defi, Phase, Question, Theme
from commons.rendering.markdown import render_markdown
from commons.speed.freshness import bump_content_generation

# --- Writing to the database -----------------------------------------------------------------


def load_taxonomy() -> Taxonomy:
    """The ids synthetic fiches link to; the tags are created once if missing."""
    questions = list(Question.objects.values_list("pk", flat=True))
    if not questions:
        raise ValueError("La taxonomie est vide : chargez d'abord le commun (manage.py load_commons).")
    return Taxonomy(
        questions=questions,
        phases=list(Phase.objects.values_list("pk", flat=True)),
        defis=list(Defi.objects.values_list("pk", flat=True)),
        # Second-level thèmes only, as editors choose them; the parents are counted through them.
        themes=list(Theme.objects.filter(parent__isnull=False).values_list("pk", flat=True)),
        associations=list(Association.objects.values_list("pk", flat=True)),
        tags=[tag_id(name) for name in TAG_NAMES],
        synthetic_tag=tag_id(SYNTHETIC_TAG),
    )


def tag_id(name: str) -> int:
    """The id of the tag `name` (case-insensitive, as TAGGIT_CASE_INSENSITIVE asks), created if needed."""
    tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
    return tag.pk


def next_child_position(parent: Page) -> int:
    """The position after the parent's last child (gaps left by deleted pages are not reused)."""
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    return Page._str2int(last[-Page.steplen :]) + 1 if last else 1


def place_in_tree(pages: list[Page], parent: Page) -> None:
    """Give each page its materialized path, depth and URL path, as `add_child` would."""
    position = next_child_position(parent)
    for offset, page in enumerate(pages):
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, position + offset)
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"


def render_html_fields(page: Page, rendered: dict[str, str]) -> None:
    """Fill every `<field>_html` from its Markdown `<field>`, rendering each distinct text once."""
    names = {f.name for f in page._meta.concrete_fields}
    for name in names:
        source = name.removesuffix("_html")
        if name.endswith("_html") and source in names:
            text = getattr(page, source)
            if text not in rendered:
                rendered[text] = render_markdown(text)
            setattr(page, name, rendered[text])


def insert_base_rows(pages: list[Page]) -> None:
    """Bulk-create the `wagtailcore_page` rows and copy their new ids to the concrete pages."""
    columns = [f.attname for f in Page._meta.local_concrete_fields if not f.primary_key]
    rows = [Page(**{name: getattr(page, name) for name in columns}) for page in pages]
    Page.objects.bulk_create(rows)
    if rows and rows[0].pk is None:
        raise RuntimeError("La base n'a pas renvoyé les identifiants créés (SQLite 3.35 ou plus requis).")
    for page, row in zip(pages, rows, strict=True):
        page.pk = page.page_ptr_id = row.pk


def insert_concrete_rows(model, pages: list[Page]) -> None:
    """Insert the rows of the concrete page table (Django's bulk_create refuses child models)."""
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names come from the model, values are parameters
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    values = [
        [f.get_db_prep_save(getattr(page, f.attname), connection=connection) for f in fields]
        for page in pages
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def insert_links(model, drafts: list[Draft]) -> None:
    """Bulk-create the many-to-many rows of every relation of the drafts, and their tags."""
    for relation in {name for draft in drafts for name in draft.links}:
        field_ = model._meta.get_field(relation)
        through = field_.remote_field.through
        page_column, term_column = f"{field_.m2m_field_name()}_id", f"{field_.m2m_reverse_field_name()}_id"
        through.objects.bulk_create(
            through(**{page_column: draft.page.pk, term_column: term})
            for draft in drafts
            for term in draft.links[relation]
        )
    tag_through = model._meta.get_field("tags").through
    tag_through.objects.bulk_create(
        tag_through(content_object_id=draft.page.pk, tag_id=tag) for draft in drafts for tag in draft.tags
    )


def insert_method_uses(drafts: list[Draft]) -> None:
    """A territory's method uses (who ran them, when), projects and actions."""
    from territories.models import MethodUse, TerritoryAction, TerritoryProject

    MethodUse.objects.bulk_create(
        MethodUse(
            page_id=draft.page.pk,
            method_id=method_id,
            how_it_went=text,
            association_id=association_id,
            period=period,
            would_do_differently=differently,
            sort_order=order,
        )
        for draft in drafts
        for order, ((method_id, text), (association_id, period, differently)) in enumerate(
            zip(draft.uses, draft.use_details or [(None, "", "")] * len(draft.uses), strict=True)
        )
    )
    for model, rows in ((TerritoryProject, "projects"), (TerritoryAction, "actions")):
        model.objects.bulk_create(
            model(page_id=draft.page.pk, sort_order=order, **values)
            for draft in drafts
            for order, values in enumerate(getattr(draft, rows))
        )


def insert_batch(model, parent: Page, drafts: list[Draft], rendered: dict[str, str]) -> list[int]:
    """Write one batch of drafted pages and everything linked to them, all or nothing."""
    pages = [draft.page for draft in drafts]
    with transaction.atomic():
        place_in_tree(pages, parent)
        for page in pages:
            render_html_fields(page, rendered)
        insert_base_rows(pages)
        insert_concrete_rows(model, pages)
        insert_links(model, drafts)
        insert_method_uses(drafts)
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    return [page.pk for page in pages]


def index_pages(model, ids: list[int], log: Log) -> None:
    """Add the new pages to every search backend, in batches, as `update_index` would."""
    backends = list(get_search_backends(with_auto_update=True))
    for start in range(0, len(ids), INDEX_BATCH_SIZE):
        objects = list(model.get_indexed_objects().filter(pk__in=ids[start : start + INDEX_BATCH_SIZE]))
        for backend in backends:
            backend.add_bulk(model, objects)
    log(f"  index de recherche : {len(ids)} {model._meta.verbose_name_plural}")


def chunks(count: int, size: int) -> Iterator[range]:
    for start in range(0, count, size):
        yield range(start, min(count, start + size))


# --- Entry points ------------------------------------------------------------------------------


def populate(
    methods: int = 0,
    territories: int = 0,
    tools: int = 0,
    seed: int = 0,
    batch_size: int = BATCH_SIZE,
    log: Log = print,
) -> dict[str, int]:
    """Add synthetic tools, methods and territories, published under their index pages.

    Returns the number of pages created per kind. Prints progress and elapsed time through `log`.
    """
    started = time.monotonic()
    home = ensure_site_tree()
    generator = Generator(
        rng=random.Random(seed),
        taxonomy=load_taxonomy(),
        locale_id=Locale.get_default().pk,
        now=timezone.now(),
    )
    wanted = {"tools": tools, "methods": methods, "territories": territories}
    created: dict[str, int] = {}
    for kind, model, index_model, draft in page_kinds():
        if not wanted[kind]:
            continue
        refresh_link_targets(generator)
        parent = index_model.objects.child_of(home).get()
        ids = create_pages(generator, model, parent, draft, wanted[kind], batch_size, log, started)
        index_pages(model, ids, log)
        created[kind] = len(ids)
    bump_content_generation()  # bulk inserts send no signal
    refresh_planner_statistics()
    log(f"Terminé en {time.monotonic() - started:.1f} s : {created}")
    return created


def refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL's planner still believes the tables small (and would scan them
    whole); ANALYZE tells it their new sizes at once instead of waiting for autovacuum."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def refresh_link_targets(generator: Generator) -> None:
    """Synthetic methods use synthetic tools, territories synthetic methods (of any run).

    Demo fiches are left out on purpose: linking thousands of synthetic fiches to them would
    change the demo pages (a demo tool listing 2,000 methods) instead of only adding pages.
    """
    from methods.models import MethodPage, ToolPage

    generator.tool_ids = list(synthetic_pages(ToolPage).values_list("pk", flat=True))
    generator.method_ids = list(synthetic_pages(MethodPage).values_list("pk", flat=True))


def create_pages(generator, model, parent, draft, count, batch_size, log: Log, started: float) -> list[int]:
    """Draft and insert `count` pages of `model` under `parent`, batch by batch."""
    first_serial = next_serial(model)
    ids: list[int] = []
    for batch in chunks(count, batch_size):
        drafts = [draft(generator, first_serial + n) for n in batch]
        ids += insert_batch(model, parent, drafts, generator.rendered)
        elapsed = time.monotonic() - started
        log(f"  {model._meta.verbose_name_plural} : {len(ids)}/{count} ({elapsed:.1f} s)")
    return ids


def clear(batch_size: int = BATCH_SIZE, log: Log = print) -> int:
    """Delete every synthetic page, its links, tags and search entries; leave everything else."""
    started = time.monotonic()
    page_ids = list(synthetic_pages().order_by("pk").values_list("pk", flat=True))
    # Wagtail would update the search and reference indexes page by page (a few queries each,
    # minutes for 10,000 pages); their rows are deleted in bulk below instead.
    with disable_reference_index_auto_update(), search_delete_handler_muted():
        for batch in chunks(len(page_ids), batch_size):
            delete_pages([page_ids[n] for n in batch])
            log(f"  supprimées : {batch.stop}/{len(page_ids)} ({time.monotonic() - started:.1f} s)")
    delete_unused_synthetic_tags()
    bump_content_generation()
    log(f"Contenu synthétique supprimé en {time.monotonic() - started:.1f} s : {len(page_ids)} pages")
    return len(page_ids)


@transaction.atomic
def delete_pages(page_ids: list[int]) -> None:
    """Delete these pages with everything that cascades from them, and their index entries."""
    delete_index_entries(page_ids)
    delete_reference_entries(page_ids)
    pages = Page.objects.filter(pk__in=page_ids)
    # A live page is unpublished one by one before deletion (Wagtail's pre_delete handler);
    # unpublishing them all at once first skips that: they are gone at the end of the batch.
    pages.update(live=False)
    # Treebeard's queryset delete keeps the parents' numchild right; the cascade takes the
    # concrete rows, the many-to-many and tag rows and the method uses with the pages.
    pages.delete()


@contextmanager
def search_delete_handler_muted():
    """Disconnect the search index's per-object post_delete handler from the page models."""
    senders = [Page, *[kind[1] for kind in page_kinds()]]
    muted = [
        sender for sender in senders if post_delete.disconnect(post_delete_signal_handler, sender=sender)
    ]
    try:
        yield
    finally:
        for sender in muted:
            post_delete.connect(post_delete_signal_handler, sender=sender)


def page_content_type_ids() -> list[int]:
    """Content types a page may be indexed or referenced as: Page and every synthetic type."""
    models = [Page, *[kind[1] for kind in page_kinds()]]
    return [content_type.pk for content_type in ContentType.objects.get_for_models(*models).values()]


def delete_index_entries(page_ids: list[int]) -> None:
    """Remove the search entries of these pages, whichever page type they were indexed as."""
    IndexEntry.objects.filter(
        content_type__in=page_content_type_ids(), object_id__in=[str(pk) for pk in page_ids]
    ).delete()


def delete_reference_entries(page_ids: list[int]) -> None:
    """Remove the reference index rows from and to these pages (set when edited in the admin)."""
    content_types, object_ids = page_content_type_ids(), [str(pk) for pk in page_ids]
    ReferenceIndex.objects.filter(base_content_type__in=content_types, object_id__in=object_ids).delete()
    ReferenceIndex.objects.filter(to_content_type__in=content_types, to_object_id__in=object_ids).delete()


def delete_unused_synthetic_tags() -> None:
    """Delete the tags of the synthetic vocabulary that nothing is tagged with any more."""
    from taggit.models import TaggedItem

    from methods.models import MethodPageTag, ToolPageTag
    from territories.models import TerritoryPageTag

    used = set()
    for through in (MethodPageTag, ToolPageTag, TerritoryPageTag, TaggedItem):
        used |= set(through.objects.values_list("tag_id", flat=True).distinct())
    names = [SYNTHETIC_TAG, *TAG_NAMES]
    for tag in Tag.objects.filter(name__in=names).exclude(pk__in=used):
        tag.delete()
