"""`manage.py load_commons`: load the demo content from fixtures/ (validated first, idempotent)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from commons.exchange import CommonsFilesInvalid, apply_commons, read_commons
from commons.management import refusal


class Command(BaseCommand):
    help = "Valide puis charge le contenu du commun (taxonomie, associations, fiches) depuis fixtures/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", type=Path, default=None, help="Dossier des fichiers (par défaut : fixtures/ du projet)."
        )
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Créer aussi un compte éditeur et un compte du comité par association (DEBUG seulement).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Écraser aussi les fiches modifiées depuis l'administration.",
        )

    def handle(self, *args, path=None, force=False, demo_users=False, **options):
        if demo_users and not settings.DEBUG:
            raise CommandError("--demo-users n'est permis qu'en développement (DEBUG activé).")
        directory = Path(path or settings.COMMONS_FIXTURES_DIR)
        if not directory.is_dir():
            raise CommandError(f"Dossier introuvable : {directory}")
        try:
            bundle = read_commons(directory)
        except CommonsFilesInvalid as invalid:
            raise refusal(self.stderr, invalid) from invalid
        report = apply_commons(bundle, force=force)
        for label in report.skipped:
            self.stdout.write(f"  ignorée (modifiée dans l'administration) : {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Commun chargé : {len(report.created)} créé(s), {len(report.updated)} mis à jour, "
                f"{len(report.skipped)} ignoré(s)."
            )
        )
        if demo_users:
            self.show_demo_users()

    def show_demo_users(self):
        from commons.editing.demo_users import create_demo_users

        self.stdout.write("Comptes de démonstration (les mots de passe ne sont affichés qu'une fois) :")
        for account in create_demo_users():
            password = account.password or "(compte existant, mot de passe inchangé)"
            self.stdout.write(
                f"  {account.username:<24} {account.role:<18} {account.association:<14} {password}"
            )
