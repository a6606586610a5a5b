"""`manage.py import_commons DIR`: read back an export (all or nothing, new revisions only)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from commons.exchange import CommonsFilesInvalid
from commons.exchange.backup import import_commons
from commons.management import refusal


class Command(BaseCommand):
    help = (
        "Valide tout le dossier DIR (écrit par export_commons ou à la main) puis l'importe : chaque fiche "
        "créée ou modifiée reçoit une nouvelle version publiée avec un résumé de modification ; rien "
        "n'est modifié si un seul fichier est invalide."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Dossier à importer.")
        parser.add_argument(
            "--note",
            default="",
            help="Résumé de modification des nouvelles versions (par défaut : « Import du <date> »).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Écraser aussi les fiches modifiées depuis l'administration."
        )

    def handle(self, *args, directory: Path, note: str = "", force: bool = False, **options):
        if not directory.is_dir():
            raise CommandError(f"Dossier introuvable : {directory}")
        note = note.strip() or f"Import du {timezone.localdate():%d/%m/%Y} depuis {directory.name}"
        try:
            report = import_commons(directory, change_note=note[:255], force=force)
        except CommonsFilesInvalid as invalid:
            raise refusal(self.stderr, invalid) from invalid
        for label in report.skipped:
            self.stdout.write(f"  ignorée (modifiée dans l'administration) : {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Import terminé : {len(report.created)} créé(s), {len(report.updated)} mis à jour, "
                f"{len(report.skipped)} ignoré(s)."
            )
        )
