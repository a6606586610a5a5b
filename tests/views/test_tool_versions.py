"""A tool's files change only with a higher version: the real admin edit form of a ToolPage.

The files are an inline formset (`files-TOTAL_FORMS`, `files-0-document`, `files-0-title`,
`files-0-ORDER`, `files-0-DELETE`…) read from the edit page's HTML and posted back as a browser would.
"""

import html
import re

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import Revision

import pytest

from methods.forms import VERSION_PATTERN, next_version, version_key
from methods.models import ToolIndexPage, ToolPage
from tests.admin_forms import read_form
from tests.conftest import publish
from tests.factories import ToolPageFactory
from tests.workflow_helpers import member

pytestmark = pytest.mark.django_db

BUMP_REFUSED = "Les fichiers de l'outil ont changé : passez la version au-delà de {old} (par exemple {next})."
MALFORMED = "Un numéro de version s'écrit comme 1, 1.2 ou 2.0.1."


# --- Helpers ---------------------------------------------------------------------------------


@pytest.fixture
def editor():
    return member("editrice-outils", "la-traverse")


@pytest.fixture
def tool():
    """A live tool at version 1.0 with one file."""
    page = ToolPage.objects.get(slug="carte-des-facilitateurs")
    assert page.version == "1.0" and page.files.count() == 1
    return page


@pytest.fixture
def two_file_tool():
    """A live tool at version 1.1 with two files."""
    page = ToolPage.objects.get(slug="grille-autodiagnostic-resilience")
    assert page.version == "1.1" and page.files.count() == 2
    return page


def new_document(title="Nouveau fichier"):
    return get_document_model().objects.create(
        title=title, file=ContentFile(b"colonne;valeur\n1;2\n", name="nouveau.csv")
    )


def open_form(client, user, page) -> dict[str, list[str]]:
    client.force_login(user)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    data = read_form(response.content.decode())
    assert data["files-TOTAL_FORMS"] == [str(page.files.count())]
    return data


def post_form(client, page, data, action=None):
    if action:
        data[action] = ["1"]
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def add_file(data, document):
    index = int(data["files-TOTAL_FORMS"][0])
    data["files-TOTAL_FORMS"] = [str(index + 1)]
    data[f"files-{index}-document"] = [str(document.pk)]
    data[f"files-{index}-title"] = [""]
    data[f"files-{index}-id"] = [""]
    data[f"files-{index}-ORDER"] = [str(index + 1)]
    data[f"files-{index}-DELETE"] = [""]


def field_errors(response, field: str) -> str:
    """The text of the errors shown on `field` of the admin form ("" when none)."""
    page = response.content.decode()
    match = re.search(rf'data-contentpath="{field}"(.*?)(?=data-contentpath="|</form>)', page, re.S)
    assert match, f"no field {field} in the form"
    messages = re.findall(r'class="error-message"[^>]*>(.*?)</', match.group(1), re.S)
    return " ".join(html.unescape(" ".join(message.split())) for message in messages)


def revision_count(page) -> int:
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


def latest_content(page) -> dict:
    page.refresh_from_db()
    return page.get_latest_revision().content


def file_documents(content) -> list[int]:
    return sorted(item["document"] for item in content["files"])


class Snapshot:
    """What must not change when the form is refused: revisions, live version and live files."""

    def __init__(self, page):
        self.page = page
        self.state = self.read()

    def read(self):
        self.page.refresh_from_db()
        return (
            revision_count(self.page),
            self.page.version,
            self.page.latest_revision_id,
            list(self.page.files.order_by("sort_order").values_list("document_id", "title")),
        )

    def unchanged(self) -> bool:
        return self.read() == self.state


def assert_refused_on_version(response, snapshot, message):
    assert response.status_code == 200  # the form is shown again, with its errors
    errors = field_errors(response, "version")
    assert message in errors, errors
    assert snapshot.unchanged()


# --- Changing files without raising the version is refused -----------------------------------


def test_adding_a_file_without_raising_the_version_is_refused(client, editor, tool):
    snapshot = Snapshot(tool)
    data = open_form(client, editor, tool)
    add_file(data, new_document())
    response = post_form(client, tool, data)
    assert_refused_on_version(response, snapshot, BUMP_REFUSED.format(old="1.0", next="1.1"))


def test_removing_a_file_without_raising_the_version_is_refused(client, editor, tool):
    snapshot = Snapshot(tool)
    data = open_form(client, editor, tool)
    data["files-0-DELETE"] = ["1"]
    response = post_form(client, tool, data)
    assert_refused_on_version(response, snapshot, BUMP_REFUSED.format(old="1.0", next="1.1"))


def test_replacing_a_file_without_raising_the_version_is_refused(client, editor, tool):
    snapshot = Snapshot(tool)
    data = open_form(client, editor, tool)
    data["files-0-document"] = [str(new_document().pk)]
    response = post_form(client, tool, data)
    assert_refused_on_version(response, snapshot, BUMP_REFUSED.format(old="1.0", next="1.1"))


def test_submitting_for_review_is_refused_too(client, editor, tool):
    snapshot = Snapshot(tool)
    data = open_form(client, editor, tool)
    add_file(data, new_document())
    response = post_form(client, tool, data, action="action-submit")
    assert_refused_on_version(response, snapshot, BUMP_REFUSED.format(old="1.0", next="1.1"))
    tool.refresh_from_db()
    assert not tool.workflow_in_progress


@pytest.mark.parametrize("version", ["1.0", "0.9", "1", "0"])
def test_a_version_that_is_not_higher_is_refused(client, editor, tool, version):
    snapshot = Snapshot(tool)
    data = open_form(client, editor, tool)
    add_file(data, new_document())
    data["version"] = [version]
    response = post_form(client, tool, data)
    assert_refused_on_version(response, snapshot, BUMP_REFUSED.format(old="1.0", next="1.1"))


def test_the_error_names_the_next_version_of_a_two_part_version(client, editor, two_file_tool):
    snapshot = Snapshot(two_file_tool)
    data = open_form(client, editor, two_file_tool)
    data["files-1-DELETE"] = ["1"]
    response = post_form(client, two_file_tool, data)
    assert_refused_on_version(response, snapshot, BUMP_REFUSED.format(old="1.1", next="1.2"))


# --- The same changes with a higher version are accepted -------------------------------------


@pytest.mark.parametrize("change", ["add", "remove", "replace"])
def test_changing_files_with_a_higher_version_is_accepted(client, editor, tool, change):
    before = revision_count(tool)
    old_documents = [tool.files.get().document_id]
    data = open_form(client, editor, tool)
    document = new_document()
    if change == "add":
        add_file(data, document)
        expected = sorted([*old_documents, document.pk])
    elif change == "remove":
        data["files-0-DELETE"] = ["1"]
        expected = []
    else:
        data["files-0-document"] = [str(document.pk)]
        expected = [document.pk]
    data["version"] = ["1.1"]
    response = post_form(client, tool, data)
    assert response.status_code == 302, field_errors(response, "version")
    assert revision_count(tool) == before + 1
    content = latest_content(tool)
    assert content["version"] == "1.1"
    assert file_documents(content) == expected
    tool.refresh_from_db()
    assert tool.version == "1.0" and [f.document_id for f in tool.files.all()] == old_documents  # a draft


def test_an_administrator_publishes_new_files_with_a_new_version(client, tool):
    administrator = member("administratrice", admin=True)
    data = open_form(client, administrator, tool)
    document = new_document("Gabarit 2026")
    add_file(data, document)
    data["version"] = ["2.0"]
    response = post_form(client, tool, data, action="action-publish")
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.version == "2.0"
    assert document.pk in set(tool.files.values_list("document_id", flat=True))
    assert "Gabarit 2026" in client.get(tool.url).content.decode()


def test_a_higher_version_is_accepted_even_with_a_change_of_several_parts(client, editor, tool):
    data = open_form(client, editor, tool)
    add_file(data, new_document())
    data["version"] = ["1.0.1"]
    assert post_form(client, tool, data).status_code == 302
    assert latest_content(tool)["version"] == "1.0.1"


# --- What is not a change of files -----------------------------------------------------------


def test_renaming_a_file_needs_no_new_version(client, editor, tool):
    before = revision_count(tool)
    data = open_form(client, editor, tool)
    data["files-0-title"] = ["Tableau des facilitateurs (nouveau titre)"]
    response = post_form(client, tool, data)
    assert response.status_code == 302, field_errors(response, "version")
    assert revision_count(tool) == before + 1
    content = latest_content(tool)
    assert content["version"] == "1.0"
    assert content["files"][0]["title"] == "Tableau des facilitateurs (nouveau titre)"


def test_reordering_files_needs_no_new_version(client, editor, two_file_tool):
    first, second = two_file_tool.files.order_by("sort_order")
    data = open_form(client, editor, two_file_tool)
    assert data["files-0-id"] == [str(first.pk)]
    data["files-0-ORDER"], data["files-1-ORDER"] = ["2"], ["1"]
    response = post_form(client, two_file_tool, data)
    assert response.status_code == 302, field_errors(response, "version")
    content = latest_content(two_file_tool)
    assert [item["document"] for item in content["files"]] == [second.document_id, first.document_id]
    assert content["version"] == "1.1"


def test_editing_only_the_text_of_a_tool_needs_no_new_version(client, editor, tool):
    data = open_form(client, editor, tool)
    data["summary"] = ["Un modèle de tableau, résumé autrement."]
    response = post_form(client, tool, data)
    assert response.status_code == 302, field_errors(response, "version")
    assert latest_content(tool)["summary"] == "Un modèle de tableau, résumé autrement."


def test_a_tool_without_files_is_edited_without_new_version(client, editor):
    """Control for the bug above: with no files, submitted and published files are both empty."""
    page = ToolPageFactory(parent=ToolIndexPage.objects.get(), title="Outil sans fichier", version="1.0")
    publish(page)
    data = open_form(client, editor, page)
    data["summary"] = ["Résumé modifié."]
    response = post_form(client, page, data)
    assert response.status_code == 302, field_errors(response, "version")
    assert latest_content(page)["summary"] == "Résumé modifié."


def test_adding_the_first_file_without_raising_the_version_is_refused(client, editor):
    page = ToolPageFactory(parent=ToolIndexPage.objects.get(), title="Outil bientôt outillé", version="1.0")
    publish(page)
    snapshot = Snapshot(page)
    data = open_form(client, editor, page)
    add_file(data, new_document())
    response = post_form(client, page, data)
    assert_refused_on_version(response, snapshot, BUMP_REFUSED.format(old="1.0", next="1.1"))


# --- Malformed versions and version ordering -------------------------------------------------


@pytest.mark.parametrize("version", ["abc", "1..2", "1.", ".1", "v1.2", "1.2.3.4.5", "1,2", "-1", "1.2b"])
def test_malformed_versions_are_refused(client, editor, tool, version):
    snapshot = Snapshot(tool)
    data = open_form(client, editor, tool)
    data["version"] = [version]
    response = post_form(client, tool, data)
    assert_refused_on_version(response, snapshot, MALFORMED)


def test_an_empty_version_is_refused(client, editor, tool):
    snapshot = Snapshot(tool)
    data = open_form(client, editor, tool)
    data["version"] = [""]
    response = post_form(client, tool, data)
    assert response.status_code == 200
    assert field_errors(response, "version")  # required, or malformed: an error on the field
    assert snapshot.unchanged()


@pytest.mark.parametrize(
    ("published", "proposed", "accepted"),
    [
        ("1.9", "1.10", True),  # numbers, not strings: "1.10" > "1.9"
        ("1.10", "1.9", False),
        ("1.10", "1.11", True),
        ("9", "10", True),
        ("10", "9", False),
        ("1.2.9", "1.2.10", True),
    ],
)
def test_versions_compare_number_by_number_in_the_form(client, editor, tool, published, proposed, accepted):
    tool.version = published
    publish(tool)
    snapshot = Snapshot(tool)
    data = open_form(client, editor, tool)
    add_file(data, new_document())
    data["version"] = [proposed]
    response = post_form(client, tool, data)
    if accepted:
        assert response.status_code == 302, field_errors(response, "version")
        assert latest_content(tool)["version"] == proposed
    else:
        assert_refused_on_version(
            response, snapshot, BUMP_REFUSED.format(old=published, next=next_version(published))
        )


def test_adding_a_trailing_zero_is_not_a_new_version(client, editor, tool):
    tool.version = "1"
    publish(tool)
    snapshot = Snapshot(tool)
    data = open_form(client, editor, tool)
    add_file(data, new_document())
    data["version"] = ["1.0"]
    response = post_form(client, tool, data)
    assert_refused_on_version(response, snapshot, BUMP_REFUSED.format(old="1", next="1.1"))


# --- Unit tests of the helpers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("lower", "higher"),
    [("1.9", "1.10"), ("1", "2"), ("1.99", "2"), ("2.0.1", "2.0.10"), ("0.9", "1.0"), ("1.2", "1.2.1")],
)
def test_version_key_orders_numerically(lower, higher):
    assert version_key(lower) < version_key(higher)
    assert sorted([higher, lower], key=version_key) == [lower, higher]


def test_version_key_reads_each_number():
    assert version_key("1.10") == (1, 10)
    assert version_key("2.0.1") == (2, 0, 1)
    assert version_key("007") == (7,)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("1.0", "1.1"),
        ("1.9", "1.10"),
        ("1", "1.1"),
        ("2.0.1", "2.0.2"),
        ("1.2.3.9", "1.2.3.10"),
        ("abc", "1.1"),
        ("", "1.1"),
        (None, "1.1"),
    ],
)
def test_next_version(version, expected):
    assert next_version(version) == expected


@pytest.mark.parametrize("version", ["1.0", "1.9", "1", "2.0.1", "1.2.3.9"])
def test_next_version_is_always_higher_and_well_formed(version):
    proposed = next_version(version)
    assert VERSION_PATTERN.match(proposed)
    assert version_key(proposed) > version_key(version)


@pytest.mark.parametrize("version", ["1", "1.2", "2.0.1", "1.2.3.4", "10.20"])
def test_version_pattern_accepts(version):
    assert VERSION_PATTERN.match(version)


@pytest.mark.parametrize("version", ["", "abc", "1..2", "1.", ".1", "1.2.3.4.5", "1.2\n", " 1", "1.a"])
def test_version_pattern_refuses(version):
    assert not VERSION_PATTERN.match(version)
