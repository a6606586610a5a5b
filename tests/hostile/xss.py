"""The XSS corpus (OWASP filter-evasion cheat sheet) and what "nothing executable survives" means."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

VECTORS = json.loads((Path(__file__).parent / "data" / "owasp_xss_vectors.json").read_text())["vectors"]

# What a browser can run: these elements whatever their attributes...
EXECUTABLE_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "base", "link", "meta", "form", "button", "textarea", "select", "video", "audio", "source",
    "details", "bgsound", "xml", "xss", "body", "head", "html", "title", "noscript", "template",
}  # fmt: skip
# ...and these attributes, whatever their element.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "background",
    "dynsrc",
    "lowsrc",
    "xlink:href",
}
SAFE_SCHEMES = {"http", "https", "mailto"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def executable_parts(html: str) -> list[str]:
    """Whatever in `html` a browser could execute or that loads something hostile; [] if nothing."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs in parser.tags:
        if tag in EXECUTABLE_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                found.append(f"{tag} {name}=")
            elif name == "style":
                found.append(f"{tag} style=")
            elif name in URL_ATTRIBUTES and _scheme(value) not in SAFE_SCHEMES | {""}:
                found.append(f"{tag} {name}={value[:30]!r}")
            elif name == "type" and tag == "input" and value.lower() != "checkbox":
                found.append(f"input type={value!r}")
    if re.search(r"<\s*/?\s*(script|style|iframe|svg|object|embed)\b", html, re.IGNORECASE):
        found.append("raw tag")
    return found


def _scheme(url: str) -> str:
    # Browsers drop control characters and whitespace anywhere in a scheme.
    value = re.sub(r"[\x00-\x20\x7f]", "", url).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", value)
    return match[1] if match else ""
