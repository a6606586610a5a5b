"""The fields of a wiki page (its Page Forms template) mapped onto the fiche and the taxonomy.

Recognised fields (Description, Défi, Thème, Tags, licence, Contributeurs, by their names once
accents, case and punctuation are set aside) fill the fiche; a value that matches no term and a
field we do not know are reported, one line each, never fatal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from mwparserfromhell.nodes import Template

from commons.mediawiki.inline import wiki_title_key

FIELD_ROLES = {
    "description": "summary",
    "resume": "summary",
    "en bref": "summary",
    "defi": "defis",
    "defis": "defis",
    "defi auquel repond la ressource": "defis",
    "theme": "themes",
    "themes": "themes",
    "tags": "tags",
    "tag": "tags",
    "mots cles": "tags",
    "licence": "license",
    "license": "license",
    "type de licence": "license",
    "contributeurs": "credits",
    "credits": "credits",
    "sources": "credits",
}
NUMBERED = re.compile(r"^\s*(\d+)\s*[-.)–—:]?\s*(.*)$")
MAX_TAG = 100


def plain_key(text: str) -> str:
    """A name compared without accents, case or punctuation: "Type de licence ?" -> "type de licence"."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", letters).split())


def form_template(code, name: str | None = None) -> Template | None:
    """The page's form template: the one named `name`, or else the first template of the page
    (outside any other) with named parameters."""
    for template in code.filter_templates(recursive=False):
        if name is not None:
            if wiki_title_key(str(template.name).strip()) == wiki_title_key(name):
                return template
        elif any(param.showkey for param in template.params):
            return template
    return None


def template_fields(template: Template | None) -> dict[str, str]:
    """Each named parameter of the template as plain text (links' text kept, markup dropped)."""
    if template is None:
        return {}
    return {
        str(param.name).strip(): " ".join(param.value.strip_code().split())
        for param in template.params
        if param.showkey
    }


def split_values(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", value) if part.strip()]


# --- The taxonomy the values are matched against ----------------------------------------------


@dataclass(frozen=True)
class WikiTerm:
    pk: int
    slug: str
    name: str
    number: int | None = None
    parent: str = ""  # a thème's parent name


@dataclass
class WikiTaxonomy:
    """The défis and thèmes, indexed by the keys a wiki may name them with."""

    defis: list[WikiTerm]
    themes: list[WikiTerm]

    @classmethod
    def from_database(cls) -> WikiTaxonomy:
        from commons.models.taxonomy import Defi, Theme

        defis = [WikiTerm(d.pk, d.slug, d.name, d.number) for d in Defi.objects.all()]
        themes = [
            WikiTerm(t.pk, t.slug, t.name, parent=t.parent.name if t.parent_id else "")
            for t in Theme.objects.select_related("parent")
        ]
        return cls(defis, themes)

    def defi(self, value: str) -> WikiTerm | None:
        """ "1- Connaissances - Ressources", "3", "Gouvernance" or a slug -> the défi."""
        match = NUMBERED.match(value)
        if match:
            found = [d for d in self.defis if d.number == int(match.group(1))]
            return found[0] if len(found) == 1 else None
        key = plain_key(value)
        found = [d for d in self.defis if key in {plain_key(d.name), plain_key(d.slug)}]
        return found[0] if len(found) == 1 else None

    def theme(self, value: str) -> WikiTerm | None:
        """ "Vulnérabilités/Sociale", "Sociale" (when no other thème has that name) or a slug."""
        parent, _sep, name = value.rpartition("/")
        key, parent_key = plain_key(name), plain_key(parent)
        found = [
            t
            for t in self.themes
            if key in {plain_key(t.name), plain_key(t.slug)}
            and (not parent_key or plain_key(t.parent) == parent_key)
        ]
        if len(found) > 1 and not parent_key:  # "Gouvernance": the top-level thème, if one is
            found = [t for t in found if not t.parent]
        return found[0] if len(found) == 1 else None


# --- A revision's fields, mapped ---------------------------------------------------------------


@dataclass
class MappedFields:
    summary: str = ""
    defis: list[int] = field(default_factory=list)
    themes: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    license: str | None = None
    credits: str = ""
    warnings: list[str] = field(default_factory=list)


def map_wiki_fields(fields: dict[str, str], taxonomy: WikiTaxonomy) -> MappedFields:
    """The fiche's values for a revision's fields, and a warning for each value left aside."""
    mapped = MappedFields()
    for name, value in fields.items():
        role = FIELD_ROLES.get(plain_key(name))
        if not value:
            continue
        if role is None:
            mapped.warnings.append(f"champ « {name} » non repris : {value[:120]}")
        elif role == "summary":
            mapped.summary = value
        elif role == "credits":
            mapped.credits = value
        elif role == "license":
            mapped.license, note = wiki_license(value)
            if note:
                mapped.warnings.append(f"{name} : {note}")
        elif role == "tags":
            tags = (tag.lower() for tag in split_values(value) if len(tag) <= MAX_TAG)
            mapped.tags = list(dict.fromkeys(tags))
        else:
            map_terms(mapped, role, name, value, taxonomy)
    return mapped


def map_terms(mapped: MappedFields, role: str, name: str, value: str, taxonomy: WikiTaxonomy) -> None:
    find = taxonomy.defi if role == "defis" else taxonomy.theme
    chosen = getattr(mapped, role)
    for item in split_values(value):
        term = find(item)
        if term is None:
            mapped.warnings.append(f"{name} : « {item} » ne correspond à aucun terme du commun")
        elif term.pk not in chosen:
            chosen.append(term.pk)


def wiki_license(value: str) -> tuple[str | None, str]:
    """A wiki's licence name -> one of `License` (its value), with a note when it is a guess or
    unknown."""
    from commons.models.fiche import License

    key = f" {plain_key(value)} "
    words = set(key.split())
    if "cc0" in words or "zero" in words or "domaine public" in key:
        return License.CC0.value, ""
    if "nd" in words or ("nc" in words and "sa" not in words):
        return None, f"licence « {value} » sans équivalent dans le commun : licence par défaut, à vérifier"
    if "nc" in words:
        choice = License.CC_BY_NC_SA_4
    elif "sa" in words:
        choice = License.CC_BY_SA_4
    elif "by" in words:
        choice = License.CC_BY_4
    elif "creative commons" in key or words == {"cc"}:
        default = License.CC_BY_SA_4
        return default.value, f"licence « {value} » sans précision : {default.label} retenue"
    else:
        return None, f"licence « {value} » inconnue : licence par défaut, à vérifier"
    version = re.search(r"\d\.\d", value)
    if version and version.group(0) != "4.0":
        return choice.value, f"licence « {value} » : version 4.0 retenue ({choice.label})"
    return choice.value, ""
