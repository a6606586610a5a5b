from methods.models import MethodPage


def test_demo_content_is_loaded(db):
    assert MethodPage.objects.live().count() >= 20
