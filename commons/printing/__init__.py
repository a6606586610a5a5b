"""A fiche as a clean A4 PDF ("Télécharger en PDF", the `pdf/` route of every fiche).

- `pdf`: the response, rendered with WeasyPrint once per published revision and kept in the cache;
- `fetcher`: what WeasyPrint may read (our static files and media from disk, `data:` URLs), nothing
  from the network.

WeasyPrint is imported only when a PDF is rendered: without its system libraries (pango) the site
works and the route answers 503.
"""

__all__: list[str] = []
