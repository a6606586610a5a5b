"""Hostile input: any string in every public query parameter and path segment, never a 500.

Hypothesis draws the strings: any Unicode (NUL and control characters included), raw bytes that are
not UTF-8, broken percent-escapes, 1,000 and 10,000 characters, numbers past 64 bits, and repeated
parameters, mixed with real values so that the deeper code paths run too. Each test function gets
one database (the demo commons) for all its examples: they only read. The test client re-raises a
view's exception, so a 500 fails with its traceback; a failing example found here gets a plain
regression test in `test_hostile_regressions.py`.
"""

import os
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commons import fiche_types
from territories.filters import FILTERS

pytestmark = pytest.mark.django_db

HOSTILE = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "40")),  # more for a deeper hunt
    deadline=None,
    database=None,  # nothing written in the working tree; a failure prints its example
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANSWERS = {200, 301, 302, 304, 400, 404}


def encoded(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


BROKEN_ESCAPES = st.sampled_from(
    ["%", "%%", "%G1", "%zz", "%FF", "%C3%28", "%ED%A0%80", "%00", "%E2%82", "%F0%9F%98", "%C0%AF", "+",
     "%2B", "%26%3D", "%0A", "%0D%0A", "%7F", "%u0041", "..%2F..%2F", "%2E%2E"]
)  # fmt: skip
NUMBERS = st.sampled_from(
    ["0", "-1", "1e9", "9" * 25, "18446744073709551616", "-9223372036854775809", "NaN", "inf", "1.5", " 2",
     "0x10", "٣", "²"]
)  # fmt: skip
LONG = st.builds(lambda char, size: encoded(char * size), st.characters(), st.sampled_from([1000, 10_000]))


def values(*real: str):
    """A query value or path segment, already percent-encoded as it would reach the server."""
    hostile = st.one_of(
        st.text(max_size=30).map(encoded),
        st.binary(max_size=30).map(lambda raw: quote(raw, safe="")),
        BROKEN_ESCAPES,
        st.lists(BROKEN_ESCAPES | st.text(max_size=4).map(encoded), min_size=2, max_size=6).map("".join),
        NUMBERS,
        LONG,
    )
    return st.one_of(st.sampled_from(real), hostile) if real else hostile


def query(params: dict[str, list[str]]):
    """A query string: known and odd parameter names, each possibly repeated."""
    names = st.one_of(st.sampled_from(sorted(params)), st.sampled_from(["", "x", "page[]"]), values())
    pair = names.flatmap(lambda name: st.tuples(st.just(name), values(*params.get(name, []))))
    return st.lists(pair, max_size=8).map(lambda pairs: "&".join(f"{name}={value}" for name, value in pairs))


def get(client, url: str):
    response = client.get(url)
    assert response.status_code in ANSWERS, (url[:300], response.status_code)
    return response


FACETS = {
    facet.param: ["par-ou-commencer", "comprendre-le-territoire", "outil", "1"]
    for facet in fiche_types.facets()
}
METHODS = {**FACETS, "q": ["atelier", "forum"], "page": ["1", "2"], "tri": ["titre", "recent", "pertinence"]}
TERRITORIES = {each.name: ["1000-5000", "commune", "Nièvre", "la-traverse"] for each in FILTERS}
TERRITORIES["page"] = ["1", "2"]
SEARCH = {"q": ["atelier", "forum ouvert", "é"], "page": ["1", "2", "3"], "type": ["methode"]}
ASSESSMENT = {
    slug: ["0", "1", "2", "3"]
    for slug in (
        "connaissance",
        "habitants",
        "diversite",
        "portage",
        "vision",
        "gouvernance",
        "projets",
        "culture",
    )
}
ASSESSMENT["population"] = ["moins-de-1000", "1000-5000", ""]
API = {
    name: ["methods.MethodPage", "*", "title", "10", "par-ou-commencer", "-title", "atelier", "3"]
    for name in (
        "type", "fields", "limit", "offset", "order", "search", "search_operator", "child_of",
        "descendant_of",
        "ancestor_of", "translation_of", "locale", "slug", "title", "id", "question", "theme", "defi",
        "association", "show_in_menus",
    )
}  # fmt: skip


@HOSTILE
@given(qs=query(METHODS))
def test_methods_listing(client, qs):
    get(client, f"/methodes/?{qs}")


@HOSTILE
@given(qs=query({"page": ["1", "2"]}))
def test_tools_listing(client, qs):
    get(client, f"/outils/?{qs}")


@HOSTILE
@given(qs=query(TERRITORIES))
def test_territories_listing(client, qs):
    get(client, f"/territoires/?{qs}")


@HOSTILE
@given(qs=query(TERRITORIES))
def test_territories_geojson(client, qs):
    get(client, f"/territoires.geojson?{qs}")


@HOSTILE
@given(qs=query(SEARCH))
def test_search(client, qs):
    get(client, f"/recherche/?{qs}")


@HOSTILE
@given(qs=query({"q": ["ate", "forum", "é"]}))
def test_search_suggestions(client, qs):
    get(client, f"/recherche/suggestions/?{qs}")


@HOSTILE
@given(qs=query(ASSESSMENT))
def test_assessment_result(client, qs):
    get(client, f"/autodiagnostic/resultat/?{qs}")


@HOSTILE
@given(segment=values("par-ou-commencer", "qui-inclure"), qs=query({"page": ["1", "2"]}))
def test_question_pages(client, segment, qs):
    get(client, f"/questions/{segment}/?{qs}")
    get(client, f"/questions/{segment}/flux.xml")


@HOSTILE
@given(
    segment=values("forum-ouvert", "arpentage", "leaz"),
    section=st.sampled_from(["methodes", "outils", "territoires"]),
)
def test_fiche_paths(client, segment, section):
    for suffix in ("", "historique/", "fiche.md", "pdf/x/", "historique/1/x/"):
        url = f"/{section}/{segment}/{suffix}"
        get(client, url)


@HOSTILE
@given(first=values("1", "2"), second=values("1", "2"), qs=query({"page": ["1"], "champ": ["body"]}))
def test_history_versions_and_diffs(client, first, second, qs):
    for fiche in ("/methodes/forum-ouvert/", "/territoires/leaz/"):
        get(client, f"{fiche}historique/{first}/?{qs}")
        get(client, f"{fiche}historique/{first}/{second}/?{qs}")


@HOSTILE
@given(qs=query(API))
def test_api_pages(client, qs):
    get(client, f"/api/v2/pages/?{qs}")


@HOSTILE
@given(segment=values("1", "3", "42"), qs=query({"fields": ["*", "title"]}))
def test_api_page_detail_and_other_endpoints(client, segment, qs):
    get(client, f"/api/v2/pages/{segment}/?{qs}")
    get(client, f"/api/v2/documents/?{qs}")
    get(client, f"/api/v2/images/?{qs}")


@HOSTILE
@given(name=values("methodes", "outils", "territoires", "commons"))
def test_export_names(client, name):
    get(client, f"/export/{name}.csv")
    get(client, f"/export/{name}.json")


@HOSTILE
@given(segment=values("solucracy", "la-traverse"), qs=query({"page": ["1", "2"]}))
def test_association_pages(client, segment, qs):
    get(client, f"/associations/{segment}/?{qs}")


@HOSTILE
@given(path=st.lists(values("methodes", "forum-ouvert", "historique"), min_size=1, max_size=4))
def test_any_path(client, path):
    get(client, "/" + "/".join(path) + "/")
    get(client, "/" + "/".join(path))


LISTINGS = {
    "/methodes/": METHODS,
    "/outils/": {"page": ["1", "2"]},
    "/territoires/": TERRITORIES,
    "/territoires.geojson": TERRITORIES,
    "/recherche/": SEARCH,
    "/recherche/suggestions/": {"q": ["ate", "forum"]},
    "/autodiagnostic/resultat/": ASSESSMENT,
    "/api/v2/pages/": API,
    "/api/v2/documents/": {
        name: API[name]
        for name in ("fields", "limit", "offset", "order", "search", "search_operator", "title", "id")
    },
    "/api/v2/images/": {
        name: API[name]
        for name in ("fields", "limit", "offset", "order", "search", "search_operator", "title", "id")
    },
}


def one_hostile_parameter():
    """One parameter given a hostile value, among real values of the others: the likeliest way in."""

    def around(url: str):
        params = LISTINGS[url]
        names = sorted(params)
        real = st.lists(
            st.sampled_from(names).flatmap(lambda n: st.tuples(st.just(n), st.sampled_from(params[n]))),
            max_size=4,
        )
        return st.tuples(st.just(url), st.sampled_from(names), values(), real)

    return st.sampled_from(sorted(LISTINGS)).flatmap(around)


@settings(HOSTILE, max_examples=HOSTILE.max_examples * 4)
@given(case=one_hostile_parameter())
def test_one_hostile_parameter_among_real_ones(client, case):
    url, name, value, real = case
    others = "".join(f"&{other}={quote(chosen)}" for other, chosen in real)
    get(client, f"{url}?{name}={value}{others}")


# The values that broke something once, or break code like it: every one in every parameter.
EDGE_VALUES = [
    "%00",
    "%FF",
    "%C3%28",
    "%",
    "9" * 25,
    "18446744073709551616",
    "%C2%B2",
    "-1",
    "xor",
    "x" * 10_000,
]


def test_every_edge_value_in_every_parameter(client):
    """Hypothesis samples; this grid is exhaustive for the values that broke something once."""
    for url, params in LISTINGS.items():
        for name in sorted(params):
            companions = {"search_operator": "&search=atelier", "search": "&search_operator=and"}
            for value in EDGE_VALUES:
                get(client, f"{url}?{name}={value}{companions.get(name, '')}")
                get(client, f"{url}?{name}={value}&{name}={value}")
