"""The self-assessment: reading answers, the score, the weakest criteria, the recommendations, the
radar, and the result page for every edge."""

from urllib.parse import urlencode

import pytest

from territories.assessment import (
    GridCriterion,
    grid,
    level_name,
    overall_level,
    parse_answers,
    recommend,
    weakest,
)
from territories.models import Criterion, TerritoryDiagnostic, TerritoryPage
from territories.radar import radar

pytestmark = pytest.mark.django_db


def criteria(count=3):
    return [GridCriterion(f"c{n}", f"Critère {n}", "?", ("0", "1", "2", "3"), ()) for n in range(count)]


def query(levels: dict, **extra) -> str:
    return urlencode({**levels, **extra})


def all_at(level: int) -> dict:
    return {criterion.slug: level for criterion in grid()}


# --- Plain unit tests ------------------------------------------------------------------------


def test_answers_are_read_from_a_query_string():
    answers = parse_answers(criteria(), "c0=0&c1=3&c2=2&population=1000-5000&utm=x")
    assert answers.is_valid and answers.levels == {"c0": 0, "c1": 3, "c2": 2}
    assert answers.population == "1000-5000"


@pytest.mark.parametrize(
    ("query_string", "faulty"),
    [
        ("c0=1&c1=2", {"c2"}),  # missing
        ("c0=1&c1=2&c2=", {"c2"}),  # empty
        ("c0=1&c0=2&c1=2&c2=2", {"c0"}),  # repeated
        ("c0=4&c1=-1&c2=x", {"c0", "c1", "c2"}),  # out of range, not a number
        ("c0=1.5&c1=2&c2=2", {"c0"}),
        ("c0=1&c1=2&c2=2&population=enorme", {"population"}),
    ],
)
def test_faulty_answers_are_errors_by_criterion(query_string, faulty):
    assert set(parse_answers(criteria(), query_string).errors) == faulty


def test_overall_level_and_its_name():
    assert overall_level(parse_answers(criteria(), "c0=0&c1=0&c2=0")) == 0.0
    assert overall_level(parse_answers(criteria(), "c0=3&c1=3&c2=2")) == 2.7
    assert [level_name(v) for v in (0, 0.4, 0.5, 1.6, 3)] == [
        "à amorcer",
        "à amorcer",
        "en émergence",
        "en structuration",
        "solide",
    ]


def test_the_weakest_three_ties_in_grid_order_and_none_at_the_top():
    grid_ = criteria(5)
    answers = parse_answers(grid_, "c0=2&c1=1&c2=1&c3=0&c4=3")
    assert [c.slug for c in weakest(grid_, answers)] == ["c3", "c1", "c2"]
    assert weakest(grid_, parse_answers(grid_, "c0=3&c1=3&c2=3&c3=3&c4=3")) == []
    assert [c.slug for c in weakest(grid_, parse_answers(grid_, "c0=3&c1=3&c2=2&c3=3&c4=3"))] == ["c2"]


def test_the_radar_puts_each_axis_clockwise_from_the_top():
    chart = radar(["a", "b", "c", "d"], [[3, 0, 3, 0]])
    assert [(a.x, a.y) for a in chart.axes] == [(180.0, 70.0), (290.0, 180.0), (180.0, 290.0), (70.0, 180.0)]
    assert chart.series == ["180.0,70.0 180.0,180.0 180.0,290.0 180.0,180.0"]
    assert len(chart.rings) == 3 and [a.anchor for a in chart.axes] == ["middle", "start", "middle", "end"]


# --- The demo grid and the recommendations ---------------------------------------------------


def test_the_demo_grid_has_eight_criteria_with_four_levels_and_methods():
    assert len(grid()) >= 8
    for criterion in grid():
        assert len(criterion.levels) == 4 and all(criterion.levels)
        assert criterion.methods, criterion.slug


def test_recommendations_prefer_methods_tried_in_territories_of_the_same_size():
    habitants = next(c for c in grid() if c.slug == "habitants")
    editors_order = [m.title for m in habitants.methods]
    small = recommend(habitants, "moins-de-1000")
    assert small[0].similar and "Lunas (Hérault), 672\u00a0hab." in small[0].tried_in
    unknown = recommend(habitants, "")
    assert [r.method.title for r in unknown] == editors_order[: len(unknown)]


def test_a_draft_criterion_or_a_draft_method_is_not_in_the_grid():
    criterion = Criterion.objects.get(slug="culture")
    criterion.name = "Nom en brouillon"
    criterion.save_revision()  # not published
    assert all(c.name != "Nom en brouillon" for c in grid())
    method = criterion.method_links.first().method
    method.unpublish()
    assert method.pk not in [m.pk for c in grid() for m in c.methods]


# --- The pages ---------------------------------------------------------------------------------


def test_the_form_has_one_fieldset_and_legend_per_criterion_with_radio_buttons(client):
    html = client.get("/autodiagnostic/").content.decode()
    assert html.count("<fieldset") == len(grid()) and html.count("<legend>") == len(grid())
    assert html.count('type="radio"') == 4 * len(grid())
    assert 'action="/autodiagnostic/resultat/"' in html and 'method="get"' in html
    assert '<select name="population" id="population">' in html


@pytest.mark.parametrize("level", [0, 3])
def test_the_result_for_all_at_one_level(client, level):
    response = client.get(f"/autodiagnostic/resultat/?{query(all_at(level))}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<strong>{level},0 sur 3</strong>" in html
    assert "<svg" in html and 'role="img"' in html and "<table" in html
    if level == 3:
        assert "Tous les critères sont au niveau le plus solide" in html
    else:
        assert html.count("<h3>") == 3 and "Pour progresser" in html


def test_a_result_recommends_methods_tried_in_similar_territories_and_says_why(client):
    levels = {**all_at(3), "habitants": 0, "vision": 1, "projets": 1}
    html = client.get(
        f"/autodiagnostic/resultat/?{query(levels, population='moins-de-1000')}"
    ).content.decode()
    assert "pour un territoire de moins de 1 000 habitants" in html
    assert "Implication des habitant·es (niveau 0)" in html
    assert "éprouvée à" in html and "Lunas (Hérault), 672\u00a0hab." in html


@pytest.mark.parametrize(
    "broken",
    [
        lambda levels: {k: v for k, v in levels.items() if k != "vision"},  # missing
        lambda levels: {**levels, "vision": 7},  # out of range
        lambda levels: {**levels, "vision": "trois"},
    ],
)
def test_faulty_answers_bring_the_form_back_with_the_errors(client, broken):
    response = client.get(f"/autodiagnostic/resultat/?{query(broken(all_at(2)))}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Le formulaire est incomplet" in html and 'href="#critere-vision"' in html
    assert 'value="2" required checked' in html  # the other answers are kept


def test_repeated_answers_and_extra_parameters(client):
    levels = all_at(1)
    repeated = query(levels) + "&culture=2"
    assert client.get(f"/autodiagnostic/resultat/?{repeated}").status_code == 400
    extra = query(levels, utm_source="lettre", inconnu="x")
    assert client.get(f"/autodiagnostic/resultat/?{extra}").status_code == 200


def test_modifying_answers_prefills_the_form(client):
    html = client.get(f"/autodiagnostic/?{query(all_at(2))}").content.decode()
    assert html.count("checked") == len(grid()) and "Le formulaire est incomplet" not in html


def test_a_territory_shows_its_diagnostics_over_time(client):
    lunas = TerritoryPage.objects.get(slug="lunas")
    html = client.get(lunas.url).content.decode()
    assert 'id="autodiagnostics"' in html and html.count('class="radar__series') == 2
    assert "1 mars 2023" in html and "1 mars 2024" in html


def test_a_recorded_diagnostic_is_checked_like_the_result_page():
    diagnostic = TerritoryDiagnostic(
        page=TerritoryPage.objects.get(slug="leaz"),
        date="2025-01-01",
        answers=f"https://x/autodiagnostic/resultat/?{query(all_at(2))}",
    )
    diagnostic.clean()
    assert diagnostic.answers == query(all_at(2))
    diagnostic.answers = "connaissance=9"
    with pytest.raises(Exception, match="niveau"):
        diagnostic.clean()


def test_a_grid_change_is_seen_at_once(client):
    criterion = Criterion.objects.get(slug="culture")
    criterion.name = "Culture commune, renommée"
    criterion.save_revision().publish()
    assert "Culture commune, renommée" in client.get("/autodiagnostic/").content.decode()
