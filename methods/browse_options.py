"""What `/methodes/` shows of its facets: the options with counts and toggle URLs, and the chips."""

from dataclasses import dataclass, field

from taggit.models import Tag

from commons.speed.bitmaps import Facet
from methods.selection import Selection

SHOWN_TAGS = 30


@dataclass
class Option:
    """One value of a facet, as the template shows it."""

    value: str
    label: str
    count: int = 0
    selected: bool = False
    url: str = ""
    children: list["Option"] = field(default_factory=list)


def build_facet_options(facet: Facet, selection: Selection, terms, counts) -> dict:
    """The options of a facet that have results or are selected, with their toggle URLs."""
    selected = selection.values.get(facet.param, [])

    def option(value: str, label: str, count: int) -> Option:
        is_selected = value in selected
        new_values = [v for v in selected if v != value] if is_selected else [*selected, value]
        return Option(
            value=value,
            label=str(label),
            count=count,
            selected=is_selected,
            url=selection.querystring(**{facet.param: new_values}),
        )

    if facet.term_model is None:
        pairs = facet.choices
        options = [option(value, label, counts.get((facet.param, value), 0)) for value, label in pairs]
    elif facet.hierarchical:
        options = theme_options(facet, terms, counts, option)
    elif facet.term_model is Tag:
        options = tag_options(facet, selected, terms, counts, option)
    else:
        options = [
            option(term.slug, str(term), counts.get((facet.param, str(term.pk)), 0))
            for term in terms[facet.param].values()
        ]
    visible = [o for o in options if o.count or o.selected or any(c.count for c in o.children)]
    return {"param": facet.param, "label": facet.label, "options": visible}


def theme_options(facet, terms, counts, option) -> list[Option]:
    themes = list(terms[facet.param].values())
    parents = []
    for parent in (theme for theme in themes if theme.parent_id is None):
        parent_option = option(
            parent.slug, parent.name, counts.get((f"{facet.param}:parent", str(parent.pk)), 0)
        )
        parent_option.children = [
            child_option
            for child in themes
            if child.parent_id == parent.pk
            for child_option in [option(child.slug, child.name, counts.get((facet.param, str(child.pk)), 0))]
            if child_option.count or child_option.selected
        ]
        parents.append(parent_option)
    return parents


def tag_options(facet, selected, terms, counts, option) -> list[Option]:
    """The most used tags (their names fetched in one query) plus the selected ones."""
    tag_counts = sorted(
        ((int(key), number) for (param, key), number in counts.items() if param == facet.param),
        key=lambda pair: -pair[1],
    )[:SHOWN_TAGS]
    tags = Tag.objects.filter(pk__in=[pk for pk, _n in tag_counts]).in_bulk()
    options = [option(tags[pk].slug, tags[pk].name, number) for pk, number in tag_counts if pk in tags]
    shown = {o.value for o in options}
    options += [option(slug, terms[facet.param][slug].name, 0) for slug in selected if slug not in shown]
    return sorted(options, key=lambda o: o.label)


def selected_chips(facets: list[dict], selection: Selection) -> list[dict]:
    """One removable chip per selected value, and one for the search text."""
    chips = []
    for facet in facets:
        for opt in facet["options"]:
            for candidate in [opt, *opt.children]:
                if candidate.selected:
                    chips.append({"label": f"{facet['label']} : {candidate.label}", "url": candidate.url})
    if selection.query:
        # Relevance means nothing without a search: that sort goes with the text.
        sort = "" if selection.sort == "pertinence" else selection.sort
        without_query = Selection(values=selection.values, sort=sort)
        chips.append({"label": f"« {selection.query} »", "url": without_query.querystring()})
    return chips
