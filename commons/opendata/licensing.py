"""What every export says about licences and attribution (the `/export/` page says it too)."""

from commons.models.fiche import LICENSE_DEEDS, LICENSE_NAMES, License

SITE_NAME = "Communs des transitions"
ATTRIBUTION_NOTICE = (
    "Chaque fiche a sa propre licence Creative Commons (champs « license » et « license_url »). "
    "Pour réutiliser une fiche, citez son titre, les associations contributrices, « Communs des "
    "transitions », la licence avec son lien et l'adresse de la fiche ; une fiche sous licence "
    "BY-SA ou BY-NC-SA se partage dans les mêmes conditions."
)


def license_entries() -> list[dict]:
    """Every licence a fiche may carry: its code, short label, full name and deed."""
    return [
        {"code": value, "label": label, "name": str(LICENSE_NAMES[value]), "url": LICENSE_DEEDS[value]}
        for value, label in License.choices
    ]


def license_url(code: str) -> str:
    """The deed of a licence code ("" for a code no longer offered)."""
    return LICENSE_DEEDS.get(code, "")


def license_label(code: str) -> str:
    """ "CC BY-SA 4.0" for "CC-BY-SA-4.0" (the code itself if it is no longer offered)."""
    return dict(License.choices).get(code, code)
