"""Demo accounts to try the cross-review locally: one editor and one committee member per partner."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from commons.editing.roles import COMMITTEE
from commons.models import Association


@dataclass
class DemoAccount:
    username: str
    role: str
    association: str
    password: str | None  # None when the account already existed (its password is left alone)


def create_demo_users() -> list[DemoAccount]:
    """Create the missing demo accounts; a new account's password is returned once, never stored."""
    committee = Group.objects.get(name=COMMITTEE)
    accounts = []
    for association in Association.objects.exclude(editors_group=None).select_related("editors_group"):
        accounts.append(demo_account(f"editeur-{association.slug}", "éditeur", association, []))
        accounts.append(
            demo_account(f"comite-{association.slug}", "comité éditorial", association, [committee])
        )
    return accounts


def demo_account(username: str, role: str, association: Association, extra_groups: list) -> DemoAccount:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    password = None
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username,
            f"{username}@example.org",
            password,
            first_name=role.capitalize(),
            last_name=association.name,
        )
    user.groups.add(association.editors_group, *extra_groups)
    return DemoAccount(username, role, association.name, password)
