"""What an import will do, worked out before anything is written (and all a dry run shows).

Each wiki page becomes a fiche of the chosen type under its section, with a slug from its title
(unique under the section). Each wiki revision becomes a state of that fiche: title, summary,
Markdown body, licence, défis, thèmes, tags, credits, change note, author and date. A page
imported before is found again by the wiki's page id stored in its revisions, and only the wiki
revisions it does not have yet are planned; a page edited on the site since is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models.fields.json import KT
from django.utils.text import slugify

from wagtail.models import Page, Revision

import mwparserfromhell

from commons.mediawiki.dump import WikiDump, WikiPage, WikiRevision
from commons.mediawiki.fields import WikiTaxonomy, form_template, map_wiki_fields, template_fields
from commons.mediawiki.inline import wiki_title_key
from commons.mediawiki.wikitext import wikitext_to_markdown

MAX_SUMMARY = 300
MAX_CHANGE_NOTE = 255
MAX_SLUG = 80
MAX_TITLE = 255
SECTION_COMMENT = re.compile(r"/\*\s*(.*?)\s*\*/")
MARKDOWN_MARKUP = re.compile(r"\\([^\w\s])|\*\*?|`")
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|<(https?://[^>]*)>")


@dataclass
class FicheState:
    """One wiki revision as a state of the fiche."""

    wiki: WikiRevision
    title: str
    summary: str
    body: str
    license: str | None
    defis: list[int]
    themes: list[int]
    tags: list[str]
    credits: str
    change_note: str


@dataclass
class PagePlan:
    wiki_page: WikiPage
    slug: str
    url: str
    states: list[FicheState] = field(default_factory=list)  # the revisions to write, oldest first
    page_id: int | None = None  # the fiche imported before, if any
    warnings: list[str] = field(default_factory=list)
    left_alone: str = ""  # why nothing is written ("" when something is)


@dataclass
class ImportPlan:
    site_name: str
    site_key: str
    kind: str
    pages: list[PagePlan]

    @property
    def revision_count(self) -> int:
        return sum(len(page.states) for page in self.pages)


def plan_wiki_import(dump: WikiDump, fiche_type, form_name: str | None = None) -> ImportPlan:
    """The plan of the whole dump (reads the database, writes nothing)."""
    index = fiche_type.index_model.objects.first()
    base = index.url if index is not None and index.url else f"/{fiche_type.section.slug}/"
    imported = imported_revisions(dump.site_key, fiche_type.model)
    taken = set(Page.objects.child_of(index).values_list("slug", flat=True)) if index else set()
    plans = []
    for wiki_page in dump.pages:
        page_id, _known = imported.get(wiki_page.id, (None, set()))
        slug = Page.objects.get(pk=page_id).slug if page_id else unique_slug(wiki_page.title, taken)
        taken.add(slug)
        plans.append(PagePlan(wiki_page=wiki_page, slug=slug, url=f"{base}{slug}/", page_id=page_id))
    links = {wiki_title_key(plan.wiki_page.title): plan.url for plan in plans}
    taxonomy = WikiTaxonomy.from_database()
    for plan in plans:
        known = imported.get(plan.wiki_page.id, (None, set()))[1]
        plan_page(plan, known, links, taxonomy, form_name)
    return ImportPlan(dump.site_name, dump.site_key, fiche_type.kind, plans)


def imported_revisions(site_key: str, model) -> dict[int, tuple[int, set[int]]]:
    """Wiki page id -> (the fiche's page id, the wiki revision ids it already has), in one query."""
    rows = (
        Revision.page_revisions.filter(content__mediawiki__site=site_key)
        .annotate(wiki_page=KT("content__mediawiki__page"), wiki_revision=KT("content__mediawiki__revision"))
        .filter(content_type__model=model._meta.model_name, content_type__app_label=model._meta.app_label)
        .values_list("object_id", "wiki_page", "wiki_revision")
    )
    found: dict[int, tuple[int, set[int]]] = {}
    for object_id, wiki_page, wiki_revision in rows:
        _page_id, revisions = found.setdefault(int(wiki_page), (int(object_id), set()))
        revisions.add(int(wiki_revision))
    return found


def unique_slug(title: str, taken: set[str]) -> str:
    base = slugify(title)[:MAX_SLUG].strip("-") or "fiche"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def plan_page(plan: PagePlan, known: set[int], links, taxonomy, form_name) -> None:
    states, dropped = [], {"templates": [], "files": []}
    for revision in plan.wiki_page.revisions:
        state, conversion, warnings = fiche_state(plan.wiki_page, revision, links, taxonomy, form_name)
        states.append(state)
        dropped["templates"] += conversion.templates
        dropped["files"] += conversion.files
        plan.warnings += warnings
    if dropped["templates"]:
        plan.warnings.append("modèles ignorés : " + ", ".join(dict.fromkeys(dropped["templates"])))
    if dropped["files"]:
        plan.warnings.append("fichiers non importés : " + ", ".join(dict.fromkeys(dropped["files"])))
    plan.warnings = list(dict.fromkeys(plan.warnings))
    new = [state for state in states if state.wiki.id not in known]
    if known and new and min(s.wiki.timestamp for s in new) < latest_known(states, known):
        plan.warnings.append("des révisions plus anciennes que la dernière importée sont ignorées")
        new = [s for s in new if s.wiki.timestamp >= latest_known(states, known)]
    if not new:
        plan.left_alone = "déjà importée"
    elif plan.page_id and edited_since_import(plan.page_id):
        plan.left_alone = "modifiée sur le site depuis l'import : laissée telle quelle"
    else:
        plan.states = new


def latest_known(states: list[FicheState], known: set[int]):
    return max(s.wiki.timestamp for s in states if s.wiki.id in known)


def edited_since_import(page_id: int) -> bool:
    """Someone saved a revision of the fiche after the last imported one."""
    latest = Revision.page_revisions.filter(object_id=str(page_id)).order_by("-pk").first()
    return latest is not None and "mediawiki" not in (latest.content or {})


def fiche_state(wiki_page: WikiPage, revision: WikiRevision, links, taxonomy, form_name):
    code = mwparserfromhell.parse(revision.text)
    template = form_template(code, form_name)
    mapped = map_wiki_fields(template_fields(template), taxonomy)
    conversion = wikitext_to_markdown(code, links, skip=template)
    title = wiki_page.title[:MAX_TITLE]
    summary = mapped.summary or first_paragraph(conversion.markdown) or title
    state = FicheState(
        wiki=revision,
        title=title,
        summary=truncate_on_word(summary, MAX_SUMMARY),
        body=conversion.markdown,
        license=mapped.license,
        defis=mapped.defis,
        themes=mapped.themes,
        tags=mapped.tags,
        credits=mapped.credits,
        change_note=truncate_on_word(change_note(revision.comment), MAX_CHANGE_NOTE),
    )
    return state, conversion, mapped.warnings


def first_paragraph(markdown: str) -> str:
    """The first paragraph of text of a Markdown body, without its markup."""
    for block in markdown.split("\n\n"):
        if block and block[0] not in "#|->`~" and not re.match(r"\d+\. ", block):
            text = MARKDOWN_LINK.sub(lambda m: m.group(1) or m.group(2), block)
            return " ".join(MARKDOWN_MARKUP.sub(lambda m: m.group(1) or "", text).split())
    return ""


def truncate_on_word(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-–")
    return cut + "…"


def change_note(comment: str) -> str:
    """A MediaWiki edit summary as a change note: "/* Section */ fix" -> "Section : fix"."""
    note = SECTION_COMMENT.sub(lambda m: f"{m.group(1)} :" if m.group(1) else "", comment)
    return " ".join(note.split()).rstrip(" :")
