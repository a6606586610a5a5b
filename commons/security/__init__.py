"""The site's defences that are not content: response headers, logins and uploads.

- `headers`: Content-Security-Policy (a strict one for the public pages, a looser one for the
  Wagtail admin) and Permissions-Policy on every response;
- `login`: what a locked-out login sees (django-axes) and which address a login comes from;
- `uploads`: the document types the site accepts, checked by their content, and their size.
"""
