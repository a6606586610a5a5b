"""`export_commons` and `import_commons`: every published fiche out, all or nothing back in, and
an export imported into an empty database exports again to the same bytes."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction, Revision

import pytest
import yaml

from commons import fiche_types
from commons.exchange import read_commons
from commons.exchange.sync import desired_state
from commons.models import Association, Defi, Phase, Question, Theme
from methods.models import MethodPage, ToolPage
from territories.models import Criterion, RoadmapAction, TerritoryPage


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def export(directory: Path) -> Path:
    call_command("export_commons", str(directory), stdout=StringIO())
    return directory


def tree(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes() for path in directory.rglob("*") if path.is_file()
    }


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


def empty_the_database() -> None:
    """What a fresh site has: no fiche, term, partner, file, roadmap or criterion."""
    for model in (RoadmapAction, Criterion):
        model.objects.all().delete()
    Page.objects.filter(depth__gt=2).delete()  # the home page and everything under it
    Revision.objects.all().delete()
    Theme.objects.filter(parent__isnull=False).delete()
    for model in (Question, Phase, Defi, Theme, Association):
        model.objects.all().delete()
    get_document_model().objects.all().delete()


def test_export_holds_every_published_fiche_and_the_collections(db, tmp_path):
    directory = export(tmp_path / "export")
    for fiche_type in fiche_types.fiche_types():
        published = set(fiche_type.model.objects.live_public().values_list("slug", flat=True))
        written = {path.stem for path in (directory / fiche_type.kind).glob("*.md")}
        assert written == published and published
    assert {"taxonomy.yaml", "associations.yaml", "roadmap.yaml", "criteria.yaml", "SHA256SUMS"} <= set(
        tree(directory)
    )
    criteria = yaml.safe_load((directory / "criteria.yaml").read_text(encoding="utf-8"))
    assert len(criteria) == Criterion.objects.filter(live=True).count()
    assert all(len(criterion["levels"]) == 4 for criterion in criteria)


def test_the_export_reads_back_as_the_fixtures_describe_each_fiche(db, tmp_path, settings):
    """The writer is the reader's inverse: each exported fiche means what its fixture said."""
    exported = read_commons(export(tmp_path / "export"))
    fixtures = read_commons(Path(settings.COMMONS_FIXTURES_DIR))
    for kind, fiches in fixtures.fiches.items():
        fields = fiche_types.fiche_type(kind).exchange
        by_slug = {fiche.slug: fiche for fiche in exported.fiches[kind]}
        for fiche in fiches:
            assert desired_state(by_slug[fiche.slug], fields) == desired_state(fiche, fields), fiche.name


def test_checksums_list_every_file_and_attached_files_are_copied(db, tmp_path):
    directory = export(tmp_path / "export")
    lines = (directory / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {line.split("  ", 1)[1] for line in lines}
    assert listed == set(tree(directory)) - {"SHA256SUMS"}
    tool = ToolPage.objects.live_public().filter(files__isnull=False).first()
    meta = front_matter(directory / "tools" / f"{tool.slug}.md")
    copied = directory / "tools" / meta["files"][0]["path"]
    with tool.files.first().document.file.open("rb") as original:
        assert copied.read_bytes() == original.read()


def test_drafts_unpublished_and_private_fiches_stay_out(db, tmp_path):
    live = MethodPage.objects.live().get(slug="arpentage")
    live.title = "Brouillon secret"
    live.save_revision()  # a draft on a live page
    hidden = MethodPage.objects.live().get(slug="forum-ouvert")
    hidden.unpublish()
    private = MethodPage.objects.live().get(slug="world-cafe")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    directory = export(tmp_path / "export")
    assert front_matter(directory / "methods" / "arpentage.md")["title"] == "Arpentage"
    texts = [content.decode() for name, content in tree(directory).items() if name.endswith(".md")]
    assert not any("Brouillon secret" in text for text in texts)
    assert not (directory / "methods" / "forum-ouvert.md").exists()
    assert not (directory / "methods" / "world-cafe.md").exists()
    # Nothing names what is not exported: the export imports back.
    read_commons(directory)


def test_round_trip_into_an_empty_database_gives_the_same_bytes(db, tmp_path):
    first = export(tmp_path / "first")
    empty_the_database()
    assert not MethodPage.objects.exists()
    call_command("import_commons", str(first), stdout=StringIO())
    assert MethodPage.objects.live().exists()
    second = export(tmp_path / "second")
    assert tree(second) == tree(first)


def test_an_import_makes_new_revisions_with_its_change_note(db, tmp_path):
    directory = export(tmp_path / "export")
    path = directory / "methods" / "arpentage.md"
    path.write_text(path.read_text(encoding="utf-8").replace("## Objectifs", "## Buts"), encoding="utf-8")
    (directory / "SHA256SUMS").unlink()  # edited by hand: no checksums to match
    page = MethodPage.objects.get(slug="arpentage")
    revisions = Revision.page_revisions.filter(object_id=str(page.pk)).count()
    out = StringIO()
    call_command("import_commons", str(directory), "--note", "Reprise de la sauvegarde", stdout=out)
    page.refresh_from_db()
    assert "## Buts" in page.body
    assert page.live_revision.content["change_note"] == "Reprise de la sauvegarde"
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == revisions + 1
    assert "1 mis à jour" in out.getvalue()


def test_an_import_with_one_bad_file_changes_nothing(db, tmp_path):
    directory = export(tmp_path / "export")
    (directory / "SHA256SUMS").unlink()
    good = directory / "methods" / "arpentage.md"
    good.write_text(good.read_text(encoding="utf-8").replace("## Objectifs", "## Buts"), encoding="utf-8")
    bad = directory / "tools" / "matrice-amof.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("license: ", "license: GPL-", 1), encoding="utf-8")
    revisions = Revision.objects.count()
    err = StringIO()
    with pytest.raises(CommandError, match="rien n'a été modifié"):
        call_command("import_commons", str(directory), stdout=StringIO(), stderr=err)
    assert "tools/matrice-amof.md" in err.getvalue() and "license" in err.getvalue()
    assert Revision.objects.count() == revisions
    assert "## Buts" not in MethodPage.objects.get(slug="arpentage").body


def test_a_file_that_does_not_match_its_checksum_is_refused(db, tmp_path):
    directory = export(tmp_path / "export")
    path = directory / "methods" / "arpentage.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nAjout.\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_commons", str(directory), stdout=StringIO(), stderr=err)
    assert "SHA256SUMS" in err.getvalue() and "methods/arpentage.md" in err.getvalue()


def test_export_refuses_a_directory_that_is_not_empty(db, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("à garder", encoding="utf-8")
    with pytest.raises(CommandError, match="n'est pas vide"):
        export(tmp_path / "used")
    assert (tmp_path / "used" / "notes.txt").read_text(encoding="utf-8") == "à garder"


def test_import_of_a_missing_directory_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_commons", str(tmp_path / "absent"), stdout=StringIO())


def test_territory_extras_are_exported(db, tmp_path):
    directory = export(tmp_path / "export")
    territory = TerritoryPage.objects.live_public().filter(method_uses__isnull=False).first()
    meta = front_matter(directory / "territories" / f"{territory.slug}.md")
    assert [use["method"] for use in meta["methods_used"]] == [
        use.method.slug for use in territory.method_uses.all()
    ]
