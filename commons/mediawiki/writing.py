"""Writing an import plan: every wiki revision a published revision of its fiche, in one transaction.

Each revision is saved and published as the admin would, then dated with the wiki's timestamp
(the revision, its log entries, and the page's first and last publication), so the public history
lists them in order with their dates. Its content remembers where it came from (`mediawiki`: the
wiki, page and revision ids, the author's wiki name): the history credits that name, and a second
import finds what it already has. Each registered wiki author gets an inactive account, without
password or group, so the admin shows the wiki name too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from wagtail.models import Page, PageLogEntry, Revision

from commons.editing.site_tree import ensure_site_tree
from commons.mediawiki.plan import FicheState, ImportPlan, PagePlan
from commons.models.taxonomy import Defi, Theme

WIKI_USER_PREFIX = "wiki-"


@dataclass
class WikiImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    revisions: int = 0


@transaction.atomic
def write_wiki_import(plan: ImportPlan, fiche_type) -> WikiImportReport:
    """Write every planned revision; any error rolls the whole import back."""
    report = WikiImportReport()
    home = ensure_site_tree()
    parent = fiche_type.index_model.objects.child_of(home).get()
    authors: dict[str, object] = {}
    for page_plan in plan.pages:
        if not page_plan.states:
            continue
        page = write_page(parent, page_plan, plan, fiche_type.model, authors)
        (report.updated if page_plan.page_id else report.created).append(page.url or page_plan.url)
        report.revisions += len(page_plan.states)
    return report


def write_page(parent, page_plan: PagePlan, plan: ImportPlan, model, authors: dict):
    page = model.objects.get(pk=page_plan.page_id) if page_plan.page_id else None
    created = page is None
    for state in page_plan.states:
        if page is None:
            page = model(slug=page_plan.slug)
            assign_fiche_state(page, state)
            parent.add_child(instance=page)
        else:
            assign_fiche_state(page, state)
        author = wiki_author_account(state.wiki.author, authors)
        revision = page.save_revision(user=author, changed=True)
        # The wiki authors have no rights here: the import publishes on their behalf.
        revision.publish(user=author, skip_permission_checks=True)
        date_revision(revision, state, plan, page_plan)
        page = model.objects.get(pk=page.pk)
    dates = {
        "last_published_at": page_plan.states[-1].wiki.timestamp,
        "latest_revision_created_at": page_plan.states[-1].wiki.timestamp,
    }
    if created:
        dates["first_published_at"] = page_plan.states[0].wiki.timestamp
    Page.objects.filter(pk=page.pk).update(**dates)
    return page


def assign_fiche_state(page, state: FicheState) -> None:
    page.title = state.title
    page.draft_title = state.title
    page.summary = state.summary
    page.body = state.body
    page.credits = state.credits
    page.change_note = state.change_note
    if state.license:
        page.license = state.license
    page.defis.set(list(Defi.objects.filter(pk__in=state.defis)))
    page.themes.set(list(Theme.objects.filter(pk__in=state.themes)))
    page.tags.set(state.tags)


def date_revision(revision: Revision, state: FicheState, plan: ImportPlan, page_plan: PagePlan) -> None:
    """The wiki's date on the revision and its log entries, and its origin in its content."""
    content = dict(revision.content)
    content["mediawiki"] = {
        "site": plan.site_key,
        "site_name": plan.site_name,
        "page": page_plan.wiki_page.id,
        "revision": state.wiki.id,
        "author": state.wiki.author,
    }
    Revision.objects.filter(pk=revision.pk).update(created_at=state.wiki.timestamp, content=content)
    PageLogEntry.objects.filter(revision_id=revision.pk).update(timestamp=state.wiki.timestamp)


def wiki_author_account(name: str, known: dict):
    """The inactive account standing for a wiki author (None for an anonymous edit)."""
    if not name:
        return None
    if name not in known:
        known[name] = _find_or_create_account(name)
    return known[name]


def _find_or_create_account(name: str):
    User = get_user_model()
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:8]
    base = (WIKI_USER_PREFIX + slugify(name))[:140].rstrip("-")
    if base == WIKI_USER_PREFIX.rstrip("-"):
        base = WIKI_USER_PREFIX + digest
    candidates = [base, f"{base}-{digest}"]
    existing = User.objects.filter(username__in=candidates, first_name=name[:150]).first()
    if existing is not None:
        return existing
    username = base if not User.objects.filter(username=base).exists() else candidates[1]
    user = User(username=username, first_name=name[:150], is_active=False)
    user.set_unusable_password()
    user.save()
    return user
