"""Case studies: method uses with who and when, projects, the actions board, lessons, provenance."""

from django.utils.html import escape

import pytest

from commons.exchange import read_commons
from commons.models import Association
from methods.models import MethodPage, ToolPage
from territories.board import actions_board
from territories.models import ActionStatus, MethodUse, TerritoryAction, TerritoryPage, TerritoryProject
from tests.conftest import publish
from tests.unit.test_loader import commons_dir, edit_fiche, load_expecting_error  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_the_demo_territories_carry_uses_projects_actions_and_lessons():
    for territory in TerritoryPage.objects.live():
        assert territory.method_uses.exists(), territory.slug
        assert territory.actions.exists(), territory.slug
        assert territory.lessons and "<" in territory.lessons_html, territory.slug
        assert all(use.association_id for use in territory.method_uses.all()), territory.slug
    mellois = TerritoryPage.objects.get(slug="mellois-en-poitou")
    assert mellois.projects.filter(title__icontains="Sèvre Niortaise", status="en_cours").exists()
    ferney = TerritoryPage.objects.get(slug="ferney-voltaire-pdlv")
    assert "cinq soirées" in ferney.method_uses.get(method__slug="atelier-de-solutions").would_do_differently


def test_provenance_says_who_ran_the_method_and_when():
    use = MethodUse(association=Association.objects.get(slug="solucracy"), period="2022")
    assert use.provenance == "Solucracy, 2022"
    assert MethodUse(period="2022").provenance == "2022"
    assert MethodUse().provenance == ""


def test_the_board_sorts_actions_into_three_columns_in_order():
    actions = [
        TerritoryAction(title="a", status=ActionStatus.DONE),
        TerritoryAction(title="b", status=ActionStatus.TODO),
        TerritoryAction(title="c", status=ActionStatus.DONE),
        TerritoryAction(title="d", status="inconnu"),  # a value the choices no longer have: "à faire"
    ]
    columns = actions_board(actions)
    assert [column.label for column in columns] == ["À faire", "En cours", "Fait"]
    assert [[a.title for a in column.actions] for column in columns] == [["b", "d"], [], ["a", "c"]]
    assert [column.count for column in columns] == [2, 0, 2]


def test_the_territory_page_shows_uses_projects_board_and_lessons(client):
    ferney = TerritoryPage.objects.get(slug="ferney-voltaire-pdlv")
    html = client.get(ferney.url).content.decode()
    assert "Méthodes mises en œuvre" in html
    assert "(Solucracy, 2022)" in html
    assert "Ce que nous ferions autrement" in html
    assert "Projets nés de la démarche" in html and "Second passage du porte-à-porte" in html
    assert 'href="/methodes/porte-a-porte-appreciatif/"' in html
    assert 'id="suivi-des-actions"' in html
    done = ferney.actions.filter(status=ActionStatus.DONE).count()
    assert f'Fait <span class="board__count">{done}</span>' in html
    assert 'id="enseignements"' in html and "instance existante" in html


def test_a_project_links_its_fiche_only_while_it_is_public(client):
    territory = TerritoryPage.objects.get(slug="leaz")
    method = MethodPage.objects.get(slug="porte-a-porte-appreciatif")
    territory.projects = [TerritoryProject(title="Projet lié", status="realise", fiche=method)]
    publish(territory)
    assert f'<a href="{method.url}">Projet lié</a>' in client.get(territory.url).content.decode()
    method.unpublish()
    html = client.get(territory.url).content.decode()
    assert "Projet lié" in html and f'<a href="{method.url}">Projet lié</a>' not in html


def test_empty_case_study_sections_say_so(client):
    territory = TerritoryPage.objects.get(slug="jazeneuil")
    territory.projects = []
    territory.actions = []
    publish(territory)
    html = client.get(territory.url).content.decode()
    assert "Aucun projet n'est encore décrit pour ce territoire." in html
    assert "Aucune action n'est encore suivie ici." in html


def test_draft_actions_and_projects_stay_private(client):
    territory = TerritoryPage.objects.get(slug="lunas")
    territory.actions = [
        *territory.actions.all(),
        TerritoryAction(title="Action en brouillon", status="a_faire"),
    ]
    territory.projects = [TerritoryProject(title="Projet en brouillon")]
    territory.save_revision()  # a draft: not published
    html = client.get(territory.url).content.decode()
    assert "Action en brouillon" not in html and "Projet en brouillon" not in html


def test_method_and_tool_pages_say_where_they_were_tried(client):
    html = client.get(MethodPage.objects.get(slug="porte-a-porte-appreciatif").url).content.decode()
    assert "Éprouvée à" in html
    leaz = TerritoryPage.objects.get(slug="leaz")
    assert f'<a href="{leaz.url}">{escape(leaz.title)}</a> (Solucracy, 2018)' in html
    tool = ToolPage.objects.get(slug="questionnaire-porte-a-porte")
    assert tool.methods.filter(slug="porte-a-porte-appreciatif").exists()
    assert "Éprouvé à" in client.get(tool.url).content.decode()


def test_a_draft_territory_is_no_provenance(client):
    leaz = TerritoryPage.objects.get(slug="leaz")
    leaz.unpublish()
    html = client.get(MethodPage.objects.get(slug="porte-a-porte-appreciatif").url).content.decode()
    assert escape(leaz.title) not in html.split("Éprouvée à", 1)[-1].split("</p>", 1)[0]


def test_the_exchange_format_carries_every_new_field(commons_dir):  # noqa: F811
    bundle = read_commons(commons_dir)
    leaz = next(f for f in bundle.fiches["territories"] if f.slug == "leaz")
    assert leaz.meta["methods_used"][0]["association"] == "solucracy"
    assert leaz.meta["projects"] and leaz.meta["actions"] and leaz.meta["lessons"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"actions": [{"title": "x", "status": "peut-etre"}]}, "actions[1].status"),
        ({"actions": [{"status": "fait"}]}, "actions[1].title"),
        ({"actions": [{"title": "x", "date": "demain"}]}, "actions[1].date"),
        ({"actions": ["pas un objet"]}, "actions[1]"),
        ({"projects": [{"title": "x", "fiche": "methods/nexiste-pas"}]}, "projects[1].fiche"),
        ({"projects": [{"title": "x", "status": "fini"}]}, "projects[1].status"),
        (
            {"methods_used": [{"method": "forum-ouvert", "association": "inconnue"}]},
            "methods_used[1].association",
        ),
    ],
)
def test_a_malformed_case_study_is_refused_with_its_place(commons_dir, changes, message):  # noqa: F811
    edit_fiche(commons_dir / "territories" / "leaz.md", **changes)
    _error, err = load_expecting_error(commons_dir)
    assert message in err


def test_the_migration_credits_existing_uses_to_the_sole_accompanying_association():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("territories.migrations.0003_case_studies")
    leaz = TerritoryPage.objects.get(slug="leaz")  # accompanied by Solucracy alone
    MethodUse.objects.filter(page=leaz).update(association=None)
    mellois = TerritoryPage.objects.get(slug="mellois-en-poitou")
    through = TerritoryPage.accompanying_associations.through  # two partners, in the database
    through.objects.create(territorypage=mellois, association=Association.objects.get(slug="react"))
    MethodUse.objects.filter(page=mellois).update(association=None)
    migration.credit_the_accompanying_association(apps, None)
    credited = MethodUse.objects.filter(page=leaz).values_list("association__slug", flat=True)
    assert set(credited) == {"solucracy"}
    assert set(MethodUse.objects.filter(page=mellois).values_list("association", flat=True)) == {None}


def test_diagnostic_answers_must_name_criteria_by_text(commons_dir):  # noqa: F811
    edit_fiche(
        commons_dir / "territories" / "leaz.md", diagnostics=[{"date": "2024-01-01", "answers": {1: 2}}]
    )
    _error, err = load_expecting_error(commons_dir)
    assert "diagnostics[1].date" in err and "diagnostics[1].answers" in err
