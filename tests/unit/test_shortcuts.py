"""The fence around the speed layer: each shortcut can fall back, and the pages are the same."""

import pytest

from commons.speed.shortcuts import SHORTCUTS, enabled, fallbacks_from

PAGES = [
    "/",
    "/methodes/",
    "/methodes/?question=par-ou-commencer&phase=comprendre-le-territoire&theme=vulnerabilites",
    "/methodes/forum-ouvert/",
    "/methodes/forum-ouvert/historique/",
    "/outils/",
    "/territoires/",
    "/territoires/leaz/",
    "/questions/",
    "/questions/par-ou-commencer/",
    "/associations/",
    "/associations/solucracy/",
    "/recherche/?q=atelier",
    "/sitemap.xml",
]


def test_fallbacks_are_read_from_the_environment_value():
    assert fallbacks_from("") == frozenset()
    assert fallbacks_from("all") == frozenset(SHORTCUTS)
    assert fallbacks_from(" routing, memo ") == {"routing", "memo"}
    with pytest.raises(ValueError, match="unknown shortcut"):
        fallbacks_from("routing,turbo")


def test_a_fallback_turns_one_shortcut_off(settings):
    settings.COMMONS_FALLBACKS = frozenset({"routing"})
    assert not enabled("routing") and enabled("memo")


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_the_same_with_the_frameworks_own_path(client, settings, url):
    settings.COMMONS_FALLBACKS = frozenset()
    fast = client.get(url)
    settings.COMMONS_FALLBACKS = frozenset(SHORTCUTS)
    framework = client.get(url)
    assert fast.status_code == framework.status_code == 200
    assert fast.content.decode() == framework.content.decode()
