"""`load_commons` and `read_commons`: validated first, all or nothing, idempotent, editors' work kept."""

import shutil
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.documents import get_document_model
from wagtail.models import Page, Revision

import pytest
import yaml

from commons.exchange import CommonsFilesInvalid, Problem, read_commons
from commons.models import Association, Question, Theme
from methods.models import MethodIndexPage, MethodPage, ToolPage
from territories.models import TerritoryPage

FRONT_MATTER_SEPARATOR = "---\n"


# --- Helpers ---------------------------------------------------------------------------------


@pytest.fixture
def commons_dir(tmp_path) -> Path:
    """A private copy of the real fixtures directory, free to break."""
    target = tmp_path / "commons"
    shutil.copytree(settings.COMMONS_FIXTURES_DIR, target)
    return target


def read_fiche(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _empty, front, body = text.split(FRONT_MATTER_SEPARATOR, 2)
    return yaml.safe_load(front), body


def write_fiche(path: Path, meta: dict, body: str) -> None:
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")


def edit_fiche(path: Path, remove=(), **changes) -> None:
    meta, body = read_fiche(path)
    for key in remove:
        del meta[key]
    meta.update(changes)
    write_fiche(path, meta, body)


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def load(directory: Path, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_commons", path=directory, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def load_expecting_error(directory: Path) -> tuple[CommandError, str]:
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("load_commons", path=directory, stdout=StringIO(), stderr=err)
    return raised.value, err.getvalue()


def snapshot() -> dict:
    """Everything a load could change, in a comparable form."""
    return {
        "pages": sorted(
            Page.objects.values_list(
                "pk", "title", "slug", "live", "has_unpublished_changes", "latest_revision_id", "path"
            )
        ),
        "revisions": Revision.objects.count(),
        "last_revision": Revision.objects.order_by("-pk").values_list("pk", flat=True).first(),
        "questions": sorted(Question.objects.values_list("slug", "name", "description", "sort_order")),
        "themes": sorted(Theme.objects.values_list("slug", "name", "parent_id")),
        "associations": sorted(Association.objects.values_list("slug", "name", "website", "sort_order")),
        "documents": get_document_model().objects.count(),
        "arpentage": MethodPage.objects.filter(slug="arpentage").values_list("title", "summary").get(),
        "world_cafe": MethodPage.objects.filter(slug="world-cafe").values_list("summary", "body").get(),
    }


def count_line(created: int, updated: int, skipped: int = 0) -> str:
    return f"Commun chargé : {created} créé(s), {updated} mis à jour, {skipped} ignoré(s)."


# --- (a) Idempotence -------------------------------------------------------------------------


def test_loading_the_loaded_content_again_changes_nothing(db, commons_dir):
    before = snapshot()
    out, err = load(commons_dir)
    assert count_line(0, 0) in out
    assert err == ""
    assert snapshot() == before


def test_loading_from_the_default_directory_changes_nothing(db):
    before = snapshot()
    out = StringIO()
    call_command("load_commons", stdout=out)
    assert count_line(0, 0) in out.getvalue()
    assert snapshot() == before


def test_demo_content_is_fully_loaded(db):
    """Every file of fixtures/ became a live page (the baseline the other tests rely on)."""
    fixtures = Path(settings.COMMONS_FIXTURES_DIR)
    for kind, model in [("methods", MethodPage), ("tools", ToolPage), ("territories", TerritoryPage)]:
        slugs = {path.stem for path in (fixtures / kind).glob("*.md")}
        assert set(model.objects.live().values_list("slug", flat=True)) == slugs


# --- (b) One changed file updates exactly one page -------------------------------------------


def test_editing_one_summary_updates_only_that_page(db, commons_dir):
    page = MethodPage.objects.get(slug="arpentage")
    revisions_before = Revision.objects.count()
    page_revisions_before = set(page.revisions.values_list("pk", flat=True))
    other_pages_before = snapshot()["pages"]
    edit_fiche(commons_dir / "methods" / "arpentage.md", summary="Un nouveau résumé de l'arpentage.")

    out, _err = load(commons_dir)

    assert count_line(0, 1) in out
    assert Revision.objects.count() == revisions_before + 1
    page.refresh_from_db()
    new_revisions = page.revisions.exclude(pk__in=page_revisions_before)
    assert new_revisions.count() == 1
    revision = new_revisions.get()
    assert revision.user is None
    assert page.live_revision_id == revision.pk
    assert page.latest_revision_id == revision.pk
    assert page.live and not page.has_unpublished_changes
    assert page.summary == "Un nouveau résumé de l'arpentage."
    assert revision.as_object().summary == "Un nouveau résumé de l'arpentage."
    # No other page moved.
    others_after = [row for row in snapshot()["pages"] if row[0] != page.pk]
    assert others_after == [row for row in other_pages_before if row[0] != page.pk]


def test_editing_a_body_republishes_its_rendering(db, commons_dir):
    meta, _body = read_fiche(commons_dir / "methods" / "world-cafe.md")
    write_fiche(commons_dir / "methods" / "world-cafe.md", meta, "## Nouveau déroulé\n\nTout **change**.\n")

    out, _err = load(commons_dir)

    assert count_line(0, 1) in out
    page = MethodPage.objects.get(slug="world-cafe")
    assert page.body == "## Nouveau déroulé\n\nTout **change**."
    assert '<h2 id="fiche-nouveau-deroule">Nouveau déroulé</h2>' in page.body_html
    assert "<strong>change</strong>" in page.body_html


def test_editing_relations_updates_them(db, commons_dir):
    edit_fiche(
        commons_dir / "methods" / "arpentage.md",
        questions=["par-ou-commencer"],
        tags=["Nouveau Mot-Clé"],
        tools=["matrice-amof"],
    )
    out, _err = load(commons_dir)
    assert count_line(0, 1) in out
    page = MethodPage.objects.get(slug="arpentage")
    assert list(page.questions.values_list("slug", flat=True)) == ["par-ou-commencer"]
    assert list(page.tags.values_list("name", flat=True)) == ["nouveau mot-clé"]
    assert list(page.tools.values_list("slug", flat=True)) == ["matrice-amof"]
    # Loading again is a no-op (the normalised state matches what was stored).
    out, _err = load(commons_dir)
    assert count_line(0, 0) in out


def test_editing_a_taxonomy_term_updates_only_that_term(db, commons_dir):
    revisions_before = Revision.objects.count()

    def rename(taxonomy):
        taxonomy["questions"][0]["name"] = "Par où commencer, vraiment ?"

    edit_yaml(commons_dir / "taxonomy.yaml", rename)
    out, _err = load(commons_dir)
    assert count_line(0, 1) in out
    assert Question.objects.get(slug="par-ou-commencer").name == "Par où commencer, vraiment ?"
    assert Revision.objects.count() == revisions_before


# --- (c) Malformed input: every problem listed, nothing changed -------------------------------


def write_text(relative: str, text: str):
    def mutate(directory: Path) -> None:
        (directory / relative).write_text(text, encoding="utf-8")

    return mutate


def edit(relative: str, remove=(), **changes):
    def mutate(directory: Path) -> None:
        edit_fiche(directory / relative, remove=remove, **changes)

    return mutate


def set_tool_path(path: str):
    def mutate(directory: Path) -> None:
        (directory.parent / "secret.txt").write_text("secret", encoding="utf-8")
        edit_fiche(directory / "tools" / "matrice-amof.md", files=[{"path": path, "title": "x"}])

    return mutate


def duplicate_question(directory: Path) -> None:
    edit_yaml(directory / "taxonomy.yaml", lambda data: data["questions"].append(dict(data["questions"][0])))


def latin1_file(directory: Path) -> None:
    path = directory / "methods" / "arpentage.md"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))


def badly_named_copy(directory: Path) -> None:
    shutil.copy(directory / "methods" / "arpentage.md", directory / "methods" / "Arpentage Bis.md")


MALFORMED = [
    pytest.param(
        write_text("methods/arpentage.md", "---\ntitle: [pas fermé\nsummary: x\n---\nCorps\n"),
        ["methods/arpentage.md : en-tête YAML illisible"],
        1,
        id="invalid-yaml-front-matter",
    ),
    pytest.param(
        write_text("methods/arpentage.md", "# Arpentage\n\nPas d'en-tête.\n"),
        ["methods/arpentage.md : en-tête YAML manquant"],
        1,
        id="missing-front-matter",
    ),
    pytest.param(
        write_text("methods/arpentage.md", "---\n- une\n- liste\n---\nCorps\n"),
        ["methods/arpentage.md : l'en-tête YAML doit être un dictionnaire"],
        1,
        id="front-matter-not-a-mapping",
    ),
    pytest.param(
        edit("methods/arpentage.md", remove=["title"]),
        ["methods/arpentage.md — title : champ obligatoire"],
        1,
        id="missing-title",
    ),
    pytest.param(
        edit("methods/arpentage.md", summary="é" * 301),
        ["methods/arpentage.md — summary : 301 caractères, 300 au plus"],
        1,
        id="summary-too-long",
    ),
    pytest.param(
        edit("methods/arpentage.md", questions=["par-ou-commencer", "question-inexistante"]),
        ["methods/arpentage.md — questions : référence inconnue : question-inexistante"],
        1,
        id="unknown-question",
    ),
    pytest.param(
        edit("methods/arpentage.md", license="WTFPL"),
        ["methods/arpentage.md — license : valeur « WTFPL » inconnue"],
        1,
        id="unknown-license",
    ),
    pytest.param(
        edit("methods/arpentage.md", couleur="bleu"),
        ["methods/arpentage.md — couleur : champ inconnu"],
        1,
        id="unknown-field",
    ),
    pytest.param(
        edit("tools/matrice-amof.md", phases=["comprendre-le-territoire"]),
        ["tools/matrice-amof.md — phases : champ inconnu"],
        1,
        id="method-field-on-a-tool",
    ),
    pytest.param(
        edit("methods/arpentage.md", group_size_min=12, group_size_max=4),
        ["methods/arpentage.md — group_size_min : doit être inférieur ou égal à group_size_max"],
        1,
        id="group-size-min-above-max",
    ),
    pytest.param(
        edit("methods/arpentage.md", group_size_min="quatre"),
        ["methods/arpentage.md — group_size_min : doit être un nombre entier"],
        1,
        id="group-size-not-an-integer",
    ),
    pytest.param(
        edit("territories/jazeneuil.md", latitude=123),
        ["territories/jazeneuil.md — latitude : doit être un nombre entre -90 et 90"],
        1,
        id="latitude-123",
    ),
    pytest.param(
        edit("territories/jazeneuil.md", longitude="est"),
        ["territories/jazeneuil.md — longitude : doit être un nombre entre -180 et 180"],
        1,
        id="longitude-not-a-number",
    ),
    pytest.param(
        edit(
            "territories/jazeneuil.md",
            methods_used=[{"method": "methode-inexistante", "how_it_went": "Bien."}],
        ),
        ["territories/jazeneuil.md — methods_used[1].method : méthode inconnue : methode-inexistante"],
        1,
        id="methods-used-unknown-method",
    ),
    pytest.param(
        set_tool_path("files/absent.csv"),
        ["tools/matrice-amof.md — files[1].path : fichier introuvable : files/absent.csv"],
        1,
        id="tool-file-missing",
    ),
    pytest.param(
        set_tool_path("../../etc/passwd"),
        ["tools/matrice-amof.md — files[1].path : fichier introuvable : ../../etc/passwd"],
        1,
        id="tool-file-escaping-etc-passwd",
    ),
    pytest.param(
        set_tool_path("../../secret.txt"),
        ["tools/matrice-amof.md — files[1].path : fichier introuvable : ../../secret.txt"],
        1,
        id="tool-file-escaping-to-an-existing-file",
    ),
    pytest.param(
        set_tool_path("/etc/passwd"),
        ["tools/matrice-amof.md — files[1].path : fichier introuvable : /etc/passwd"],
        1,
        id="tool-file-absolute-path",
    ),
    pytest.param(
        write_text("taxonomy.yaml", "- une\n- liste\n"),
        ["taxonomy.yaml : le fichier doit contenir un dictionnaire"],
        None,  # every reference to the taxonomy becomes unknown too
        id="taxonomy-not-a-mapping",
    ),
    pytest.param(
        write_text("associations.yaml", "solucracy: Solucracy\n"),
        ["associations.yaml : le fichier doit contenir une liste"],
        None,
        id="associations-not-a-list",
    ),
    pytest.param(
        duplicate_question,
        ["taxonomy.yaml — questions[7].slug : identifiant en double : par-ou-commencer"],
        1,
        id="duplicate-taxonomy-slug",
    ),
    pytest.param(
        latin1_file,
        ["methods/arpentage.md : le fichier n'est pas en UTF-8"],
        1,
        id="non-utf8-file",
    ),
    pytest.param(
        badly_named_copy,
        ["methods/Arpentage Bis.md : le nom du fichier doit être un identifiant"],
        1,
        id="file-name-not-a-slug",
    ),
]


@pytest.mark.parametrize(("mutate", "expected_lines", "expected_count"), MALFORMED)
def test_malformed_input_is_refused_and_changes_nothing(
    db, commons_dir, mutate, expected_lines, expected_count
):
    # Valid changes elsewhere in the same run that a non-atomic loader would apply.
    edit_fiche(commons_dir / "methods" / "world-cafe.md", summary="Résumé qui ne doit jamais arriver.")
    edit_yaml(commons_dir / "taxonomy.yaml", lambda data: data["phases"][0].update(name="Jamais chargée"))
    meta, _body = read_fiche(commons_dir / "methods" / "world-cafe.md")
    write_fiche(commons_dir / "methods" / "methode-neuve.md", meta, "Corps.\n")
    before = snapshot()

    mutate(commons_dir)
    error, stderr = load_expecting_error(commons_dir)

    for line in expected_lines:
        assert line in stderr
    if expected_count is not None:
        assert str(error) == f"{expected_count} problème(s) : rien n'a été modifié."
        assert len(stderr.strip().splitlines()) == expected_count
    assert snapshot() == before
    assert not MethodPage.objects.filter(slug="methode-neuve").exists()


def test_every_problem_is_listed(db, commons_dir):
    before = snapshot()
    edit_fiche(commons_dir / "methods" / "arpentage.md", summary="x" * 400, license="WTFPL")
    edit_fiche(commons_dir / "territories" / "jazeneuil.md", latitude=123, kind="village")
    edit_fiche(commons_dir / "tools" / "matrice-amof.md", files=[{"path": "../../etc/passwd"}])
    (commons_dir / "methods" / "sans-entete.md").write_text("Pas d'en-tête\n", encoding="utf-8")

    error, stderr = load_expecting_error(commons_dir)

    expected = [
        "methods/arpentage.md — summary : 400 caractères, 300 au plus",
        "methods/arpentage.md — license : valeur « WTFPL » inconnue",
        "methods/sans-entete.md : en-tête YAML manquant",
        "territories/jazeneuil.md — latitude : doit être un nombre entre -90 et 90",
        "territories/jazeneuil.md — kind : valeur « village » inconnue",
        "tools/matrice-amof.md — files[1].path : fichier introuvable : ../../etc/passwd",
    ]
    for line in expected:
        assert line in stderr
    assert len(stderr.strip().splitlines()) == len(expected)
    assert str(error) == f"{len(expected)} problème(s) : rien n'a été modifié."
    assert snapshot() == before


def test_nonexistent_path_is_refused(db, tmp_path):
    before = snapshot()
    with pytest.raises(CommandError, match="Dossier introuvable"):
        call_command("load_commons", path=tmp_path / "absent", stdout=StringIO(), stderr=StringIO())
    assert snapshot() == before


def test_a_file_as_path_is_refused(db, tmp_path):
    (tmp_path / "taxonomy.yaml").write_text("questions: []\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Dossier introuvable"):
        call_command("load_commons", path=tmp_path / "taxonomy.yaml", stdout=StringIO(), stderr=StringIO())


# --- (d) Pages edited in the admin ------------------------------------------------------------


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(username="editrice", password="x")


def edit_in_admin(page, user, title: str, publish: bool = True):
    page.title = title
    revision = page.save_revision(user=user)
    if publish:
        revision.publish(user=user)
    page.refresh_from_db()
    return page


def test_page_edited_in_admin_is_skipped_then_overwritten_with_force(db, commons_dir, editor):
    page = edit_in_admin(MethodPage.objects.get(slug="arpentage"), editor, "Arpentage revu par l'éditrice")
    edit_fiche(commons_dir / "methods" / "arpentage.md", summary="Résumé modifié dans le fichier.")
    revisions = Revision.objects.count()

    out, _err = load(commons_dir)

    assert "ignorée (modifiée dans l'administration) : methods/arpentage" in out
    assert count_line(0, 0, 1) in out
    page.refresh_from_db()
    assert page.title == "Arpentage revu par l'éditrice"
    assert page.summary != "Résumé modifié dans le fichier."
    assert Revision.objects.count() == revisions

    out, _err = load(commons_dir, force=True)

    assert count_line(0, 1, 0) in out
    page.refresh_from_db()
    assert page.title == "Arpentage"
    assert page.summary == "Résumé modifié dans le fichier."
    assert page.latest_revision.user is None
    assert page.live_revision_id == page.latest_revision_id
    assert Revision.objects.count() == revisions + 1

    # Back under the loader's control: a normal run neither skips nor changes it.
    out, _err = load(commons_dir)
    assert count_line(0, 0, 0) in out


def test_only_the_edited_page_is_skipped(db, commons_dir, editor):
    edit_in_admin(MethodPage.objects.get(slug="arpentage"), editor, "Arpentage revu")
    edit_fiche(commons_dir / "methods" / "world-cafe.md", summary="Nouveau résumé du World Café.")
    out, _err = load(commons_dir)
    assert count_line(0, 1, 1) in out
    assert MethodPage.objects.get(slug="world-cafe").summary == "Nouveau résumé du World Café."


def test_unpublished_draft_from_the_admin_is_skipped(db, commons_dir, editor):
    page = edit_in_admin(MethodPage.objects.get(slug="arpentage"), editor, "Brouillon", publish=False)
    assert page.has_unpublished_changes
    edit_fiche(commons_dir / "methods" / "arpentage.md", summary="Résumé modifié dans le fichier.")
    out, _err = load(commons_dir)
    assert "ignorée (modifiée dans l'administration) : methods/arpentage" in out
    page.refresh_from_db()
    assert page.latest_revision.user == editor
    assert page.summary != "Résumé modifié dans le fichier."


def test_force_takes_back_a_page_with_an_admin_draft(db, commons_dir, editor):
    edit_in_admin(MethodPage.objects.get(slug="arpentage"), editor, "Brouillon", publish=False)
    load(commons_dir, force=True)
    page = MethodPage.objects.get(slug="arpentage")
    assert not page.has_unpublished_changes
    out, _err = load(commons_dir)
    assert count_line(0, 0, 0) in out


# --- (e) New files ----------------------------------------------------------------------------


NEW_METHOD = {
    "title": "Méthode toute neuve",
    "summary": "Une méthode ajoutée par un fichier.",
    "questions": ["par-ou-commencer", "comment-s-organiser"],
    "phases": ["comprendre-le-territoire"],
    "tags": ["Nouveauté"],
    "associations": ["solucracy"],
    "license": "CC0-1.0",
    "audience": "elus",
    "group_size_min": 3,
    "group_size_max": 12,
    "duration": "journee",
    "tools": ["matrice-amof"],
}


def test_new_method_file_creates_and_publishes_a_page(db, commons_dir):
    write_fiche(commons_dir / "methods" / "methode-toute-neuve.md", NEW_METHOD, "## Objectifs\n\nAgir.\n")
    revisions = Revision.objects.count()

    out, _err = load(commons_dir)

    assert count_line(1, 0) in out
    page = MethodPage.objects.get(slug="methode-toute-neuve")
    assert page.live and not page.has_unpublished_changes
    assert page.first_published_at is not None
    assert isinstance(page.get_parent().specific, MethodIndexPage)
    assert page.get_url() == "/methodes/methode-toute-neuve/"
    assert page.title == "Méthode toute neuve"
    assert page.license == "CC0-1.0"
    assert (page.audience, page.group_size_min, page.group_size_max, page.duration) == (
        "elus",
        3,
        12,
        "journee",
    )
    assert sorted(page.questions.values_list("slug", flat=True)) == [
        "comment-s-organiser",
        "par-ou-commencer",
    ]
    assert list(page.phases.values_list("slug", flat=True)) == ["comprendre-le-territoire"]
    assert list(page.tools.values_list("slug", flat=True)) == ["matrice-amof"]
    assert list(page.associations.values_list("slug", flat=True)) == ["solucracy"]
    assert list(page.tags.values_list("name", flat=True)) == ["nouveauté"]
    assert '<h2 id="fiche-objectifs">Objectifs</h2>' in page.body_html
    assert Revision.objects.count() == revisions + 1
    assert page.live_revision.user is None

    out, _err = load(commons_dir)
    assert count_line(0, 0) in out


def test_new_method_and_a_territory_using_it_load_in_one_run(db, commons_dir):
    write_fiche(commons_dir / "methods" / "methode-toute-neuve.md", NEW_METHOD, "Corps.\n")
    edit_fiche(
        commons_dir / "territories" / "jazeneuil.md",
        methods_used=[{"method": "methode-toute-neuve", "how_it_went": "Très bien."}],
    )
    out, _err = load(commons_dir)
    assert count_line(1, 1) in out
    territory = TerritoryPage.objects.get(slug="jazeneuil")
    assert [(use.method.slug, use.how_it_went) for use in territory.method_uses.all()] == [
        ("methode-toute-neuve", "Très bien.")
    ]


def test_new_tool_file_creates_its_document(db, commons_dir):
    (commons_dir / "tools" / "files" / "nouvelle-grille.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    meta = {
        "title": "Nouvelle grille",
        "summary": "Une grille.",
        "version": "2.1",
        "files": [{"path": "files/nouvelle-grille.csv", "title": "La grille"}],
    }
    write_fiche(commons_dir / "tools" / "nouvelle-grille.md", meta, "Corps.\n")
    documents = get_document_model().objects.count()

    out, _err = load(commons_dir)

    assert count_line(1, 0) in out
    tool = ToolPage.objects.get(slug="nouvelle-grille")
    assert tool.get_url() == "/outils/nouvelle-grille/"
    assert tool.version == "2.1"
    files = list(tool.files.all())
    assert [item.display_title for item in files] == ["La grille"]
    assert files[0].document.file_size == len(b"a;b\n1;2\n")
    assert get_document_model().objects.count() == documents + 1


# --- read_commons without the database -------------------------------------------------------


def test_read_commons_reads_every_fixture_file(commons_dir):
    bundle = read_commons(commons_dir)
    for kind in ("methods", "tools", "territories"):
        assert {fiche.slug for fiche in bundle.fiches[kind]} == {
            path.stem for path in (commons_dir / kind).glob("*.md")
        }
    arpentage = next(fiche for fiche in bundle.fiches["methods"] if fiche.slug == "arpentage")
    assert arpentage.meta["title"] == "Arpentage"
    assert arpentage.body.startswith("## Objectifs")
    assert "---" not in arpentage.body.splitlines()[0]
    assert [entry["slug"] for entry in bundle.taxonomy["questions"]][0] == "par-ou-commencer"


def problems_of(directory: Path) -> list[Problem]:
    with pytest.raises(CommonsFilesInvalid) as raised:
        read_commons(directory)
    return raised.value.problems


def test_read_commons_reports_problems_with_file_and_field(commons_dir):
    edit_fiche(commons_dir / "methods" / "arpentage.md", summary="x" * 301, questions=["inconnue"])
    edit_fiche(commons_dir / "territories" / "jazeneuil.md", latitude=-91)
    problems = problems_of(commons_dir)
    assert {(problem.file, problem.field) for problem in problems} == {
        ("methods/arpentage.md", "summary"),
        ("methods/arpentage.md", "questions"),
        ("territories/jazeneuil.md", "latitude"),
    }
    summary = next(problem for problem in problems if problem.field == "summary")
    assert str(summary) == "methods/arpentage.md — summary : 301 caractères, 300 au plus"


def test_read_commons_reports_a_missing_directory_content(tmp_path):
    problems = problems_of(tmp_path)
    assert [(problem.file, problem.field, problem.message) for problem in problems] == [
        ("taxonomy.yaml", "", "fichier introuvable"),
        ("associations.yaml", "", "fichier introuvable"),
    ]
    assert str(problems[0]) == "taxonomy.yaml : fichier introuvable"


def test_read_commons_exception_message_counts_problems(commons_dir):
    edit_fiche(commons_dir / "methods" / "arpentage.md", remove=["title", "summary"])
    with pytest.raises(CommonsFilesInvalid, match=r"^2 problème\(s\)"):
        read_commons(commons_dir)


@pytest.mark.parametrize(
    ("relative", "changes", "field"),
    [
        ("methods/arpentage.md", {"tags": "pas une liste"}, "tags"),
        ("methods/arpentage.md", {"tags": ["x" * 101]}, "tags"),
        ("methods/arpentage.md", {"questions": "par-ou-commencer"}, "questions"),
        ("methods/arpentage.md", {"title": ["une", "liste"]}, "title"),
        ("methods/arpentage.md", {"title": "x" * 256}, "title"),
        ("methods/arpentage.md", {"duration": "une-semaine"}, "duration"),
        ("methods/arpentage.md", {"group_size_min": 0}, "group_size_min"),
        ("methods/arpentage.md", {"group_size_max": True}, "group_size_max"),
        ("methods/arpentage.md", {"phases": ["phase-inconnue"]}, "phases"),
        ("methods/arpentage.md", {"tools": ["outil-inconnu"]}, "tools"),
        ("tools/matrice-amof.md", {"files": "files/matrice-amof.md"}, "files"),
        ("tools/matrice-amof.md", {"files": [{"title": "sans chemin"}]}, "files[1]"),
        ("tools/matrice-amof.md", {"version": "1" * 21}, "version"),
        ("territories/jazeneuil.md", {"latitude": True}, "latitude"),
        ("territories/jazeneuil.md", {"longitude": 180.5}, "longitude"),
        ("territories/jazeneuil.md", {"population": -1}, "population"),
        ("territories/jazeneuil.md", {"population_year": 1700}, "population_year"),
        (
            "territories/jazeneuil.md",
            {"accompanying_associations": ["inconnue"]},
            "accompanying_associations",
        ),
        ("territories/jazeneuil.md", {"methods_used": ["arpentage"]}, "methods_used[1]"),
        ("territories/jazeneuil.md", {"methods_used": "arpentage"}, "methods_used"),
    ],
)
def test_read_commons_field_checks(commons_dir, relative, changes, field):
    edit_fiche(commons_dir / relative, **changes)
    assert [(problem.file, problem.field) for problem in problems_of(commons_dir)] == [(relative, field)]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda data: data["questions"][0].update(slug="Pas Un Slug"), "questions[1].slug"),
        (lambda data: data["questions"][0].pop("name"), "questions[1].name"),
        (lambda data: data["defis"][0].update(number="un"), "defis[1].number"),
        (lambda data: data["themes"][0]["children"][0].update(slug=data["themes"][0]["slug"]),
         "themes[1].children[1].slug"),
        (lambda data: data.update(phases="pas une liste"), "phases"),
    ],
)  # fmt: skip
def test_read_commons_taxonomy_checks(commons_dir, change, field):
    edit_yaml(commons_dir / "taxonomy.yaml", change)
    problems = problems_of(commons_dir)
    assert ("taxonomy.yaml", field) in [(problem.file, problem.field) for problem in problems]


def test_read_commons_association_checks(commons_dir):
    edit_yaml(commons_dir / "associations.yaml", lambda data: data[0].update(website="pas une adresse"))
    assert [(p.file, p.field) for p in problems_of(commons_dir)] == [("associations.yaml", "[1].website")]


# --- Values that once crashed or reached the database unchecked ----------------------------


def test_nan_latitude_is_a_problem(commons_dir):
    edit_fiche(commons_dir / "territories" / "jazeneuil.md", latitude=float("nan"))
    assert [(p.file, p.field) for p in problems_of(commons_dir)] == [("territories/jazeneuil.md", "latitude")]


@pytest.mark.parametrize(
    ("relative", "changes"),
    [
        ("methods/arpentage.md", {"questions": [{"slug": "par-ou-commencer"}]}),
        ("territories/jazeneuil.md", {"methods_used": [{"method": ["arpentage"]}]}),
    ],
)
def test_unhashable_reference_is_a_problem(commons_dir, relative, changes):
    edit_fiche(commons_dir / relative, **changes)
    assert [p.file for p in problems_of(commons_dir)] == [relative]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda data: data["questions"].append({"slug": "a" * 101, "name": "Longue"}), "questions[7].slug"),
        (lambda data: data["defis"][0].update(number=-1), "defis[1].number"),
    ],
)
def test_values_the_database_cannot_store_are_problems(commons_dir, change, field):
    edit_yaml(commons_dir / "taxonomy.yaml", change)
    assert [(p.file, p.field) for p in problems_of(commons_dir)] == [("taxonomy.yaml", field)]
