"""Public version history of fiches: published revisions, their authors' associations, and diffs.

Only revisions that were actually published count as versions. Wagtail records each publication
as a `PageLogEntry` ("wagtail.publish", or "wagtail.publish.scheduled" when a scheduled
publication goes live) pointing at the published revision; drafts, revisions in review and
rejected ones have no such entry, so they never reach the public. The number of a version (in
`<fiche>/historique/<n>/`) is the primary key of its revision.

Every function reads a page's whole history in a fixed number of queries: the revisions with
their publication dates (and the content of the versions shown) in one, the associations of all
their authors in another.

- `versions`: which revisions are versions, their authors' associations, the contributors;
- `restore`: a fiche as it was in a version, from its revision's content;
- `diff`: what changed between two versions, field by field;
- `pages`: the history pages' addresses and contexts, and "Comment citer".
"""

from commons.history.diff import diff_segments, field_changes, list_diff, word_diff
from commons.history.pages import (
    citation_context,
    diff_page_context,
    diff_url,
    history_page_context,
    history_url,
    version_url,
)
from commons.history.restore import restore_version, restore_versions
from commons.history.versions import (
    PublishedVersion,
    associations_by_author,
    contributor_associations,
    published_revision_or_404,
    published_revisions,
    published_revisions_or_404,
)

__all__ = [
    "PublishedVersion",
    "associations_by_author",
    "citation_context",
    "contributor_associations",
    "diff_page_context",
    "diff_segments",
    "diff_url",
    "field_changes",
    "history_page_context",
    "history_url",
    "list_diff",
    "published_revision_or_404",
    "published_revisions",
    "published_revisions_or_404",
    "restore_version",
    "restore_versions",
    "version_url",
    "word_diff",
]
