"""The shortcuts that spare a fiche its `reverse()` calls, translations and character walks give
exactly what Django and Wagtail would."""

from datetime import UTC, datetime

from django.db.models import Model
from django.template import defaultfilters, engines
from django.test import RequestFactory
from django.urls import reverse

from wagtail.models import Page

import pytest

from commons.models import Association, Question
from commons.rendering import jinja2 as commons_jinja2
from commons.speed.reversing import served_page_path, slug_url
from commons.speed.storage import StaticFilesStorage
from methods.models import MethodPage
from territories.models import TerritoryPage
from tests.factories import MethodPageFactory


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


# --- URLs --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_page_urls_are_wagtails_own(method_index):
    unicode_slug = MethodPageFactory(parent=method_index, title="Café", slug="café-citoyen")
    pages = [page.specific for page in Page.objects.filter(depth__gt=1)]
    assert unicode_slug in pages and len(pages) > 20
    for page in pages:
        assert page.get_url_parts() == Page.get_url_parts(page), page.url_path
        assert page.url == Page.get_url(page)
    assert unicode_slug.url == "/methodes/caf%C3%A9-citoyen/"


@pytest.mark.usefixtures("with_shortcuts")
def test_served_page_path_leaves_what_reverse_would_quote_to_reverse():
    path = "methodes/forum-ouvert/"
    assert served_page_path(path) == reverse("wagtail_serve", args=[path])
    assert served_page_path("") == "/"
    assert served_page_path("methodes/café/") is None
    assert served_page_path("a b/") is None


@pytest.mark.django_db
def test_question_and_association_urls_are_reversed_once():
    question, association = Question.objects.first(), Association.objects.first()
    assert question.get_absolute_url() == reverse("question_detail", args=[question.slug])
    assert association.get_absolute_url() == reverse("association_detail", args=[association.slug])
    assert slug_url("question_detail", "autre") == "/questions/autre/"


# --- Choice labels -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", [MethodPage, TerritoryPage])
def test_choice_labels_are_djangos(model):
    fields = [field for field in model._meta.concrete_fields if field.choices]
    assert fields
    for page in model.objects.all()[:10]:
        for field in fields:
            assert page._get_FIELD_display(field) == Model._get_FIELD_display(page, field)
    page = model.objects.first()
    page.license = "inconnue"  # a value outside the choices shows as it is, as with Django
    assert page.get_license_display() == "inconnue"


# --- Jinja2 filters and globals ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "court", "é" * 140, "é" * 141, "mot " * 60, "e\u0301" * 150, "cafe\u0301 " * 40, "a" * 139 + "😀"],
)
@pytest.mark.parametrize("length", [0, 1, 10, 140])
def test_truncatechars_is_djangos(text, length):
    assert commons_jinja2.truncatechars(text, length) == defaultfilters.truncatechars(text, length)


def test_dates_are_shown_in_the_site_time_zone_and_in_french(settings):
    settings.TIME_ZONE = "Europe/Paris"
    moment = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)
    assert render('{{ moment|date("j F Y à H:i") }}', moment=moment) == "3 décembre 2026 à 00:30"


def test_output_is_escaped_as_django_escapes_it():
    html = render("{{ text }} {{ safe|safe }}", text='l\'<élu> & "co"', safe="<b>ok</b>")
    assert html == "l&#x27;&lt;élu&gt; &amp; &quot;co&quot; <b>ok</b>"
    assert render("[{{ missing }}{{ missing.attribute }}]") == "[]"


@pytest.mark.parametrize(
    ("query", "changes", "expected"),
    [
        ("", {"page": 2}, "?page=2"),
        ("q=a+b&page=3", {"page": None}, "?q=a+b"),
        ("tri=titre", {"tri": "recent", "page": None}, "?tri=recent"),
        ("", {"page": None}, ""),
    ],
)
def test_querystring_is_djangos_tag(query, changes, expected):
    request = RequestFactory().get(f"/methodes/?{query}")
    arguments = " ".join(f"{key}={value!r}".replace("'", '"') for key, value in changes.items())
    django_tag = engines["django"].from_string("{% querystring " + arguments + " %}")
    escaped = expected.replace("&", "&amp;")
    assert render("{{ querystring(**changes) }}", request=request, changes=changes) == escaped
    assert django_tag.render({}, request) == escaped


@pytest.mark.usefixtures("with_shortcuts")
def test_static_urls_are_worked_out_once(monkeypatch, tmp_path):
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    calls = []
    monkeypatch.setattr(
        "whitenoise.storage.CompressedManifestStaticFilesStorage.url",
        lambda self, name, force=False: calls.append(name) or f"/static/{name}.hash",
    )
    assert storage.url("css/site.css") == storage.url("css/site.css") == "/static/css/site.css.hash"
    assert storage.url("js/site.js") == "/static/js/site.js.hash"
    assert calls == ["css/site.css", "js/site.js"]
    storage.url("css/site.css", force=True)
    assert calls[-1] == "css/site.css"
