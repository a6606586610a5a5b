"""The 500s the hostile-input hunt found, each kept as a plain test: a clear 400 instead."""

import json

import pytest

pytestmark = pytest.mark.django_db


def message(response) -> str:
    assert response.status_code == 400, response.status_code
    return json.loads(response.content)["message"]


@pytest.mark.parametrize("endpoint", ["pages", "documents", "images"])
@pytest.mark.parametrize("offset", ["9223372036854775808", "9" * 25, "1_000_000_000_000"])
def test_an_offset_past_what_the_database_counts_is_a_400(client, endpoint, offset):
    """SQLite raised "datatype mismatch" past 2**63 (PostgreSQL: bigint out of range)."""
    assert "offset" in message(client.get(f"/api/v2/{endpoint}/?offset={offset}"))


def test_a_large_but_countable_offset_is_an_empty_page(client):
    response = client.get("/api/v2/pages/?offset=1000000000")
    assert response.status_code == 200 and json.loads(response.content)["items"] == []


@pytest.mark.parametrize("endpoint", ["pages", "documents", "images"])
def test_an_unknown_search_operator_is_a_400(client, endpoint):
    """The search backend raised ValueError ("`operator` must be either 'or' or 'and'")."""
    text = message(client.get(f"/api/v2/{endpoint}/?search=atelier&search_operator=xor"))
    assert "« and » ou « or »" in text and "« xor »" in text


@pytest.mark.parametrize("operator", ["and", "or", ""])
def test_the_search_operators_still_work(client, operator):
    assert client.get(f"/api/v2/pages/?search=atelier&search_operator={operator}").status_code == 200


@pytest.mark.parametrize("value", ["%C2%B2", "%E2%91%A0", "%F0%9D%9F%9B"])
def test_a_unicode_digit_that_is_no_number_is_an_unknown_defi(client, value):
    """ "²".isdigit() is true but int("²") raises: the défi number is read from ASCII digits only."""
    assert "défi inconnu" in message(client.get(f"/api/v2/pages/?defi={value}"))


def test_a_defi_by_number_still_works(client):
    assert client.get("/api/v2/pages/?defi=3").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/pages/?search=a%00b",
        "/api/v2/pages/?locale=a%00b",
        "/api/v2/pages/?title=a%00b",
        "/api/v2/pages/?a%00b=1",
        "/api/v2/documents/?search=a%00b",
        "/api/v2/images/?search=a%00b",
        "/api/v2/pages/1/?fields=a%00b",
    ],
)
def test_a_nul_character_in_an_api_parameter_is_a_400(client, url):
    """PostgreSQL raised DataError ("text fields cannot contain NUL") for `?search=` and `?locale=`."""
    assert "NUL" in message(client.get(url))
