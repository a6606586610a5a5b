"""`load_commons --demo-users`: demo accounts for local trials, refused outside DEBUG."""

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client

from wagtail.models import Revision

import pytest

from commons.editing.roles import COMMITTEE
from commons.models import Association

pytestmark = pytest.mark.django_db

PARTNERS = ["solucracy", "react", "resiliere", "les-localos", "la-traverse"]
DEMO_USERNAMES = {f"{prefix}-{slug}" for slug in PARTNERS for prefix in ("editeur", "comite")}
EXISTING = "(compte existant, mot de passe inchangé)"


def run(**options) -> str:
    out = StringIO()
    call_command("load_commons", demo_users=True, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def account_lines(output: str) -> dict[str, str]:
    """{username: the rest of its line} for each demo account the command printed."""
    lines = {}
    for line in output.splitlines():
        match = re.match(r"\s+((?:editeur|comite)-[a-z-]+?)\s+(.*)$", line)
        if match and match.group(1) in DEMO_USERNAMES:
            lines[match.group(1)] = match.group(2)
    return lines


def printed_password(rest_of_line: str) -> str:
    """The last column of an account line: its password."""
    return rest_of_line.split()[-1]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    return settings


def test_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    users, revisions = get_user_model().objects.count(), Revision.objects.count()
    with pytest.raises(CommandError, match="DEBUG"):
        run()
    assert get_user_model().objects.count() == users
    assert not get_user_model().objects.filter(username__in=DEMO_USERNAMES).exists()
    assert Revision.objects.count() == revisions  # refused before loading anything


def test_without_the_option_no_account_is_created(debug):
    call_command("load_commons", stdout=StringIO())
    assert not get_user_model().objects.filter(username__in=DEMO_USERNAMES).exists()


def test_creates_an_editor_and_a_committee_member_per_association(debug):
    before = get_user_model().objects.count()
    run()
    assert get_user_model().objects.count() == before + 10
    users = {user.username: user for user in get_user_model().objects.filter(username__in=DEMO_USERNAMES)}
    assert set(users) == DEMO_USERNAMES
    committee = Group.objects.get(name=COMMITTEE)
    for slug in PARTNERS:
        editors = Association.objects.get(slug=slug).editors_group
        editor, reviewer = users[f"editeur-{slug}"], users[f"comite-{slug}"]
        assert set(editor.groups.all()) == {editors}
        assert set(reviewer.groups.all()) == {editors, committee}
    for user in users.values():
        assert user.is_active and not user.is_staff and not user.is_superuser
        assert user.email == f"{user.username}@example.org"
        assert user.has_usable_password()
        assert user.has_perm("wagtailadmin.access_admin")


def test_prints_each_password_once(debug):
    output = run()
    lines = account_lines(output)
    assert set(lines) == DEMO_USERNAMES
    passwords = [printed_password(rest) for rest in lines.values()]
    assert len(set(passwords)) == 10  # one per account, all different
    for password in passwords:
        assert len(password) >= 12
        assert output.count(password) == 1
    assert EXISTING not in output


def test_a_second_run_creates_nothing_and_prints_no_password(debug):
    first = run()
    passwords = [printed_password(rest) for rest in account_lines(first).values()]
    users = get_user_model().objects.count()
    hashes = dict(
        get_user_model().objects.filter(username__in=DEMO_USERNAMES).values_list("username", "password")
    )

    second = run()
    assert get_user_model().objects.count() == users
    assert (
        dict(get_user_model().objects.filter(username__in=DEMO_USERNAMES).values_list("username", "password"))
        == hashes
    )
    lines = account_lines(second)
    assert set(lines) == DEMO_USERNAMES
    assert all(rest.endswith(EXISTING) for rest in lines.values())
    assert not any(password in second for password in passwords)


def test_a_second_run_restores_missing_group_memberships(debug):
    run()
    reviewer = get_user_model().objects.get(username="comite-react")
    reviewer.groups.clear()
    run()
    assert set(reviewer.groups.values_list("name", flat=True)) == {"REACT — éditeurs", COMMITTEE}


def password_works(username: str, password: str) -> bool:
    # Not Client.login(): django-axes needs the request that a real login form sends.
    return get_user_model().objects.get(username=username).check_password(password)


def test_the_printed_password_logs_the_user_in(debug):
    lines = account_lines(run())
    password = printed_password(lines["comite-solucracy"])
    browser = Client()
    assert not password_works("comite-solucracy", "mauvais-mot-de-passe")
    response = browser.post("/admin/login/", {"username": "comite-solucracy", "password": password})
    assert response.status_code == 302 and response.url == "/admin/"
    reviewer = get_user_model().objects.get(username="comite-solucracy")
    assert browser.session["_auth_user_id"] == str(reviewer.pk)
    assert browser.get("/admin/").status_code == 200


def test_every_printed_password_is_the_right_one(debug):
    for username, rest in account_lines(run()).items():
        assert password_works(username, printed_password(rest)), username


def test_an_existing_account_keeps_its_password(debug, django_user_model):
    django_user_model.objects.create_user("editeur-react", "moi@example.org", "mon-mot-de-passe")
    lines = account_lines(run())
    assert lines["editeur-react"].endswith(EXISTING)
    assert password_works("editeur-react", "mon-mot-de-passe")
    assert django_user_model.objects.filter(username__in=DEMO_USERNAMES).count() == 10
