"""Login throttling (django-axes), password rules, and no user enumeration at login or password reset."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

import pytest
from axes.models import AccessAttempt

from commons.security.login import client_address

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editrice", "editrice@example.org", PASSWORD)
    user.is_staff = True
    user.save()
    return user


def attempt(client, username, password, address="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def without_tokens(response) -> str:
    """The page without its CSRF tokens, which are masked afresh at each rendering."""
    return re.sub(r'(CSRF_TOKEN": "|csrfmiddlewaretoken" value=")[^"]+', r"\1", response.content.decode())


def login_error(response) -> list[str]:
    return list(response.context["form"].non_field_errors())


def test_unknown_user_and_wrong_password_get_the_same_answer(client, editor, django_user_model):
    inactive = django_user_model.objects.create_user("ancienne", "ancienne@example.org", PASSWORD)
    inactive.is_active = False
    inactive.save()
    unknown = attempt(client, "personne", "nimportequoi")
    wrong = attempt(client, "editrice", "nimportequoi")
    disabled = attempt(client, "ancienne", PASSWORD)  # even with the right password
    assert unknown.status_code == wrong.status_code == disabled.status_code == 200
    assert login_error(unknown) == login_error(wrong) == login_error(disabled)
    assert login_error(unknown) and "mot de passe" in login_error(unknown)[0]


def test_the_right_password_logs_in(client, editor):
    response = attempt(client, "editrice", PASSWORD)
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()  # a success leaves nothing recorded


def test_five_failures_lock_the_login_out_with_a_french_page(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "editrice", "mauvais").status_code == 200
    locked = attempt(client, "editrice", "mauvais")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Connexion suspendue" in html and "15 minutes" in html and '<html lang="fr">' in html
    # Locked out: even the right password is refused, and nothing says whether it was right.
    assert attempt(client, "editrice", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lock_out_concerns_one_username_from_one_address(client, editor, django_user_model):
    django_user_model.objects.create_user("autre", "autre@example.org", PASSWORD, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "editrice", "mauvais")
    assert attempt(client, "editrice", PASSWORD).status_code == 429
    assert attempt(client, "autre", PASSWORD).status_code == 302  # another account, same address
    client.logout()
    assert attempt(client, "editrice", PASSWORD, address="198.51.100.7").status_code == 302  # elsewhere


def test_unknown_usernames_are_locked_out_like_real_ones(client, editor):
    """Otherwise the lock-out itself would tell which accounts exist."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        last = attempt(client, "personne", "mauvais")
    assert last.status_code == 429


def test_the_lock_out_ends_after_the_cool_off(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "editrice", "mauvais")
    assert attempt(client, "editrice", PASSWORD).status_code == 429
    past = settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    for record in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=record.pk).update(attempt_time=record.attempt_time - past)
    assert attempt(client, "editrice", PASSWORD).status_code == 302


def test_the_client_address_behind_trusted_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "127.0.0.1"  # X-Forwarded-For ignored without a proxy
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.5"  # the entry nginx added, not the forged one
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_address(request) == "127.0.0.1"  # fewer entries than proxies: not trusted


def test_password_reset_says_the_same_for_known_and_unknown_addresses(client, editor):
    known = client.post("/admin/password_reset/", {"email": "editrice@example.org"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["editrice@example.org"]
    unknown = client.post("/admin/password_reset/", {"email": "personne@example.org"})
    assert len(mail.outbox) == 1  # nothing sent, and nothing said
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    done_known, done_unknown = (without_tokens(client.get(r["Location"])) for r in (known, unknown))
    assert done_known == done_unknown and "mot de passe" in done_known


@pytest.mark.parametrize(
    "password",
    ["court", "motdepasse", "123456789012345", "000000000000", "editrice2026!"],
)
def test_weak_passwords_are_refused_in_french(editor, password):
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        validate_password(password, user=editor)
    assert any(
        word in message for message in refused.value.messages for word in ("trop", "entièrement", "ressemble")
    )


def test_a_long_passphrase_is_accepted(editor):
    validate_password("les communes rurales tissent la transition", user=editor)
