"""Who may do what: the whole permission policy of the commons as ONE matrix, roles × actions.

Every cell is exercised through the real admin views (the Django test client, logged in with
`force_login`) or the public site, and the outcome is read from the database — what was created,
saved, submitted, published or deleted — not from status codes alone: Wagtail's admin answers
"permission denied" with a redirect to /admin/, which looks like a success.
"""

import pytest

from commons.models import Association
from methods.models import MethodIndexPage, MethodPage
from tests.admin_forms import read_form
from tests.factories import MethodPageFactory
from tests.workflow_helpers import edit, in_review, member

pytestmark = pytest.mark.django_db

# --- The policy ------------------------------------------------------------------------------

ANONYMOUS = "visiteur-anonyme"
EDITOR = "editeur-la-traverse"
COMMITTEE_SAME = "comite-la-traverse"
COMMITTEE_OTHER = "comite-solucracy"
ADMINISTRATOR = "administrateur"
SUPERUSER = "superutilisateur"
ROLES = (ANONYMOUS, EDITOR, COMMITTEE_SAME, COMMITTEE_OTHER, ADMINISTRATOR, SUPERUSER)

CREATE = "creer-une-methode"
EDIT = "modifier-en-brouillon"
SUBMIT = "soumettre-a-relecture"
APPROVE_OWN = "approuver-sa-propre-soumission"
APPROVE_SAME = "approuver-un-editeur-de-son-association"
APPROVE_OTHER = "approuver-un-editeur-d-une-autre-association"
PUBLISH = "publier-directement"
DELETE = "supprimer-une-methode-publiee"
SEE_DRAFT = "voir-un-brouillon-sur-le-site"
DRAFT_HISTORY = "historique-d-une-revision-brouillon"
ACTIONS = (
    CREATE,
    EDIT,
    SUBMIT,
    APPROVE_OWN,
    APPROVE_SAME,
    APPROVE_OTHER,
    PUBLISH,
    DELETE,
    SEE_DRAFT,
    DRAFT_HISTORY,
)

YES = "permis"
NO = "refusé"
NOT_FOUND = "404"  # the public site answers "not found", whoever asks

# Columns:                 create edit  submit own  same  other publish delete draft      history
POLICY_TABLE = {
    ANONYMOUS:              (NO,  NO,   NO,    NO,  NO,   NO,   NO,     NO,    NOT_FOUND, NOT_FOUND),
    EDITOR:                 (YES, YES,  YES,   NO,  NO,   NO,   NO,     NO,    NOT_FOUND, NOT_FOUND),
    COMMITTEE_SAME:         (YES, YES,  YES,   NO,  NO,   YES,  NO,     NO,    NOT_FOUND, NOT_FOUND),
    COMMITTEE_OTHER:        (YES, YES,  YES,   NO,  NO,   YES,  NO,     NO,    NOT_FOUND, NOT_FOUND),
    # Not on the Comité éditorial: publishes directly, but does not take part in cross-review.
    ADMINISTRATOR:          (YES, YES,  YES,   NO,  NO,   NO,   YES,    YES,   NOT_FOUND, NOT_FOUND),
    # Belongs to no association: every submission but their own is "another association's".
    SUPERUSER:              (YES, YES,  YES,   NO,  YES,  YES,  YES,    YES,   NOT_FOUND, NOT_FOUND),
}  # fmt: skip
MATRIX = {
    (role, action): expected
    for role, row in POLICY_TABLE.items()
    for action, expected in zip(ACTIONS, row, strict=True)
}

# The association each role writes for. Roles without one are shown submissions from La Traverse
# as "their own association's" and from Solucracy as "another's": both must give the same answer.
ROLE_ASSOCIATION = {EDITOR: "la-traverse", COMMITTEE_SAME: "la-traverse", COMMITTEE_OTHER: "solucracy"}
NEW_SUMMARY = "Résumé réécrit pendant la vérification des droits."


def test_the_matrix_covers_every_role_and_action():
    assert set(MATRIX) == {(role, action) for role in ROLES for action in ACTIONS}


# --- Users and requests ----------------------------------------------------------------------


def make_user(role, django_user_model):
    if role == ANONYMOUS:
        return None
    if role == SUPERUSER:
        return django_user_model.objects.create_superuser(role, f"{role}@example.org", "pw")
    if role == ADMINISTRATOR:
        return member(role, admin=True)
    return member(role, ROLE_ASSOCIATION[role], committee=role in (COMMITTEE_SAME, COMMITTEE_OTHER))


def act_as(client, user):
    if user is None:
        client.logout()
    else:
        client.force_login(user)


def assert_refused(response, user):
    """A refusal: the login page for the anonymous visitor, the admin's "permission denied" else."""
    assert response.status_code in (302, 403), response.status_code
    if user is None:
        assert response.url.startswith("/admin/login/"), response.url


def admin_form(client, user, url, reader):
    """GET an admin form as `user`; when refused, read it as `reader` so a valid form can be posted."""
    act_as(client, user)
    response = client.get(url)
    if response.status_code == 200:
        return True, read_form(response.content.decode())
    assert_refused(response, user)
    client.force_login(reader)
    data = read_form(client.get(url).content.decode())
    act_as(client, user)
    return False, data


@pytest.fixture
def reader(django_user_model):
    """Someone who may open every form, to build what a refused user would post."""
    return django_user_model.objects.create_superuser("lecteur-formulaires", "lecteur@example.org", "pw")


@pytest.fixture
def method():
    return MethodPage.objects.live().get(slug="world-cafe")


def latest_summary(page) -> str:
    page.refresh_from_db()
    return page.get_latest_revision().content["summary"]


# --- Actions: each returns the outcome the database shows ------------------------------------


def create_method(client, user, role, method, reader):
    index = MethodIndexPage.objects.get()
    url = f"/admin/pages/add/methods/methodpage/{index.pk}/"
    form_opened, data = admin_form(client, user, url, reader)
    data.update(title=["Méthode de la matrice"], slug=["methode-de-la-matrice"], summary=["Créée ici."])
    response = client.post(url, data)
    created = MethodPage.objects.filter(slug="methode-de-la-matrice").first()
    if created is None:
        assert_refused(response, user)
        return NO
    assert form_opened and response.status_code == 302
    assert created.get_parent().pk == index.pk and not created.live  # saved as a draft
    return YES


def edit_draft(client, user, role, method, reader):
    url = f"/admin/pages/{method.pk}/edit/"
    old = method.summary
    _opened, data = admin_form(client, user, url, reader)
    data["summary"] = [NEW_SUMMARY]
    response = client.post(url, data)
    assert method.__class__.objects.get(pk=method.pk).summary == old  # a draft never changes the live page
    if latest_summary(method) != NEW_SUMMARY:
        assert_refused(response, user)
        return NO
    assert not in_review(method)
    return YES


def submit(client, user, role, method, reader):
    url = f"/admin/pages/{method.pk}/edit/"
    old = method.summary
    _opened, data = admin_form(client, user, url, reader)
    data.update(summary=[NEW_SUMMARY], **{"action-submit": ["1"]})
    response = client.post(url, data)
    submitted = in_review(method)
    assert method.summary == old  # submitting publishes nothing
    if not submitted:
        assert_refused(response, user)
        return NO
    assert method.current_workflow_state.requested_by == user
    assert latest_summary(method) == NEW_SUMMARY
    return YES


def approve(client, user, method, submitter):
    """`submitter` submits a change of `method`, then `user` tries to approve it."""
    old = method.summary
    edit(client, submitter, method, summary=NEW_SUMMARY, change_note="À approuver")
    assert in_review(method)
    task_state = method.current_workflow_task_state
    act_as(client, user)
    response = client.post(f"/admin/pages/workflow/action/{method.pk}/approve/{task_state.pk}/", {})
    if in_review(method):
        assert method.summary == old
        assert_refused(response, user)
        return NO
    assert method.summary == NEW_SUMMARY and method.live  # approval publishes the submitted change
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_APPROVED and task_state.finished_by == user
    return YES


def approve_own(client, user, role, method, reader):
    # The anonymous visitor cannot submit anything: they try to approve an editor's submission.
    submitter = user or member("redacteur-la-traverse", "la-traverse")
    return approve(client, user, method, submitter)


def approve_same_association(client, user, role, method, reader):
    slug = ROLE_ASSOCIATION.get(role, "la-traverse")
    return approve(client, user, method, member(f"redacteur-{slug}", slug))


def approve_other_association(client, user, role, method, reader):
    slug = "la-traverse" if ROLE_ASSOCIATION.get(role) == "solucracy" else "solucracy"
    return approve(client, user, method, member(f"redacteur-{slug}", slug))


def publish_directly(client, user, role, method, reader):
    url = f"/admin/pages/{method.pk}/edit/"
    _opened, data = admin_form(client, user, url, reader)
    data.update(summary=[NEW_SUMMARY], **{"action-publish": ["1"]})
    response = client.post(url, data)
    method.refresh_from_db()
    if method.summary != NEW_SUMMARY:
        if user is None:
            assert_refused(response, user)
        return NO
    assert method.live and not method.has_unpublished_changes
    assert NEW_SUMMARY in client.get(method.url).content.decode()
    return YES


def delete_live_method(client, user, role, method, reader):
    url = f"/admin/pages/{method.pk}/delete/"
    act_as(client, user)
    form_status = client.get(url).status_code
    response = client.post(url)
    if MethodPage.objects.filter(pk=method.pk).exists():
        assert_refused(response, user)
        return NO
    assert form_status == 200
    assert client.get("/methodes/world-cafe/").status_code == 404
    return YES


def see_draft(client, user, role, method, reader):
    """A never-published method: its address and the /methodes/ listing, then a control once live."""
    index = MethodIndexPage.objects.get()
    # "Aaa…" sorts first by title: the page would be on the first page of the listing.
    draft = MethodPageFactory(parent=index, title="Aaa brouillon de la matrice", live=False)
    draft.save_revision(user=reader)
    url = f"/methodes/{draft.slug}/"
    act_as(client, user)
    status = client.get(url).status_code
    listed = "Aaa brouillon de la matrice" in client.get("/methodes/").content.decode()
    # Control: the same checks do see the page once it is published.
    draft.get_latest_revision().publish()
    assert client.get(url).status_code == 200
    assert "Aaa brouillon de la matrice" in client.get("/methodes/").content.decode()
    if status == 404 and not listed:
        return NOT_FOUND
    return f"status {status}, listé : {listed}"


def draft_revision_history(client, user, role, method, reader):
    """`<fiche>/historique/<n>/` (and its diff with the live version) of a revision never published."""
    method.summary = NEW_SUMMARY
    draft = method.save_revision(user=member("auteur-brouillon", "la-traverse"))
    method.refresh_from_db()
    act_as(client, user)
    status = client.get(f"{method.url}historique/{draft.pk}/").status_code
    diff_status = client.get(f"{method.url}historique/{method.live_revision_id}/{draft.pk}/").status_code
    # Control: the published revision of the same fiche is public.
    live = client.get(f"{method.url}historique/{method.live_revision_id}/")
    assert live.status_code == 200
    assert NEW_SUMMARY not in live.content.decode()
    return NOT_FOUND if status == diff_status == 404 else f"version {status}, diff {diff_status}"


PERFORM = {
    CREATE: create_method,
    EDIT: edit_draft,
    SUBMIT: submit,
    APPROVE_OWN: approve_own,
    APPROVE_SAME: approve_same_association,
    APPROVE_OTHER: approve_other_association,
    PUBLISH: publish_directly,
    DELETE: delete_live_method,
    SEE_DRAFT: see_draft,
    DRAFT_HISTORY: draft_revision_history,
}


@pytest.mark.parametrize(("role", "action"), list(MATRIX), ids=[f"{r}-{a}" for r, a in MATRIX])
def test_permission_matrix(client, django_user_model, reader, method, role, action):
    user = make_user(role, django_user_model)
    assert PERFORM[action](client, user, role, method, reader) == MATRIX[(role, action)]


# --- Documents, images, users and groups -----------------------------------------------------

ADD_MEDIA_URLS = ["/admin/documents/multiple/add/", "/admin/images/multiple/add/"]
ACCOUNT_URLS = ["/admin/users/", "/admin/groups/"]


@pytest.mark.parametrize("url", ADD_MEDIA_URLS)
@pytest.mark.parametrize("role", [EDITOR, COMMITTEE_SAME, ADMINISTRATOR])
def test_writers_may_add_documents_and_images(client, django_user_model, role, url):
    client.force_login(make_user(role, django_user_model))
    response = client.get(url)
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


@pytest.mark.parametrize("url", ADD_MEDIA_URLS)
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"/admin/login/?next={url}"


@pytest.mark.parametrize("url", ACCOUNT_URLS)
@pytest.mark.parametrize("role", [EDITOR, COMMITTEE_SAME])
def test_editors_cannot_manage_users_or_groups(client, django_user_model, role, url):
    client.force_login(make_user(role, django_user_model))
    response = client.get(url)
    assert response.status_code == 302 and response.url == "/admin/"


@pytest.mark.parametrize("url", ACCOUNT_URLS)
def test_administrators_manage_users_and_groups(client, django_user_model, url):
    client.force_login(make_user(ADMINISTRATOR, django_user_model))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    # The listing itself: every role's account or group name is there.
    expected = ADMINISTRATOR if url == "/admin/users/" else "Comité éditorial"
    assert expected in html


def test_an_editor_cannot_create_an_account(client, django_user_model):
    client.force_login(make_user(EDITOR, django_user_model))
    before = django_user_model.objects.count()
    client.post(
        "/admin/users/add/",
        {
            "username": "intrus",
            "email": "intrus@example.org",
            "password1": "x-Long-pw-42",
            "password2": "x-Long-pw-42",
        },
    )
    assert django_user_model.objects.count() == before
    assert not django_user_model.objects.filter(username="intrus").exists()


def test_an_editor_cannot_rename_their_group(client, django_user_model):
    client.force_login(make_user(EDITOR, django_user_model))
    group = Association.objects.get(slug="la-traverse").editors_group
    client.post(f"/admin/groups/{group.pk}/edit/", {"name": "Groupe renommé"})
    group.refresh_from_db()
    assert group.name == "La Traverse — éditeurs"


# --- Beyond the matrix -----------------------------------------------------------------------


def test_a_reviewer_cannot_publish_their_own_rewrite_of_a_submission(client, method):
    submitter = member("redactrice-la-traverse", "la-traverse")
    reviewer = member("relecteur-solucracy", "solucracy", committee=True)
    edit(client, submitter, method, summary="Version de l'éditrice.")
    assert in_review(method)
    edit(client, reviewer, method, action=None, summary="Version réécrite par le relecteur.")
    assert latest_summary(method) == "Version réécrite par le relecteur."
    for _attempt in range(2):
        if not in_review(method):
            break
        task_state = method.current_workflow_task_state
        client.force_login(reviewer)
        client.post(f"/admin/pages/workflow/action/{method.pk}/approve/{task_state.pk}/", {})
    method.refresh_from_db()
    assert method.summary != "Version réécrite par le relecteur."
