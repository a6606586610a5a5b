"""The one Markdown renderer of the commons: Markdown -> sanitized HTML.

Every fiche body, description and the admin live preview go through `render_markdown`, so what an
editor previews is exactly what the public gets, and no path can skip the sanitizer.

The parser is CommonMark (markdown-it-py), so Markdown reads as people write it: a list nested
under "1. " by three spaces is a nested list. On top of CommonMark: tables and strikethrough (GFM),
footnotes, task lists and heading ids. Not kept from the former python-markdown setup: `abbr`
(`*[ADEME]: …` definitions) and `attr_list` (`{: .class #id }`): no CommonMark parser has them, no
fixture used them, and `attr_list` let editors set attributes that only the sanitizer stopped.

Ids: a body sits inside a page that has its own ids (`<main id="contenu">`, "Classement"…), so
every id a body gets starts with `id_prefix` ("fiche-" by default): "## Contenu" is
`id="fiche-contenu"`, footnotes `fiche-fn1` / `fiche-fnref1`, and a link to one of them follows
(`#objectifs` -> `#fiche-objectifs`; any other `#…` is left as written). Only ids the renderer made
itself survive: they carry a random token for the length of one rendering, so an id written in raw
HTML (`<h2 id="…">`) is dropped.
"""

import re
import secrets
import unicodedata
from urllib.parse import urlsplit

from django.conf import settings

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd",
    "strong", "em", "b", "i", "s", "del", "ins", "mark", "sub", "sup", "abbr",
    "code", "pre", "kbd",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "a", "img", "figure", "figcaption",
    "section", "input",  # footnotes, task-list checkboxes
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "li": {"id"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
# Attributes kept only with these exact values (nh3 wants them out of ALLOWED_ATTRIBUTES).
ALLOWED_ATTRIBUTE_VALUES = {
    "input": {"type": {"checkbox"}, "checked": {"checked", ""}, "disabled": {"disabled"}},
    "section": {"aria-label": {"Notes"}},
    "a": {"aria-label": {"Retour au texte"}},
}
# Whatever an editor writes, an <input> can only be a checkbox nobody can tick.
FORCED_ATTRIBUTES = {"input": {"type": "checkbox", "disabled": "disabled"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Every id in a rendered body starts with this, so it cannot be one of the page's own ids.
ID_PREFIX = "fiche-"
NUMBERED_ID = re.compile(r"^(.*)_([0-9]+)$")
# nh3 serializes every tag the same way (double-quoted, escaped attributes), so plain patterns
# find each link it kept and its href, wherever the href stands among the attributes.
LINK_TAG = re.compile(r"<a(\s[^>]*)?>")
HREF_ATTRIBUTE = re.compile(r'\shref="([^"]*)"')
# nh3 writes the attributes it forces in no set order (`type` and `disabled` swap from one call to
# the next): every checkbox is written again in one order, so a text always renders the same.
INPUT_TAG = re.compile(r"<input(\s[^>]*)?>")


def render_markdown(text: str | None, id_prefix: str = ID_PREFIX) -> str:
    """Render Markdown to HTML that is safe to show to anyone; every id starts with `id_prefix`."""
    if not text:
        return ""
    # Ids the parser makes carry this token until nh3 swaps it for the prefix; any other id goes.
    token = f"x{secrets.token_hex(8)}-"
    env = {"id_token": token, "ids": set()}  # the parser adds each id it makes to "ids"
    html = PARSER.render(str(text), env)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
        set_tag_attribute_values=FORCED_ATTRIBUTES,
        attribute_filter=_AttributeFilter(token, id_prefix, env["ids"]),
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    cleaned = INPUT_TAG.sub(_checkbox, cleaned)
    return LINK_TAG.sub(_mark_external_link, cleaned).strip()


def _checkbox(match: re.Match) -> str:
    checked = 'checked="checked" ' if ' checked="' in (match.group(1) or "") else ""
    return f'<input {checked}disabled="disabled" type="checkbox">'


class _AttributeFilter:
    """nh3's attribute filter for one rendering: the renderer's own ids, and the links to them, prefixed."""

    def __init__(self, token: str, id_prefix: str, ids: set[str]):
        self.token, self.id_prefix, self.ids = token, id_prefix, ids

    def __call__(self, tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            return self.id_prefix + value[len(self.token) :] if value.startswith(self.token) else None
        if attribute == "href" and value[:1] == "#" and value[1:] in self.ids:
            return f"#{self.id_prefix}{value[1:]}"
        return value


def heading_slug(title: str) -> str:
    """The id of a heading: the ids python-markdown's `toc` gave, so old `#anchors` still work."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^\w\s-]", "", ascii_title).strip().lower()
    return re.sub(r"[-\s]+", "-", words)


def _add_heading_ids(state: StateCore) -> None:
    # A core rule rather than mdit-py-plugins' `anchors`: its duplicates are "x-1" where the
    # stored HTML and the links people made say "x_1", like python-markdown's `toc`.
    taken: set[str] = set()
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        children = state.tokens[index + 1].children or []
        title = "".join(child.content for child in children if child.type in {"text", "code_inline"})
        slug = _unique(heading_slug(title), taken)
        state.env.setdefault("ids", set()).add(slug)
        token.attrSet("id", state.env.get("id_token", "") + slug)


def _unique(slug: str, taken: set[str]) -> str:
    if slug in taken or not slug:
        numbered = NUMBERED_ID.match(slug)
        base, count = (numbered[1], int(numbered[2])) if numbered else (slug, 0)
        count += 1
        while f"{base}_{count}" in taken:
            count += 1
        slug = f"{base}_{count}"
    taken.add(slug)
    return slug


def _render_notes_open(self, tokens, idx, options, env) -> str:
    return '<hr>\n<section aria-label="Notes">\n<ol>\n'


def _note_ident(self, tokens, idx, options, env) -> tuple[str, str]:
    ident = self.rules["footnote_anchor_name"](tokens, idx, options, env)
    sub_id = tokens[idx].meta.get("subId", -1)
    return (ident, f"{ident}:{sub_id}" if sub_id > 0 else ident)


def _render_note_ref(self, tokens, idx, options, env) -> str:
    ident, ref_ident = _note_ident(self, tokens, idx, options, env)
    caption = self.rules["footnote_caption"](tokens, idx, options, env)
    env.setdefault("ids", set()).update({f"fn{ident}", f"fnref{ref_ident}"})
    return f'<sup><a href="#fn{ident}" id="{env.get("id_token", "")}fnref{ref_ident}">{caption}</a></sup>'


def _render_note_open(self, tokens, idx, options, env) -> str:
    return f'<li id="{env.get("id_token", "")}fn{_note_ident(self, tokens, idx, options, env)[1]}">'


def _render_note_backlink(self, tokens, idx, options, env) -> str:
    ref_ident = _note_ident(self, tokens, idx, options, env)[1]
    return f' <a href="#fnref{ref_ident}" aria-label="Retour au texte">\u21a9\ufe0e</a>'


def build_parser() -> MarkdownIt:
    """The Markdown parser, before the sanitizer (`PARSER` is the one every rendering uses)."""
    # Raw HTML stays on, as with python-markdown: nh3, always last, decides what of it remains.
    # Nesting deeper than 100 levels (20 by default) is dropped: about 3 stack frames per level.
    options = {"html": True, "maxNesting": 100}
    parser = MarkdownIt("commonmark", options).enable(["table", "strikethrough"])
    parser.use(footnote_plugin).use(tasklists_plugin)
    parser.core.ruler.push("heading_ids", _add_heading_ids)
    parser.add_render_rule("footnote_block_open", _render_notes_open)
    parser.add_render_rule("footnote_ref", _render_note_ref)
    parser.add_render_rule("footnote_open", _render_note_open)
    parser.add_render_rule("footnote_anchor", _render_note_backlink)
    return parser


# One parser for the process: `render` keeps its state per call, so threads can share it.
PARSER = build_parser()


def _mark_external_link(match: re.Match) -> str:
    attributes = match.group(1) or ""
    href = HREF_ATTRIBUTE.search(attributes)
    if href and is_external_url(href.group(1)):
        return f'<a{attributes} rel="nofollow noopener">'
    return match.group(0)


def is_external_url(url: str) -> bool:
    """True for links that leave the site (absolute http(s) URLs to another host)."""
    # Browsers read "\" as "/" in http(s) URLs; so must we, or "https://evil\@site/" looks internal.
    url = url.replace("&amp;", "&").replace("\\", "/").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} and not url.startswith("//"):
        return False
    host = (parts.hostname or "").lower()
    return host not in {h.lower() for h in settings.COMMONS_INTERNAL_HOSTS}
