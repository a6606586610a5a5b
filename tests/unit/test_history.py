"""History logic: word diffs, field changes, published versions, credits and restored versions."""

import re
from html import unescape

from django.contrib.auth.models import Group
from django.http import Http404

import pytest

from commons.history import (
    associations_by_author,
    contributor_associations,
    diff_segments,
    field_changes,
    list_diff,
    published_revision_or_404,
    published_revisions,
    published_revisions_or_404,
    restore_version,
    restore_versions,
    word_diff,
)
from commons.models import Association, Phase, Question, Theme
from methods.models import MethodPage, ToolPage
from territories.models import TerritoryPage

DEL = '<del class="diff-del"><span class="visually-hidden">[supprimé :]</span>'
INS = '<ins class="diff-ins"><span class="visually-hidden">[ajouté :]</span>'


def sides(html: str) -> tuple[str, str]:
    """The old and new texts a diff describes (what a reader gets by ignoring <ins> or <del>)."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)
    old = re.sub(r"<[^>]+>", "", re.sub(r"<ins.*?</ins>", "", html, flags=re.S))
    new = re.sub(r"<[^>]+>", "", re.sub(r"<del.*?</del>", "", html, flags=re.S))
    return old, new


# --- word_diff -------------------------------------------------------------------------------


def test_word_diff_marks_an_insertion():
    html = word_diff("le chat dort", "le gros chat dort")
    assert "<del" not in html
    assert html.count("<ins") == 1 and "gros</ins>" in html
    assert sides(html) == ("le chat dort", "le gros chat dort")


def test_word_diff_marks_a_deletion():
    html = word_diff("une réunion longue et pénible", "une réunion longue")
    assert "<ins" not in html
    assert html.count("<del") == 1 and "et pénible</del>" in html
    assert sides(html) == ("une réunion longue et pénible", "une réunion longue")


def test_word_diff_groups_neighbouring_changes():
    html = word_diff("Le groupe choisit un thème.", "Le groupe choisit deux thèmes.")
    assert f"{DEL}un thème</del>{INS}deux thèmes</ins>." in html
    assert sides(html) == ("Le groupe choisit un thème.", "Le groupe choisit deux thèmes.")


def test_word_diff_labels_changes_for_screen_readers():
    html = word_diff("avant", "après")
    assert html == f"{DEL}avant</del>{INS}après</ins>"


def test_word_diff_handles_unicode_words_and_punctuation():
    old = "Élu·es : « Où commencer ? » — 5 € par œuvre 🌱"
    new = "Élu·es : « Par où commencer ? » — 6 € par œuvre 🌳"
    html = word_diff(old, new)
    assert f"{DEL}Où</del>{INS}Par où</ins>" in html
    assert f"{DEL}5</del>{INS}6</ins>" in html
    assert f"{DEL}🌱</del>{INS}🌳</ins>" in html
    assert sides(html) == (old, new)


def test_word_diff_of_empty_texts():
    assert word_diff("", "") == ""
    assert word_diff("", "nouveau texte") == f"{INS}nouveau texte</ins>"
    assert word_diff("ancien texte", "") == f"{DEL}ancien texte</del>"
    assert word_diff(None, "x") == f"{INS}x</ins>"


def test_word_diff_of_identical_texts_has_no_marks():
    text = "## Déroulé\n\n1. Accueil\n2. Ateliers"
    assert word_diff(text, text) == text


def test_word_diff_escapes_hostile_content_everywhere():
    old = 'Texte <b onclick="x()">gras</b> & <script>alert(1)</script>'
    new = 'Texte <img src=x onerror="alert(2)"> & <script>alert(1)</script> fin'
    html = str(word_diff(old, new))
    assert "<script" not in html and "<img" not in html and "<b " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp;" in html
    assert set(re.findall(r"</?(\w+)", html)) <= {"del", "ins", "span"}
    assert tuple(unescape(side) for side in sides(html)) == (old, new)


def test_whitespace_only_changes_produce_no_marks():
    assert all(kind == "equal" for kind, _text in diff_segments("a\nb  c", "a b\nc"))


def test_list_diff_shows_kept_removed_and_added_items():
    html = list_diff(["Décider", "Mobiliser"], ["Agir", "Décider"])
    assert html.startswith('<ul class="diff-list">')
    assert "<li>Décider</li>" in html
    assert f"<li>{DEL}Mobiliser</del></li>" in html and f"<li>{INS}Agir</ins></li>" in html
    assert "&lt;x&gt;" in list_diff([], ["<x>"])


# --- field_changes ---------------------------------------------------------------------------


@pytest.fixture
def method_versions(db):
    """Two in-memory copies of a demo method: the published one, and one to change."""
    old = MethodPage.objects.get(slug="forum-ouvert")
    new = MethodPage.objects.get(slug="forum-ouvert")
    return old, new


def by_name(changes):
    return {change.name: change for change in changes}


def test_field_changes_is_empty_when_nothing_changed(method_versions):
    assert field_changes(*method_versions) == []


def test_field_changes_lists_each_changed_field_with_its_french_label(method_versions):
    old, new = method_versions
    new.title = old.title + " revu"
    new.body = old.body.replace("##", "###", 1) + "\n\nUn paragraphe ajouté."
    new.duration = MethodPage.Duration.MONTHS
    new.group_size_max = (old.group_size_max or 0) + 10
    new.questions.add(Question.objects.exclude(pk__in=old.questions.all()).first())
    new.phases.set([Phase.objects.exclude(pk__in=old.phases.all()).first()])
    new.tags.add("mot-clé-ajouté")
    changes = by_name(field_changes(old, new))

    assert set(changes) == {"title", "body", "duration", "group_size_max", "questions", "phases", "tags"}
    assert changes["title"].label == "Titre"
    assert changes["body"].label == "Contenu" and changes["body"].multiline
    assert changes["duration"].label == "Durée"
    assert changes["group_size_max"].label == "Taille du groupe (max.)"
    assert changes["questions"].label == "Questions auxquelles la fiche répond"
    assert changes["phases"].label == "Phases" and changes["tags"].label == "Mots-clés"
    assert f"{DEL}##</del>{INS}###</ins>" in changes["body"].diff  # the Markdown source
    assert f"{INS}\n\nUn paragraphe ajouté.</ins>" in changes["body"].diff
    assert sides(changes["duration"].diff) == (old.get_duration_display(), "Plusieurs mois")
    assert f"{INS}mot-clé-ajouté</ins>" in changes["tags"].diff
    for phase in old.phases.all():
        assert f"{DEL}{phase.name}</del>" in changes["phases"].diff


def test_field_changes_notes_whitespace_only_changes(method_versions):
    old, new = method_versions
    new.summary = old.summary.replace(" ", "\n", 1)
    (change,) = field_changes(old, new)
    assert change.name == "summary" and change.whitespace_only and "<ins" not in change.diff


def test_field_changes_covers_tool_and_territory_facts(db):
    tool_old = ToolPage.objects.live().first()
    tool_new = ToolPage.objects.get(pk=tool_old.pk)
    tool_new.version = "9.9"
    tool_new.license = "CC0-1.0"
    changes = by_name(field_changes(tool_old, tool_new))
    assert set(changes) == {"version", "license"}
    assert changes["version"].label == "Version"
    assert changes["version"].diff == f"{DEL}{tool_old.version}</del>{INS}9.9</ins>"
    assert "CC0 1.0</ins>" in changes["license"].diff

    territory_old = TerritoryPage.objects.get(slug="leaz")
    territory_new = TerritoryPage.objects.get(slug="leaz")
    territory_new.population = 1234
    territory_new.kind = TerritoryPage.Kind.INTERCOMMUNALITE
    territory_new.method_uses = list(territory_old.method_uses.all())[1:]
    changes = by_name(field_changes(territory_old, territory_new))
    assert set(changes) == {"population", "kind", "method_uses"}
    assert f"{INS}Intercommunalité</ins>" in changes["kind"].diff
    removed = territory_old.method_uses.first()
    assert f"{DEL}{removed.method.title}" in changes["method_uses"].diff


# --- Published versions, credits and restored versions ---------------------------------------


def test_published_revisions_skip_overwritten_revisions_and_drafts(db, django_user_model):
    method = MethodPage.objects.get(slug="forum-ouvert")
    author = django_user_model.objects.create_user("autrice", password="pw")
    method.summary = "Résumé publié"
    published = method.save_revision(user=author)
    published.publish()
    method.refresh_from_db()
    assert [v.number for v in published_revisions(method)][:1] == [published.pk]

    # Wagtail's autosave may overwrite the latest revision in place, even once published.
    method.summary = "Résumé écrasé après publication"
    method.save_revision(user=author, overwrite_revision=published)
    assert published.pk not in [v.number for v in published_revisions(method)]
    with pytest.raises(Http404):
        published_revision_or_404(method, published.pk)

    method.refresh_from_db()
    method.summary = "Résumé en brouillon"
    draft = method.save_revision(user=author)
    assert draft.pk not in [v.number for v in published_revisions(method)]


def test_associations_by_author_reads_every_user_at_once(db, django_user_model, django_assert_num_queries):
    solucracy, react = Association.objects.get(slug="solucracy"), Association.objects.get(slug="react")
    for association in (solucracy, react):
        association.editors_group = association.editors_group or Group.objects.create(name=association.name)
        association.save()
    both = django_user_model.objects.create_user("deux", password="pw")
    both.groups.add(solucracy.editors_group, react.editors_group, Group.objects.create(name="Autre"))
    one = django_user_model.objects.create_user("une", password="pw")
    one.groups.add(react.editors_group)
    nobody = django_user_model.objects.create_user("aucune", password="pw")
    with django_assert_num_queries(1):
        result = associations_by_author([both.pk, one.pk, nobody.pk, None])
    assert result[both.pk] == list(Association.objects.of_user(both))
    assert result[one.pk] == [react]
    assert nobody.pk not in result
    assert associations_by_author([None]) == {}


def test_contributors_are_deduplicated_and_ordered(db, django_user_model):
    method = MethodPage.objects.get(slug="forum-ouvert")
    field = list(method.associations.all())
    traverse = Association.objects.get(slug="la-traverse")
    traverse.editors_group = Group.objects.create(name="Traverse")
    traverse.save()
    author = django_user_model.objects.create_user("auteur", password="pw")
    author.groups.add(traverse.editors_group)
    for _n in range(2):
        method.save_revision(user=author).publish()
        method.refresh_from_db()
    contributors = contributor_associations(method)
    assert contributors == sorted({*field, traverse}, key=lambda a: (a.sort_order, a.name.casefold(), a.pk))


def test_restore_version_gives_that_version_with_its_relations(db, django_assert_max_num_queries):
    method = MethodPage.objects.get(slug="forum-ouvert")
    old = published_revision_or_404(method, method.live_revision_id)
    old_tags = sorted(tag.name for tag in method.tags.all())
    method.summary = "Résumé plus récent"
    method.tags.add("nouveau-mot-clé")
    method.save_revision().publish()
    method.refresh_from_db()

    restored = restore_version(method, old)
    assert restored.summary != "Résumé plus récent"
    assert restored.url_path == method.url_path and restored.last_published_at == old.published_at
    with django_assert_max_num_queries(0):
        assert sorted(tag.name for tag in restored.tags.all()) == old_tags


def test_restore_version_drops_items_whose_target_was_deleted(db):
    territory = TerritoryPage.objects.get(slug="leaz")
    version = published_revision_or_404(territory, territory.live_revision_id)
    uses = list(territory.method_uses.all())
    assert len(uses) >= 2
    uses[0].delete()
    gone = uses[0].method
    gone.delete()
    restored = restore_version(territory, version)
    assert [use.method_id for use in restored.method_uses.all()] == [use.method_id for use in uses[1:]]


def test_published_revisions_or_404_reads_every_version_once(
    db, django_user_model, django_assert_num_queries
):
    method = MethodPage.objects.get(slug="forum-ouvert")
    old = method.live_revision_id
    method.summary = "Résumé plus récent"
    method.save_revision(user=django_user_model.objects.create_user("autrice", password="pw")).publish()
    method.refresh_from_db()
    with django_assert_num_queries(2):  # the revisions, their authors' associations
        (version,) = published_revisions_or_404(method, [old])
    assert [v.number for v in version.history] == [v.number for v in published_revisions(method)]
    assert version.history[-1] is version
    newer = version.history[0]
    assert "content" in newer.revision.get_deferred_fields()  # only the versions asked for
    assert "content" not in version.revision.get_deferred_fields()
    assert version.revision.content["summary"] != "Résumé plus récent"
    assert "history" not in repr(version)  # the versions point to each other


def test_restore_versions_reads_every_relation_in_one_query(db, django_assert_num_queries):
    method = MethodPage.objects.get(slug="forum-ouvert")
    old = method.live_revision_id
    questions = list(Question.objects.all())
    sub_themes = list(Theme.objects.filter(parent__isnull=False).select_related("parent"))
    tools = list(ToolPage.objects.live())
    method.questions.set(questions)
    method.phases.set(Phase.objects.all()[:2])
    method.themes.set(sub_themes)
    method.tools.set(tools)
    method.tags.add("un-mot-clé", "un-autre")
    method.save_revision().publish()
    method.refresh_from_db()
    versions = published_revisions_or_404(method, [old, method.live_revision_id])

    with django_assert_num_queries(1):
        older, newer = restore_versions(method, versions)
    with django_assert_num_queries(0):
        assert list(newer.questions.all()) == questions
        assert [str(theme) for theme in newer.themes.all()] == [str(theme) for theme in sub_themes]
        assert {tool.pk for tool in newer.tools.all()} == {tool.pk for tool in tools}
        assert {"un-mot-clé", "un-autre"} <= {tag.name for tag in newer.tags.all()}
        assert {tag.name for tag in older.tags.all()}.isdisjoint({"un-mot-clé", "un-autre"})
        changes = {change.name for change in field_changes(older, newer)}
    assert {"questions", "phases", "themes", "tools", "tags"} <= changes
    assert newer.pk == method.pk and newer.url_path == method.url_path and newer.live


def test_restore_versions_matches_wagtails_as_object(db):
    territory = TerritoryPage.objects.get(slug="leaz")
    version = published_revision_or_404(territory, territory.live_revision_id)
    restored = restore_version(territory, version)
    wagtail = version.revision.as_object()
    for field in type(territory)._meta.concrete_fields:
        if field.name not in {"last_published_at", "live_revision", "url_path"}:
            assert field.value_from_object(restored) == field.value_from_object(wagtail), field.name
    for name in ("associations", "accompanying_associations", "questions", "defis", "themes", "tags"):
        assert list(getattr(restored, name).all()) == list(getattr(wagtail, name).all()), name
    assert [(u.method_id, u.how_it_went) for u in restored.method_uses.all()] == [
        (u.method_id, u.how_it_went) for u in wagtail.method_uses.all()
    ]


def test_restore_version_leaves_out_terms_deleted_since(db):
    method = MethodPage.objects.get(slug="forum-ouvert")
    version = published_revision_or_404(method, method.live_revision_id)
    phases = list(method.phases.all())
    assert phases
    phases[0].delete()
    restored = restore_version(method, version)
    assert list(restored.phases.all()) == phases[1:]
