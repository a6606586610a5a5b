"""The editors of `make loadtest`: threads that drive the Wagtail admin over HTTP as a browser does.

Each editor signs in (`/admin/login/`, CSRF token and session cookie), then works through its own
methods, one after the other: open the edit view, change the body and the "Résumé de la
modification", save a draft, open it again, change it again and submit it to the "Relecture
croisée" workflow. A fiche in review is locked for its editors (the committee has it), so the
editor goes on to the next one. A POST answered by a redirect is what Wagtail answers when the
revision is saved: that is what the editor is told, and what `count_revisions` checks afterwards.

The server runs the production settings, whose cookies are `Secure`: over loopback http a cookie
jar would not send them back, so the cookies are kept here and sent by hand. The review
notifications go by SMTP to `MailSink`, which counts them.
"""

from __future__ import annotations

import re
import socketserver
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import requests

from tests.admin_forms import read_form  # the same form reader as the admin tests

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REQUEST_TIMEOUT = 120  # a request waits behind the readers' in gunicorn's queue


@dataclass
class EditorStats:
    """What one editor did and was told."""

    username: str
    page_ids: list[int]
    drafts_saved: int = 0  # POSTs answered by Wagtail's redirect: a revision was saved
    submitted: int = 0  # the same, for "Soumettre à Relecture croisée" (or resubmit)
    last_bodies: dict[int, str] = field(default_factory=dict)  # page id -> body of the last save told
    errors: list[str] = field(default_factory=list)
    server_errors: int = 0  # 5xx answers
    timings_ms: list[float] = field(default_factory=list)

    @property
    def told(self) -> int:
        return self.drafts_saved + self.submitted


class AdminBrowser:
    """A signed-in editor's browser: cookies kept by hand (they are `Secure`), CSRF token sent back."""

    def __init__(self, base_url: str, stats: EditorStats):
        self.base_url, self.stats = base_url, stats
        self.http = requests.Session()
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data=None) -> requests.Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        started = time.perf_counter()
        response = self.http.request(
            method,
            self.base_url + path,
            data=data,
            headers=headers,
            allow_redirects=False,
            timeout=REQUEST_TIMEOUT,
        )
        self.stats.timings_ms.append((time.perf_counter() - started) * 1000)
        for header in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.status_code >= 500:
            self.stats.server_errors += 1
            self.stats.errors.append(f"{method} {path} : HTTP {response.status_code}")
        return response

    def log_in(self, password: str) -> bool:
        form = self.request("GET", "/admin/login/")
        token = CSRF_FIELD.search(form.text)
        if form.status_code != 200 or token is None:
            self.stats.errors.append(f"connexion : formulaire HTTP {form.status_code}")
            return False
        data = {"csrfmiddlewaretoken": token.group(1), "username": self.stats.username, "password": password}
        answer = self.request("POST", "/admin/login/", data)
        if answer.status_code != 302:
            self.stats.errors.append(f"connexion refusée : HTTP {answer.status_code}")
            return False
        return True


def edit_once(browser: AdminBrowser, page_id: int, number: int, submit: bool) -> None:
    """Open the edit view, change the fiche, save a draft (or submit it); count what Wagtail said."""
    stats = browser.stats
    edit_path = f"/admin/pages/{page_id}/edit/"
    page = browser.request("GET", edit_path)
    if page.status_code != 200:
        stats.errors.append(f"GET {edit_path} : HTTP {page.status_code}")
        return
    form = read_form(page.text)
    body = re.sub(r"\n\nVersion d'essai de charge .*\Z", "", form.get("body", [""])[0], flags=re.S)
    body += f"\n\nVersion d'essai de charge n° {number} de {stats.username}."
    form["body"] = [body]
    form["change_note"] = [f"Essai de charge n° {number}"]
    action = "action-submit" if submit else None
    if action:
        form[action] = ["1"]
    answer = browser.request("POST", edit_path, form)
    if answer.status_code == 302:
        stats.last_bodies[page_id] = body
        if action:
            stats.submitted += 1
        else:
            stats.drafts_saved += 1
    else:
        stats.errors.append(f"POST {edit_path} ({action or 'brouillon'}) : HTTP {answer.status_code}")


def run_editor(base_url: str, stats: EditorStats, password: str, deadline: float) -> None:
    browser = AdminBrowser(base_url, stats)
    try:
        if not browser.log_in(password):
            return
        for number, page_id in enumerate(stats.page_ids, start=1):
            if time.monotonic() >= deadline:
                return
            edit_once(browser, page_id, number, submit=False)
            if time.monotonic() < deadline:
                edit_once(browser, page_id, number, submit=True)
        stats.errors.append("plus de fiche à modifier avant la fin")
    except requests.RequestException as error:
        stats.errors.append(f"{type(error).__name__}: {error}")


def run_editors(
    base_url: str, accounts: list[tuple[str, str, list[int]]], seconds: float
) -> list[EditorStats]:
    """`accounts`: (username, password, page ids). Every editor works for `seconds`, together."""
    deadline = time.monotonic() + seconds
    all_stats = [EditorStats(username, page_ids) for username, _password, page_ids in accounts]
    threads = [
        threading.Thread(target=run_editor, args=(base_url, stats, password, deadline))
        for stats, (_username, password, _page_id) in zip(all_stats, accounts, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return all_stats


def count_revisions(all_stats: list[EditorStats], since) -> list[dict]:
    """Per editor: the revisions found in the database against the saves the editor was told of,
    and whether each fiche's latest revision holds the last body the editor saved there."""
    from wagtail.models import Page, Revision

    found = []
    for stats in all_stats:
        revisions = Revision.objects.filter(
            object_id__in=[str(pk) for pk in stats.page_ids],
            user__username=stats.username,
            created_at__gte=since,
        )
        pages = Page.objects.filter(pk__in=stats.last_bodies).specific()
        latest_kept = sum(
            page.get_latest_revision_as_object().body == stats.last_bodies[page.pk] for page in pages
        )
        found.append(
            {
                "editor": stats.username,
                "told": stats.told,
                "found": revisions.count(),
                "fiches": len(stats.last_bodies),
                "fiches_whose_latest_is_the_last_save": latest_kept,
                "in_review": sum(page.workflow_in_progress for page in pages),
            }
        )
    return found


# --- Notifications -----------------------------------------------------------------------------


class MailSink(socketserver.ThreadingTCPServer):
    """A minimal SMTP server on loopback that accepts and counts every message (the review e-mails)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpSession)
        self.messages = 0
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]


class SmtpSession(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 loadtest\r\n")
        in_data = False
        for line in self.rfile:
            if in_data:
                if line in (b".\r\n", b".\n"):
                    in_data = False
                    with self.server.lock:
                        self.server.messages += 1
                    self.wfile.write(b"250 OK\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # EHLO, HELO, MAIL, RCPT, RSET, NOOP
                self.wfile.write(b"250 OK\r\n")
