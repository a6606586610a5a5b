"""Admin form of tools: a change of files must come with a new version number."""

import re

from django.utils.translation import gettext_lazy as _

from commons.models.fiche import FicheAdminForm

VERSION_PATTERN = re.compile(r"\A\d+(?:\.\d+){0,3}\Z")


def version_key(version: str) -> tuple[int, ...]:
    """Compare versions number by number: "1.10" > "1.9" > "1", and "1.0" is "1"."""
    parts = [int(part) for part in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


class ToolAdminForm(FicheAdminForm):
    def clean(self):
        cleaned_data = super().clean()
        version = (cleaned_data.get("version") or "").strip()
        if not VERSION_PATTERN.match(version):
            self.add_error("version", _("Un numéro de version s'écrit comme 1, 1.2 ou 2.0.1."))
            return cleaned_data
        published = self.published_tool()
        if (
            published
            and self.files_changed(published)
            and version_key(version) <= version_key(published.version)
        ):
            self.add_error(
                "version",
                _(
                    "Les fichiers de l'outil ont changé : passez la version au-delà de %(version)s "
                    "(par exemple %(next)s)."
                )
                % {"version": published.version, "next": next_version(published.version)},
            )
        return cleaned_data

    def published_tool(self):
        """The tool as it stands in the database (its live version), or None for a new tool."""
        if not self.instance.pk:
            return None
        return type(self.instance).objects.filter(pk=self.instance.pk).prefetch_related("files").first()

    def files_changed(self, published) -> bool:
        """Whether documents were added, removed or replaced (renaming or reordering is no change)."""
        submitted = self.submitted_documents()
        # Invalid files get their own errors; their version is checked once they are valid.
        return submitted is not None and submitted != sorted(
            item.document_id for item in published.files.all()
        )

    def submitted_documents(self) -> list[int] | None:
        formset = self.formsets.get("files")
        if formset is None:
            return []
        # The form is cleaned before its formsets: validate the files first to read them.
        if not formset.is_valid():
            return None
        documents = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("document") and not data.get("DELETE"):
                documents.append(data["document"].pk)
        return sorted(documents)


def next_version(version: str) -> str:
    if not VERSION_PATTERN.match(version or ""):
        return "1.1"
    parts = version.split(".")
    if len(parts) == 1:
        parts.append("0")
    parts[-1] = str(int(parts[-1]) + 1)
    return ".".join(parts)
