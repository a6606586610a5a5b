"""A validated request of `/methodes/`: the values kept per facet, the search text and the sort."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from commons import fiche_types

SORT_LABELS = {"pertinence": _("Pertinence"), "titre": _("Titre"), "recent": _("Les plus récentes")}


@dataclass
class Selection:
    """The validated request: selected values per facet, search text, sort, and notices."""

    values: dict[str, list[str]]
    query: str = ""
    sort: str = ""
    notices: list[str] = field(default_factory=list)

    def querystring(self, **changes) -> str:
        """The URL query of this selection with some facets replaced (`None` removes one)."""
        values = {**self.values, **changes}
        params = [facet.param for facet in fiche_types.facets()]
        pairs = [(param, value) for param in params for value in values.get(param) or []]
        if self.query:
            pairs.append(("q", self.query))
        if self.sort and self.sort != self.default_sort:
            pairs.append(("tri", self.sort))
        return "?" + urlencode(pairs) if pairs else "?"

    @property
    def default_sort(self) -> str:
        return "pertinence" if self.query else "titre"

    @property
    def is_filtered(self) -> bool:
        return any(self.values.values())
