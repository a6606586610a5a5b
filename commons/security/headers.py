"""Content-Security-Policy and Permissions-Policy on every response, public or admin.

The middleware sits above the page cache (`commons.speed.page_cache`), so a page served from the
cache gets the headers of the moment and none is frozen into a stored page. The public policy has
no nonce, on purpose: a per-request nonce written into a cached page would be stale at the next
hit. Public templates therefore keep every script and style in `static/`; the JSON-LD block of a
fiche (`<script type="application/ld+json">`) is a data block that browsers never execute, and
CSP only governs scripts that run, so it needs neither a nonce nor `'unsafe-inline'`
(`tests/security/test_headers.py` checks it in Chromium). Inline `style` set by JavaScript through
the CSSOM (`element.style.left = …`, what Leaflet does on /territoires/) is not an inline style
attribute in the markup and is allowed.

The Wagtail admin gets `settings.COMMONS_ADMIN_CONTENT_SECURITY_POLICY`: see the comment there.
Responses that set their own policy (Wagtail's document view sends `default-src 'none'`) keep it.
"""

from django.conf import settings

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config

# The admin's own pages (its login and password reset are under it) and the Markdown preview it
# calls, which answers HTML fragments inserted into admin pages.
ADMIN_PREFIXES = ("/admin/",)
PERMISSIONS_HEADER = "Permissions-Policy"


def is_admin_path(path: str) -> bool:
    return path.startswith(ADMIN_PREFIXES)


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware with one policy for the public site and another for the admin."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = default_config(settings.COMMONS_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if PERMISSIONS_HEADER not in response:
            response[PERMISSIONS_HEADER] = settings.COMMONS_PERMISSIONS_POLICY
        return response
