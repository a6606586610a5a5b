"""The cross-review in a real browser: an editor types Markdown and sees django-markdownx's preview,
submits, their own association cannot approve, another association's committee member approves,
and the public page and its history follow."""

import re

import pytest
from playwright.sync_api import expect

from methods.models import MethodPage
from tests.workflow_helpers import in_review, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pw"  # tests.workflow_helpers.member's password
TIP_TITLE = "Une astuce de La Traverse"
TIP_MARKDOWN = f"\n\n## {TIP_TITLE}\n\n- **Quatre personnes** par table, pas plus.\n"


def log_in(browser, site_url, username, shoot=None):
    """A new browser context (its own cookies), logged in to the admin as `username`."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(site_url + "/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    if shoot:
        shoot(page, f"connexion {username}")
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    if shoot:
        shoot(page, f"tableau de bord {username}")
    return context, page


def test_editor_submits_other_association_approves_history_shows_the_diff(commons_site, browser, shoot):
    editor = member("editrice-traverse", "la-traverse")
    same = member("comite-traverse", "la-traverse", committee=True)
    other = member("comite-solucracy", "solucracy", committee=True)
    method = MethodPage.objects.get(slug="world-cafe")
    old_summary = method.summary
    assert "Des petites tables" in old_summary
    new_summary = old_summary.replace("Des petites tables", "Des tables de quatre personnes")
    change_note = "Préciser la taille des tables"
    previous_revision = method.live_revision_id
    edit_url = f"{commons_site.url}/admin/pages/{method.pk}/edit/"

    # 1. The editor of La Traverse changes "En bref", types Markdown in the body and sees the
    # preview rendered, then submits it for review.
    context, page = log_in(browser, commons_site.url, editor.username, shoot)
    page.goto(edit_url)
    summary = page.locator("#id_summary")
    expect(summary).to_have_value(old_summary)
    summary.fill(new_summary)
    body = page.locator("textarea#id_body")
    preview = page.locator(".markdownx", has=body).locator(".markdownx-preview")
    expect(preview).not_to_contain_text(TIP_TITLE)
    body.press("Control+End")
    body.press_sequentially(TIP_MARKDOWN, delay=5)
    expect(preview.get_by_role("heading", name=TIP_TITLE)).to_be_visible()
    expect(preview.locator("li strong", has_text="Quatre personnes")).to_be_visible()
    expect(preview).not_to_contain_text("**")  # rendered, not echoed
    preview.get_by_role("heading", name=TIP_TITLE).scroll_into_view_if_needed()
    shoot(page, "markdown et apercu")
    page.locator("#id_change_note").fill(change_note)
    footer = page.locator("footer .actions--primary")
    footer.locator(".w-dropdown__toggle").click()
    submit = footer.get_by_role("button", name=re.compile("Soumettre à Relecture croisée"))
    expect(submit).to_be_visible()
    with page.expect_navigation():
        submit.click()
    expect(page.locator(".messages")).to_contain_text("World café")
    shoot(page, "soumis a relecture")
    context.close()
    assert in_review(method)
    assert method.summary == old_summary  # nothing public yet
    assert method.current_workflow_state.requested_by == editor

    # 2. A committee member of the same association is offered no approval, anywhere.
    context, page = log_in(browser, commons_site.url, same.username, shoot)
    approve_url = f"/admin/pages/workflow/action/{method.pk}/approve/"
    expect(page.locator("main")).to_be_visible()
    expect(page.locator(f'[data-workflow-action-url^="{approve_url}"]')).to_have_count(0)
    page.goto(edit_url)
    expect(page.locator("#id_summary")).to_be_visible()  # the edit page itself is there…
    expect(page.locator('[data-workflow-action-name="approve"]')).to_have_count(0)  # …without approval
    expect(page.get_by_role("button", name="Approuver et publier")).to_have_count(0)
    shoot(page, "meme association sans approbation")
    context.close()
    assert in_review(method)

    # 3. A committee member of Solucracy approves from the dashboard.
    context, page = log_in(browser, commons_site.url, other.username, shoot)
    approve = page.locator(f'button[data-workflow-action-url^="{approve_url}"]:not([data-launch-modal])')
    expect(approve).to_have_count(1)
    expect(approve).to_have_text(re.compile("Approuver et publier"))
    page.locator(".w-dropdown", has=approve).locator(".w-dropdown__toggle").click()  # the row's "Actions"
    shoot(page, "approbation")
    with page.expect_navigation():
        approve.click()
    shoot(page, "approuve")
    context.close()
    assert not in_review(method)
    method.refresh_from_db()
    assert method.summary == new_summary
    assert "**Quatre personnes**" in method.body
    assert method.live_revision_id != previous_revision

    # 4. The public page shows the new summary; its history lists the new version and its note.
    public = browser.new_context(locale="fr-FR")
    page = public.new_page()
    page.set_default_timeout(15_000)
    page.goto(commons_site.url + method.url)
    expect(page.locator("main")).to_contain_text("Des tables de quatre personnes")
    expect(page.locator("main")).not_to_contain_text("Des petites tables")
    expect(page.get_by_role("heading", name=TIP_TITLE)).to_be_visible()
    expect(page.locator("main li strong", has_text="Quatre personnes")).to_be_visible()
    shoot(page, "page publique")

    page.goto(commons_site.url + method.url + "historique/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Historique des versions")
    newest = page.locator(".history-entry").first
    expect(newest).to_have_class(re.compile("history-entry--current"))
    expect(newest).to_contain_text(change_note)
    expect(newest.locator(f'a[href$="historique/{method.live_revision_id}/"]').first).to_be_visible()
    shoot(page, "historique")

    # 5. The diff with the previous version shows the changed words.
    newest.get_by_role("link", name="Voir les différences avec la version précédente").click()
    expect(page).to_have_url(re.compile(rf"historique/{previous_revision}/{method.live_revision_id}/$"))
    expect(page.locator("ins.diff-ins").filter(has_text="de quatre personnes")).to_have_count(1)
    expect(page.locator("del.diff-del").filter(has_text="petites")).to_have_count(1)
    expect(page.locator("ins.diff-ins").filter(has_text="petites")).to_have_count(0)
    shoot(page, "differences")
    public.close()
