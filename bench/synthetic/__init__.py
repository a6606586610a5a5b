"""Synthetic content for load tests: thousands of realistic-looking, published fiches, fast.

`populate` writes methods, tools and territories that look like the demo content (French titles,
summaries and Markdown bodies with the usual sections, facts, taxonomy, tags, method uses) under
the existing index pages. Creating them one by one with Wagtail's `add_child` and a published
revision costs tens of milliseconds a page, tens of minutes for 12,000, so the rows are written
in bulk: the materialized paths of the page tree are computed here, the `wagtailcore_page` rows
bulk-created, the concrete rows and the links inserted in batches (one transaction each), and the
search index filled at the end. Every synthetic page is clearly marked: its
slug starts with `synthetique-`, it carries the tag `contenu-synthetique` and its credits say
"Contenu synthétique de test". `clear` removes those pages, and only them.

Running `populate` again adds more pages: serial numbers continue after the highest one in use,
so slugs stay unique. Two runs must not write at the same time: each computes the tree paths from
the last child it sees, so the slower one fails on the unique path and its batch rolls back.

Synthetic pages have no revision (nobody wrote them): their public history is empty until someone
edits one in the admin, which creates its first revision. They are not in Wagtail's reference
index either (the admin's "usage" counts of the taxonomy leave them out).
"""

from bench.synthetic.drafting import synthetic_pages
from bench.synthetic.words import BATCH_SIZE, SLUG_PREFIX, SYNTHETIC_CREDITS, SYNTHETIC_TAG
from bench.synthetic.writing import clear, index_pages, populate

__all__ = [
    "BATCH_SIZE",
    "SLUG_PREFIX",
    "SYNTHETIC_CREDITS",
    "SYNTHETIC_TAG",
    "clear",
    "index_pages",
    "populate",
    "synthetic_pages",
]
