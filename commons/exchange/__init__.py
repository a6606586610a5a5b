"""The exchange format of the commons: YAML front matter + Markdown body, one file per fiche.

`fixtures/` is written in it (see fixtures/README.md). `reading` parses and validates a directory,
`applying` and `sync` write it into the site; `fields` says what a fiche file holds and how each
registered type declares its own fields; `checks` are the validation helpers the types reuse.
"""

from commons.exchange.applying import Report, apply_commons, document_for
from commons.exchange.checks import CommonsFilesInvalid, Problem
from commons.exchange.fields import ExchangeFields, Extra, FicheFile
from commons.exchange.reading import Bundle, read_commons

__all__ = [
    "Bundle",
    "CommonsFilesInvalid",
    "ExchangeFields",
    "Extra",
    "FicheFile",
    "Problem",
    "Report",
    "apply_commons",
    "document_for",
    "read_commons",
]
