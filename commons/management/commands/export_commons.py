"""`manage.py export_commons DIR`: the published commons as an exchange directory (the backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commons import fiche_types
from commons.exchange.backup import DirectoryNotEmpty, export_commons


class Command(BaseCommand):
    help = (
        "Écrit dans DIR toutes les fiches publiées, la taxonomie, les associations, la feuille de route, "
        "la grille d'autodiagnostic et les fichiers joints, avec leurs sommes de contrôle (SHA256SUMS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Dossier à créer (ou vide).")

    def handle(self, *args, directory: Path, **options):
        try:
            report = export_commons(directory)
        except DirectoryNotEmpty as error:
            raise CommandError(f"Le dossier {error} n'est pas vide : choisissez un dossier vide.") from error
        counts = ", ".join(
            f"{report.count(fiche_type.kind)} {fiche_type.model._meta.verbose_name_plural}"
            for fiche_type in fiche_types.fiche_types()
        )
        summary = f"Commun exporté dans {directory} : {counts} ; {len(report.written)} fichiers."
        self.stdout.write(self.style.SUCCESS(summary))
