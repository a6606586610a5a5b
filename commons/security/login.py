"""Login throttling (django-axes): the lock-out page and the address a login attempt comes from.

Axes counts failed logins per (username, client address) pair, whether the account exists or
not, so a lock-out tells nothing about which accounts exist, and a stranger hammering one name
from elsewhere does not lock its owner out. A successful login clears the count.
"""

from django.conf import settings
from django.shortcuts import render


def lockout_response(request, response=None, credentials=None):
    """The French page (429) shown instead of the login form while a login is locked out."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "security/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def client_address(request) -> str:
    """The visitor's address: REMOTE_ADDR, or the entry a trusted reverse proxy added.

    With `TRUSTED_PROXY_COUNT` proxies in front of the site (1 behind nginx), the address is the
    one the outermost trusted proxy saw: the n-th entry from the right of X-Forwarded-For. Entries
    further left come from the visitor and are not trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
