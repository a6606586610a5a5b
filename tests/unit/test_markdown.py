"""`render_markdown`: Markdown is kept, hostile HTML is neutralised, external links are marked."""

import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest

from commons.rendering.markdown import build_parser, is_external_url, render_markdown

EXTERNAL_REL = 'rel="nofollow noopener"'
# The parser without its own link check, so that a payload shows it is hostile before nh3.
UNGUARDED = build_parser()
UNGUARDED.validateLink = lambda url: True


# --- What Markdown produces is kept ----------------------------------------------------------


def test_headings_are_kept_with_ids():
    html = render_markdown("# Titre principal\n\n## Déroulé pas à pas\n\n### Étape 1")
    assert '<h1 id="fiche-titre-principal">Titre principal</h1>' in html
    assert '<h2 id="fiche-deroule-pas-a-pas">Déroulé pas à pas</h2>' in html
    assert '<h3 id="fiche-etape-1">Étape 1</h3>' in html


def test_duplicate_headings_get_distinct_ids():
    html = render_markdown("## Objectifs\n\n## Objectifs")
    assert re.findall(r'<h2 id="([^"]+)">', html) == ["fiche-objectifs", "fiche-objectifs_1"]


def test_heading_ids_do_not_leak_from_one_rendering_to_the_next():
    render_markdown("## Objectifs")
    assert render_markdown("## Objectifs") == '<h2 id="fiche-objectifs">Objectifs</h2>'


def test_heading_ids_are_the_former_ones():
    """Ids are those python-markdown's `toc` gave, behind the prefix: `#objectifs` is `#fiche-objectifs`."""
    html = render_markdown("## Le `code` et *ça*\n\n## Objectifs 1\n\n## Objectifs\n\n## Objectifs\n\n## ")
    assert re.findall(r'<h2 id="([^"]*)">', html) == [
        "fiche-le-code-et-ca",
        "fiche-objectifs-1",
        "fiche-objectifs",
        "fiche-objectifs_1",
        "fiche-_1",
    ]


def test_every_heading_level_gets_an_id():
    html = render_markdown("\n\n".join(f"{'#' * level} Niveau {level}" for level in range(1, 7)))
    for level in range(1, 7):
        assert f'<h{level} id="fiche-niveau-{level}">Niveau {level}</h{level}>' in html


def test_abbreviation_and_attribute_syntaxes_are_not_kept():
    """`abbr` and `attr_list` were python-markdown extensions: their syntax is now plain text."""
    assert render_markdown("*[ADEME]: Agence\n\nL'ADEME finance.") == (
        "<p>*[ADEME]: Agence</p>\n<p>L'ADEME finance.</p>"
    )
    html = render_markdown('## Titre {: onclick="alert(1)" }\n\nTexte\n{: style="color:red" }')
    assert '{: onclick="alert(1)" }</h2>' in html
    assert '{: style="color:red" }</p>' in html
    assert_harmless(html)


def test_lists_nested_by_three_spaces_under_a_numbered_item_are_nested():
    """CommonMark nests under the item's text (3 spaces after "1. "), python-markdown wanted 4."""
    html = render_markdown("1. **Lister** :\n   - un\n   - deux\n2. Placer")
    assert html == (
        "<ol>\n<li><strong>Lister</strong> :\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n</li>\n"
        "<li>Placer</li>\n</ol>"
    )


def test_lists_nested_by_two_spaces_under_a_bullet_are_nested():
    html = render_markdown("- un\n  - un bis\n    1. détail\n- deux")
    assert "<li>un\n<ul>\n<li>un bis\n<ol>\n<li>détail</li>\n</ol>\n</li>\n</ul>\n</li>" in html


def test_a_list_may_follow_a_paragraph_line():
    html = render_markdown("Trois couleurs :\n- vert\n- rouge")
    assert html == "<p>Trois couleurs :</p>\n<ul>\n<li>vert</li>\n<li>rouge</li>\n</ul>"


def test_task_lists_are_disabled_checkboxes():
    html = render_markdown("- [ ] à faire\n- [x] fait")
    assert html == (
        '<ul>\n<li><input disabled="disabled" type="checkbox"> à faire</li>\n'
        '<li><input checked="checked" disabled="disabled" type="checkbox"> fait</li>\n</ul>'
    )


def test_footnotes_link_both_ways():
    html = render_markdown("Texte[^source].\n\n[^source]: La source.")
    assert html == (
        '<p>Texte<sup><a href="#fiche-fn1" id="fiche-fnref1">[1]</a></sup>.</p>\n<hr>\n'
        '<section aria-label="Notes">\n<ol>\n<li id="fiche-fn1"><p>La source. '
        '<a href="#fiche-fnref1" aria-label="Retour au texte">\u21a9\ufe0e</a></p>\n</li>\n</ol>\n</section>'
    )


def test_footnotes_do_not_leak_from_one_rendering_to_the_next():
    render_markdown("Texte[^1].\n\n[^1]: Une note.")
    assert render_markdown("Sans note[^1].") == "<p>Sans note[^1].</p>"


def test_one_parser_serves_several_threads():
    texts = [f"## Titre {n}\n\nTexte[^a] {n}.\n\n[^a]: Note {n}.\n\n- [x] fait {n}" for n in range(40)]
    expected = [render_markdown(text) for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(render_markdown, texts * 5)) == expected * 5


def test_lists_are_kept():
    html = render_markdown("- un\n- deux\n\n1. premier\n2. second")
    assert "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>" in html
    assert "<ol>\n<li>premier</li>\n<li>second</li>\n</ol>" in html


def test_ordered_list_start_is_kept():
    assert '<ol start="3">' in render_markdown("3. trois\n4. quatre")


def test_tables_are_kept():
    html = render_markdown("| Phase | Durée |\n|---|---|\n| Diagnostic | 2 h |")
    for fragment in [
        "<table>",
        "<thead>",
        "<th>Phase</th>",
        "<tbody>",
        "<td>Diagnostic</td>",
        "<td>2 h</td>",
    ]:
        assert fragment in html


def test_emphasis_is_kept():
    html = render_markdown("*penser* **agir** ~~non~~")
    assert "<em>penser</em>" in html
    assert "<strong>agir</strong>" in html
    assert "<s>non</s>" in html


def test_fenced_and_inline_code_are_kept_and_escaped():
    html = render_markdown('```\n<script>alert("x")</script>\n```\n\nUn `<b>code</b>` en ligne.')
    assert '<pre><code>&lt;script&gt;alert("x")&lt;/script&gt;\n</code></pre>' in html
    assert "<code>&lt;b&gt;code&lt;/b&gt;</code>" in html
    assert "<script" not in html


def test_blockquote_and_rule_are_kept():
    html = render_markdown("> Une citation\n\n---")
    assert "<blockquote>" in html
    assert "<hr>" in html


def test_links_are_kept():
    html = render_markdown('[la fiche](/methodes/arpentage/ "Arpentage")')
    assert html == '<p><a href="/methodes/arpentage/" title="Arpentage">la fiche</a></p>'


def test_images_are_kept():
    html = render_markdown('![Une carte](https://example.org/carte.png "Carte")')
    assert '<img src="https://example.org/carte.png" alt="Une carte" title="Carte">' in html


def test_mailto_links_are_kept():
    assert '<a href="mailto:contact@example.org">écrire</a>' in render_markdown(
        "[écrire](mailto:contact@example.org)"
    )


def test_plain_text_is_escaped():
    assert render_markdown("1 < 2 & 3 > 2") == "<p>1 &lt; 2 &amp; 3 &gt; 2</p>"


# --- Hostile payloads are neutralised --------------------------------------------------------

SAFE_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "ul", "ol", "li", "dl", "dt",
    "dd", "strong", "em", "b", "i", "s", "del", "ins", "mark", "sub", "sup", "abbr", "code", "pre",
    "kbd", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "a", "img", "figure",
    "figcaption", "section", "input",
}  # fmt: skip
SAFE_ATTRIBUTES = {"href", "src", "title", "alt", "width", "height", "scope", "colspan", "rowspan",
                   "start", "id", "rel", "aria-label", "type", "checked", "disabled"}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_harmless(html: str) -> None:
    """Every tag and attribute of `html` is inert, as a browser would read them."""
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    for tag, attrs in collector.tags:
        assert tag in SAFE_TAGS, f"tag <{tag}> in {html!r}"
        assert set(attrs) <= SAFE_ATTRIBUTES, f"attributes {set(attrs)} in {html!r}"
        if tag == "input":
            assert attrs.get("type") == "checkbox" and "disabled" in attrs, html
        for name in ("href", "src"):
            if attrs.get(name):
                value = re.sub(r"[\x00-\x20]", "", attrs[name]).lower()
                scheme = value.split(":", 1)[0] if re.match(r"^[a-z][a-z0-9+.-]*:", value) else ""
                assert scheme in SAFE_SCHEMES | {""}, f"{name}={attrs[name]!r} in {html!r}"
    assert not re.search(r"<\s*(script|style|iframe|svg|object|embed)", html, re.IGNORECASE), html


@pytest.mark.parametrize(
    ("payload", "must_keep"),
    [
        pytest.param("<script>alert(1)</script>", None, id="script"),
        pytest.param("<ScRiPt>alert(1)</ScRiPt>", None, id="script-mixed-case"),
        pytest.param("<SCRIPT SRC=https://evil.example/x.js></SCRIPT>", None, id="script-src"),
        pytest.param("<img src=x onerror=alert(1)>", None, id="img-onerror"),
        pytest.param('<a href="javascript:alert(1)">x</a>', ">x</a>", id="a-javascript"),
        pytest.param('<a href="JaVaScRiPt:alert(1)">x</a>', ">x</a>", id="a-javascript-mixed-case"),
        pytest.param('<a href="&#106;avascript:alert(1)">x</a>', ">x</a>", id="a-javascript-entity"),
        pytest.param('<a href="&#x6A;avascript:alert(1)">x</a>', ">x</a>", id="a-javascript-hex-entity"),
        pytest.param('<a href="java&#x09;script:alert(1)">x</a>', ">x</a>", id="a-javascript-tab"),
        pytest.param('<a href="  javascript:alert(1)">x</a>', ">x</a>", id="a-javascript-spaces"),
        pytest.param("[x](javascript:alert(1))", "[x]", id="md-link-javascript"),
        pytest.param("[x](JAVASCRIPT:alert(1))", "[x]", id="md-link-javascript-upper"),
        pytest.param("[x](&#106;avascript:alert(1))", "[x]", id="md-link-javascript-entity"),
        pytest.param("<javascript:alert(1)>", None, id="md-autolink-javascript"),
        pytest.param("![x](data:image/png;base64,AAA)", 'alt="x"', id="md-image-data"),
        pytest.param('<a href="data:text/html,<script>alert(1)</script>">x</a>', ">x</a>", id="a-data-html"),
        pytest.param('<a href="vbscript:msgbox(1)">x</a>', ">x</a>", id="a-vbscript"),
        pytest.param('<img src="javascript:alert(1)">', "<img", id="img-javascript"),
        pytest.param("<style>body { display: none }</style>", None, id="style"),
        pytest.param('<iframe src="https://evil.example/"></iframe>', None, id="iframe"),
        pytest.param('<form action="https://evil.example/"><input name="pw"></form>', None, id="form"),
        pytest.param('<input type="text" name="pw" onfocus="alert(1)">', "<input", id="input-text"),
        pytest.param('<input type="image" src="javascript:alert(1)">', "<input", id="input-image"),
        pytest.param('<a id="fn1" href="javascript:alert(1)">x</a>', "<a>x</a>", id="footnote-lookalike"),
        pytest.param("<svg onload=alert(1)>", None, id="svg-onload"),
        pytest.param("<svg><script>alert(1)</script></svg>", None, id="svg-script"),
        pytest.param('<object data="evil.swf"></object>', None, id="object"),
        pytest.param('<embed src="evil.swf">', None, id="embed"),
        pytest.param('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', None, id="math"),
        pytest.param('<base href="https://evil.example/">', None, id="base"),
        pytest.param('<link rel="stylesheet" href="https://evil.example/x.css">', None, id="link"),
        pytest.param('<p onclick="alert(1)">texte</p>', "<p>texte</p>", id="p-onclick"),
        pytest.param('<h2 id="x" onmouseover="alert(1)">T</h2>', "<h2>T</h2>", id="h2-onmouseover"),
        pytest.param('<a href="https://example.org/" onclick="alert(1)">x</a>', ">x</a>", id="a-onclick"),
        pytest.param('<p style="background:url(javascript:alert(1))">x</p>', "<p>x</p>", id="style-attr"),
        pytest.param('<b style="color:red">x</b>', "<b>x</b>", id="style-attr-inline"),
        pytest.param('x"><script>alert(1)</script>', None, id="attribute-breakout"),
        pytest.param(
            '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', None, id="noscript"
        ),
    ],
)
def test_hostile_payloads_are_neutralised(payload, must_keep):
    # The payload really is hostile once rendered without the sanitizer, so the check can fail...
    with pytest.raises(AssertionError):
        assert_harmless(UNGUARDED.render(payload))
    # ...and render_markdown neutralises it while keeping the harmless part.
    html = render_markdown(payload)
    assert_harmless(html)
    if must_keep:
        assert must_keep in html


@pytest.mark.parametrize(
    "payload",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="data:text/html,<b>x</b>">x</a>',
    ],
)
def test_dangerous_links_lose_their_href(payload):
    assert render_markdown(payload) == "<p><a>x</a></p>"


@pytest.mark.parametrize(
    "payload", ["[x](javascript:alert(1))", "[x](vbscript:msgbox(1))", "[x](data:text/html,<b>x</b>)"]
)
def test_markdown_links_to_dangerous_schemes_stay_text(payload):
    """markdown-it refuses them before nh3: the reader sees what was written, not a dead link."""
    html = render_markdown(payload)
    assert "<a" not in html
    assert html.startswith("<p>[x](")


@pytest.mark.parametrize(
    ("payload", "kept"),
    [
        ('<a id="main" href="/">x</a>', '<p><a href="/">x</a></p>'),
        ('<a id="fnref1 x" href="/">x</a>', '<p><a href="/">x</a></p>'),
        ('<ul><li id="main">x</li></ul>', "<ul><li>x</li></ul>"),
        ('<section aria-label="Menu" id="s">x</section>', "<section>x</section>"),
        ('<a aria-label="Cliquez ici" href="/">x</a>', '<p><a href="/">x</a></p>'),
        ('<input type="checkbox" checked="oui">', '<input disabled="disabled" type="checkbox">'),
    ],
)
def test_footnote_and_checkbox_attributes_only_take_their_own_values(payload, kept):
    assert render_markdown(payload) == kept


def test_a_forced_checkbox_always_renders_the_same():
    """nh3 forces `type` and `disabled` in no set order; the renderer writes them in one."""
    assert {render_markdown('<input type="image" src="x">') for _ in range(50)} == {
        '<input disabled="disabled" type="checkbox">'
    }


def test_data_image_loses_its_src():
    assert render_markdown("![x](data:image/png;base64,AAA)") == '<p><img alt="x"></p>'


def test_script_content_is_dropped_not_shown():
    assert render_markdown("<script>alert(1)</script>") == ""
    assert "alert" not in render_markdown("Avant\n\n<script>alert(1)</script>\n\nAprès")


def test_html_comments_are_stripped():
    assert "<!--" not in render_markdown("<!-- secret -->\n\nTexte")


# --- External links ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "markdown_text",
    [
        "[x](https://example.org/page)",
        "[x](http://example.org/page)",
        "[x](HTTPS://EXAMPLE.ORG/)",
        "[x](//example.org/page)",
        "[x](https://localhost.example.org/)",
        "[x](https://example.org/?a=1&b=2)",
        "<https://example.org/auto>",
        '<a href="https://example.org/">x</a>',
        "<a href='https://example.org/'>x</a>",
        "<a href=https://example.org/>x</a>",
    ],
)
def test_external_links_get_exactly_nofollow_noopener(markdown_text):
    html = render_markdown(markdown_text)
    assert html.count(EXTERNAL_REL) == 1
    assert len(re.findall(r"\brel=", html)) == 1


@pytest.mark.parametrize(
    "markdown_text",
    [
        "[x](/methodes/arpentage/)",
        "[x](arpentage/)",
        "[x](#objectifs)",
        "[x](?page=2)",
        "[x](mailto:contact@example.org)",
        "[x](http://localhost/methodes/)",
        "[x](https://LOCALHOST/methodes/)",
        "[x](https://127.0.0.1:8000/outils/)",
        "[x](//localhost/territoires/)",
    ],
)
def test_relative_and_internal_links_get_no_rel(markdown_text):
    html = render_markdown(markdown_text)
    assert "<a href=" in html
    assert "rel=" not in html


def test_internal_hosts_come_from_settings(settings):
    settings.COMMONS_INTERNAL_HOSTS = ["communs.example.org"]
    assert "rel=" not in render_markdown("[x](https://communs.example.org/methodes/)")
    assert "rel=" not in render_markdown("[x](https://Communs.Example.org/methodes/)")
    assert EXTERNAL_REL in render_markdown("[x](http://localhost/methodes/)")


def test_several_links_are_each_marked_independently(settings):
    settings.COMMONS_INTERNAL_HOSTS = ["communs.example.org"]
    html = render_markdown(
        "[a](https://ademe.fr/) [b](/methodes/) [c](https://communs.example.org/) [d](https://ex.org/)"
    )
    assert html == (
        '<p><a href="https://ademe.fr/" rel="nofollow noopener">a</a> '
        '<a href="/methodes/">b</a> '
        '<a href="https://communs.example.org/">c</a> '
        '<a href="https://ex.org/" rel="nofollow noopener">d</a></p>'
    )


@pytest.mark.parametrize(
    "payload",
    [
        '<a href="https://example.org/" rel="opener">x</a>',
        '<a href="https://example.org/" rel="dofollow">x</a>',
        '<a href="/methodes/" rel="opener">x</a>',
        '<a href="https://example.org/" target="_blank">x</a>',
    ],
)
def test_pre_existing_rel_and_target_are_not_kept(payload):
    html = render_markdown(payload)
    assert "opener" not in html.replace("noopener", "")
    assert "dofollow" not in html
    assert "target=" not in html
    assert len(re.findall(r"\brel=", html)) <= 1


def test_a_backslash_in_a_markdown_link_is_escaped_or_percent_encoded():
    """CommonMark reads "\\@" as "@" and encodes a lone "\\": the host is then what the href says."""
    assert render_markdown("[x](https://evil.example\\@localhost/)") == (
        '<p><a href="https://evil.example@localhost/">x</a></p>'
    )
    assert render_markdown("[x](https://evil.example\\\\@localhost/)") == (
        '<p><a href="https://evil.example%5C@localhost/">x</a></p>'
    )


def test_link_text_that_looks_like_a_link_is_not_marked():
    html = render_markdown('Écrire `<a href="https://example.org/">` dans le code.')
    assert "rel=" not in html


@pytest.mark.parametrize(
    "payload",
    [
        '<a title="Site" href="https://example.org/">x</a>',
        '<a title="a>b" href="https://example.org/">x</a>',
        '<a href="https://evil.example\\@localhost/">x</a>',
        '<a href=" https://example.org/">x</a>',
    ],
)
def test_external_link_is_marked_wherever_its_href_stands(payload):
    html = render_markdown(payload)
    assert html.count(EXTERNAL_REL) == 1


@pytest.mark.parametrize(
    "payload",
    [
        '<a title="Site" href="/methodes/">x</a>',
        '<a title=" href=&quot;https://evil.example/&quot;" href="/methodes/">x</a>',
        "<a>sans lien</a>",
        '<abbr title="https://example.org/">abr</abbr>',
    ],
)
def test_href_lookalikes_are_not_marked(payload):
    assert "rel=" not in render_markdown(payload)


@pytest.mark.parametrize(
    ("url", "external"),
    [
        ("https://example.org/", True),
        ("//example.org/", True),
        ("http://localhost/", False),
        ("https://127.0.0.1/", False),
        ("/methodes/", False),
        ("mailto:a@example.org", False),
        ("ftp://example.org/", False),
        ("https://example.org/?a=1&amp;b=2", True),
        ("https://evil.example\\@localhost/", True),
        ("https://localhost\\@evil.example/", False),
        ("HTTPS://EVIL.EXAMPLE/", True),
    ],
)
def test_is_external_url(url, external):
    assert is_external_url(url) is external


# --- Odd inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize("empty", [None, ""])
def test_empty_input_gives_empty_string(empty):
    assert render_markdown(empty) == ""


@pytest.mark.parametrize(("value", "expected"), [(42, "<p>42</p>"), (3.5, "<p>3.5</p>")])
def test_non_string_input_is_rendered_as_text(value, expected):
    assert render_markdown(value) == expected


def test_lazy_string_input_is_rendered():
    from django.utils.translation import gettext_lazy

    assert render_markdown(gettext_lazy("**gras**")) == "<p><strong>gras</strong></p>"


def test_very_large_input_still_renders():
    paragraph = "Du texte **gras**, un [lien](https://example.org/) et <script>x()</script>. " * 20
    text = "## Titre\n\n" + "\n\n".join([paragraph] * 140)
    assert len(text) > 200_000
    html = render_markdown(text)
    assert html.startswith('<h2 id="fiche-titre">Titre</h2>')
    assert html.count("<strong>gras</strong>") == 20 * 140
    assert html.count(EXTERNAL_REL) == 20 * 140
    assert "<script" not in html


def test_deeply_nested_input_is_kept_up_to_a_hundred_levels():
    assert "profond" in render_markdown("> " * 95 + "profond")
    assert "profond" in render_markdown("".join(f"{'  ' * level}- profond\n" for level in range(95)))


@pytest.mark.parametrize("depth", [200, 5000])
def test_deeper_nesting_does_not_crash(depth):
    assert render_markdown("> " * depth + "profond").startswith("<blockquote>")
    assert render_markdown("[" * depth + "x" + "]" * depth).startswith("<p>[")
