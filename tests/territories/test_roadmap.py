"""`/feuille-de-route/`: the commons' roadmap, published actions only, edited by the committee."""

from django.contrib.auth.models import Group

import pytest
import yaml

from commons.editing.roles import COMMITTEE
from commons.models import Association
from methods.models import MethodPage
from territories.models import RoadmapAction, RoadmapFicheLink
from tests.unit.test_loader import commons_dir, load_expecting_error  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_the_demo_roadmap_follows_the_three_phases_of_the_calendar():
    actions = RoadmapAction.objects.filter(live=True)
    assert actions.count() >= 9
    assert set(actions.values_list("phase", flat=True)) == {"capitalisation", "construction", "diffusion"}
    assert set(actions.values_list("status", flat=True)) == {"a_faire", "en_cours", "fait"}


def test_the_board_shows_three_columns_with_counts_and_linked_fiches(client):
    response = client.get("/feuille-de-route/")
    assert response.status_code == 200
    html = response.content.decode()
    for status, label in (("a_faire", "À faire"), ("en_cours", "En cours"), ("fait", "Fait")):
        count = RoadmapAction.objects.filter(live=True, status=status).count()
        assert f'{label} <span class="board__count">{count}</span>' in html
    assert "Grille d’auto-évaluation commune aux cinq structures" in html
    assert 'href="/methodes/grille-autodiagnostic/"' in html
    assert "Phase 1 — Capitalisation" in html


def test_drafts_and_unpublished_edits_stay_private(client):
    RoadmapAction(title="Action en brouillon", live=False).save()
    action = RoadmapAction.objects.get(title__startswith="Podcast")
    action.title = "Titre modifié non publié"
    action.save_revision()
    html = client.get("/feuille-de-route/").content.decode()
    assert "Action en brouillon" not in html and "Titre modifié non publié" not in html
    assert "Podcast sur les projets et les méthodes" in html


def test_a_published_edit_shows_at_once_and_a_private_fiche_is_not_linked(client):
    client.get("/feuille-de-route/")  # cached for this generation
    action = RoadmapAction.objects.get(title__startswith="Podcast")
    method = MethodPage.objects.get(slug="forum-ouvert")
    action.association = Association.objects.get(slug="solucracy")
    action.fiche_links = [RoadmapFicheLink(fiche=method)]
    action.save_revision().publish()
    html = client.get("/feuille-de-route/").content.decode()
    assert f'href="{method.url}"' in html
    method.unpublish()
    assert f'href="{method.url}"' not in client.get("/feuille-de-route/").content.decode()


def test_an_empty_roadmap_says_so(client):
    RoadmapAction.objects.all().delete()
    assert "Aucune action n'est encore suivie ici." in client.get("/feuille-de-route/").content.decode()


@pytest.mark.parametrize("model", ["roadmapaction", "criterion"])
def test_the_committee_keeps_the_roadmap_and_the_grid(django_user_model, model):
    committee = django_user_model.objects.create_user("comite", password="pw")
    committee.groups.add(Group.objects.get(name=COMMITTEE))
    for action in ("add", "change", "delete", "publish"):
        assert committee.has_perm(f"territories.{action}_{model}")
    editor = django_user_model.objects.create_user("editeur", password="pw")
    editor.groups.add(Association.objects.get(slug="solucracy").editors_group)
    assert not editor.has_perm(f"territories.publish_{model}")
    assert not editor.has_perm(f"territories.change_{model}")


def test_the_committee_edits_an_action_in_the_admin(client, django_user_model):
    member = django_user_model.objects.create_user("membre", password="pw")
    member.groups.add(Group.objects.get(name=COMMITTEE))
    client.force_login(member)
    assert client.get("/admin/snippets/territories/roadmapaction/").status_code == 200
    action = RoadmapAction.objects.first()
    assert client.get(f"/admin/snippets/territories/roadmapaction/edit/{action.pk}/").status_code == 200
    editor = django_user_model.objects.create_user("editeur2", password="pw")
    editor.groups.add(Association.objects.get(slug="solucracy").editors_group)
    client.force_login(editor)
    assert client.get(f"/admin/snippets/territories/roadmapaction/edit/{action.pk}/").status_code in (
        302,
        403,
    )


@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        ("roadmap.yaml", [{"title": ["pas", "un", "texte"], "status": "fait"}], "[1].title"),
        ("roadmap.yaml", [{"title": "x", "status": "fini"}], "[1].status"),
        ("roadmap.yaml", [{"title": "x", "fiches": "methods/forum-ouvert"}], "[1].fiches"),
        ("roadmap.yaml", [{"title": "x", "association": {"a": 1}}], "[1].association"),
        ("roadmap.yaml", [{"title": "x"}, {"title": "x"}], "action en double"),
        ("criteria.yaml", [{"slug": "a", "name": "A", "question": "?", "levels": ["0", "1", "2", "3"],
                            "methods": [{"slug": "forum-ouvert"}]}], "[1].methods"),
        ("criteria.yaml", [{"slug": "a", "name": "A", "question": "?", "levels": ["0", "1"]}], "[1].levels"),
        ("criteria.yaml", "pas une liste", "criteria.yaml"),
    ],
)  # fmt: skip
def test_a_malformed_roadmap_or_grid_is_refused_with_its_place(commons_dir, file, content, message):  # noqa: F811
    (commons_dir / file).write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    before = RoadmapAction.objects.count()
    _error, err = load_expecting_error(commons_dir)
    assert message in err
    assert RoadmapAction.objects.count() == before
