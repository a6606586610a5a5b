"""`render_markdown`: Markdown is kept, hostile HTML is neutralised, external links are marked."""

import re
from html.parser import HTMLParser

import markdown
import pytest

from commons.rendering.markdown import MARKDOWN_EXTENSIONS, is_external_url, render_markdown

EXTERNAL_REL = 'rel="nofollow noopener"'


# --- What Markdown produces is kept ----------------------------------------------------------


def test_headings_are_kept_with_ids():
    html = render_markdown("# Titre principal\n\n## Déroulé pas à pas\n\n### Étape 1")
    assert '<h1 id="titre-principal">Titre principal</h1>' in html
    assert '<h2 id="deroule-pas-a-pas">Déroulé pas à pas</h2>' in html
    assert '<h3 id="etape-1">Étape 1</h3>' in html


def test_duplicate_headings_get_distinct_ids():
    html = render_markdown("## Objectifs\n\n## Objectifs")
    assert re.findall(r'<h2 id="([^"]+)">', html) == ["objectifs", "objectifs_1"]


def test_heading_ids_do_not_leak_from_one_rendering_to_the_next():
    render_markdown("## Objectifs")
    assert render_markdown("## Objectifs") == '<h2 id="objectifs">Objectifs</h2>'


def test_abbreviations_do_not_leak_from_one_rendering_to_the_next():
    first = render_markdown("*[ADEME]: Agence de la transition écologique\n\nL'ADEME finance.")
    assert '<abbr title="Agence de la transition écologique">ADEME</abbr>' in first
    assert "<abbr" not in render_markdown("L'ADEME finance.")


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
    assert '<img alt="Une carte" src="https://example.org/carte.png" title="Carte">' in html


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
    "figcaption",
}  # fmt: skip
SAFE_ATTRIBUTES = {"href", "src", "title", "alt", "width", "height", "scope", "colspan", "rowspan",
                   "start", "id", "rel"}  # fmt: skip
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
        pytest.param("[x](javascript:alert(1))", ">x</a>", id="md-link-javascript"),
        pytest.param("[x](JAVASCRIPT:alert(1))", ">x</a>", id="md-link-javascript-upper"),
        pytest.param("[x](&#106;avascript:alert(1))", ">x</a>", id="md-link-javascript-entity"),
        pytest.param("![x](data:image/png;base64,AAA)", 'alt="x"', id="md-image-data"),
        pytest.param('<a href="data:text/html,<script>alert(1)</script>">x</a>', ">x</a>", id="a-data-html"),
        pytest.param('<a href="vbscript:msgbox(1)">x</a>', ">x</a>", id="a-vbscript"),
        pytest.param('<img src="javascript:alert(1)">', "<img", id="img-javascript"),
        pytest.param("<style>body { display: none }</style>", None, id="style"),
        pytest.param('<iframe src="https://evil.example/"></iframe>', None, id="iframe"),
        pytest.param('<form action="https://evil.example/"><input name="pw"></form>', None, id="form"),
        pytest.param("<svg onload=alert(1)>", None, id="svg-onload"),
        pytest.param("<svg><script>alert(1)</script></svg>", None, id="svg-script"),
        pytest.param('<object data="evil.swf"></object>', None, id="object"),
        pytest.param('<embed src="evil.swf">', None, id="embed"),
        pytest.param('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', None, id="math"),
        pytest.param('<base href="https://evil.example/">', None, id="base"),
        pytest.param('<link rel="stylesheet" href="https://evil.example/x.css">', None, id="link"),
        pytest.param('<p onclick="alert(1)">texte</p>', "<p>texte</p>", id="p-onclick"),
        pytest.param('<h2 id="x" onmouseover="alert(1)">T</h2>', '<h2 id="x">T</h2>', id="h2-onmouseover"),
        pytest.param('<a href="https://example.org/" onclick="alert(1)">x</a>', ">x</a>", id="a-onclick"),
        pytest.param('<p style="background:url(javascript:alert(1))">x</p>', "<p>x</p>", id="style-attr"),
        pytest.param('<b style="color:red">x</b>', "<b>x</b>", id="style-attr-inline"),
        pytest.param('## Titre {: onclick="alert(1)" }', ">Titre</h2>", id="attr-list-onclick"),
        pytest.param('Texte\n{: style="color:red" }', "<p>Texte</p>", id="attr-list-style"),
        pytest.param('x"><script>alert(1)</script>', None, id="attribute-breakout"),
        pytest.param(
            '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', None, id="noscript"
        ),
    ],
)
def test_hostile_payloads_are_neutralised(payload, must_keep):
    # The payload really is hostile once rendered without the sanitizer, so the check can fail...
    with pytest.raises(AssertionError):
        assert_harmless(markdown.markdown(payload, extensions=MARKDOWN_EXTENSIONS))
    # ...and render_markdown neutralises it while keeping the harmless part.
    html = render_markdown(payload)
    assert_harmless(html)
    if must_keep:
        assert must_keep in html


@pytest.mark.parametrize(
    "payload",
    [
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="data:text/html,<b>x</b>">x</a>',
    ],
)
def test_dangerous_links_lose_their_href(payload):
    assert render_markdown(payload) == "<p><a>x</a></p>"


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


def test_link_text_that_looks_like_a_link_is_not_marked():
    html = render_markdown('Écrire `<a href="https://example.org/">` dans le code.')
    assert "rel=" not in html


@pytest.mark.parametrize(
    "payload",
    [
        '<a title="Site" href="https://example.org/">x</a>',
        '<a title="a>b" href="https://example.org/">x</a>',
        "[x](https://evil.example\\@localhost/)",
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
    assert html.startswith('<h2 id="titre">Titre</h2>')
    assert html.count("<strong>gras</strong>") == 20 * 140
    assert html.count(EXTERNAL_REL) == 20 * 140
    assert "<script" not in html


def test_deeply_nested_input_does_not_crash():
    html = render_markdown("> " * 200 + "profond")
    assert "profond" in html
