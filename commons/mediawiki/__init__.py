"""Import from MediaWiki: a Special:Export XML dump (full history) becomes fiches with their history.

- `dump`: reading the dump with mwxml, and checking all of it before anything is written;
- `wikitext`, `inline`, `tables`: wikitext -> Markdown with mwparserfromhell;
- `fields`: the Page Forms fields (Défi, Thème, Tags, licence…) mapped onto the taxonomy;
- `plan`: what the import will write (a dry run shows it), found again on a second import;
- `writing`: the revisions, published with the wiki's dates and authors, in one transaction.

`manage.py import_mediawiki dump.xml` runs them in this order.
"""

from commons.mediawiki.dump import WikiDump, WikiPage, WikiRevision, read_wiki_dump
from commons.mediawiki.plan import ImportPlan, PagePlan, plan_wiki_import
from commons.mediawiki.wikitext import WikitextConversion, wikitext_to_markdown
from commons.mediawiki.writing import WikiImportReport, write_wiki_import

__all__ = [
    "ImportPlan",
    "PagePlan",
    "WikiDump",
    "WikiImportReport",
    "WikiPage",
    "WikiRevision",
    "WikitextConversion",
    "plan_wiki_import",
    "read_wiki_dump",
    "wikitext_to_markdown",
    "write_wiki_import",
]
