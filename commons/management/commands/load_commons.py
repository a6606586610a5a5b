"""`manage.py load_commons`: load the demo content from fixtures/ (validated first, idempotent)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commons.loader import CommonsFilesInvalid, apply_commons, read_commons


class Command(BaseCommand):
    help = "Valide puis charge le contenu du commun (taxonomie, associations, fiches) depuis fixtures/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", type=Path, default=None, help="Dossier des fichiers (par défaut : fixtures/ du projet)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Écraser aussi les fiches modifiées depuis l'administration.",
        )

    def handle(self, *args, path=None, force=False, **options):
        directory = Path(path or settings.COMMONS_FIXTURES_DIR)
        if not directory.is_dir():
            raise CommandError(f"Dossier introuvable : {directory}")
        try:
            bundle = read_commons(directory)
        except CommonsFilesInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"{len(invalid.problems)} problème(s) : rien n'a été modifié.") from invalid
        report = apply_commons(bundle, force=force)
        for label in report.skipped:
            self.stdout.write(f"  ignorée (modifiée dans l'administration) : {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Commun chargé : {len(report.created)} créé(s), {len(report.updated)} mis à jour, "
                f"{len(report.skipped)} ignoré(s)."
            )
        )
