"""`manage.py import_mediawiki dump.xml`: import the pages of a MediaWiki export with their history."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commons import fiche_types
from commons.exchange import CommonsFilesInvalid
from commons.management import refusal
from commons.mediawiki import plan_wiki_import, read_wiki_dump, write_wiki_import

NOTHING = "Rien n'a été modifié."


class Command(BaseCommand):
    help = (
        "Importe les pages d'un export XML de MediaWiki (Special:Export, historique complet) : "
        "chaque révision devient une version publiée de la fiche, avec sa date, son auteur et son résumé."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path, help="Fichier XML exporté du wiki.")
        parser.add_argument(
            "--type",
            dest="kind",
            default="methods",
            help="Type des fiches créées (par défaut : methods ; voir commons.fiche_types).",
        )
        parser.add_argument(
            "--form-template",
            default=None,
            help="Nom du modèle de formulaire dont les paramètres sont les champs "
            "(par défaut : le premier modèle de la page à paramètres nommés).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Tout vérifier et afficher ce qui serait fait, sans rien écrire.",
        )

    def handle(self, *args, dump, kind, form_template=None, dry_run=False, **options):
        if kind not in fiche_types.kinds():
            known = ", ".join(sorted(fiche_types.kinds()))
            raise CommandError(f"Type de fiche inconnu : « {kind} » (types possibles : {known}). {NOTHING}")
        if not dump.is_file():
            raise CommandError(f"Fichier introuvable : {dump}. {NOTHING}")
        try:
            wiki = read_wiki_dump(dump)
        except CommonsFilesInvalid as invalid:
            raise refusal(self.stderr, invalid, " dans l'export") from invalid
        fiche_type = fiche_types.fiche_type(kind)
        plan = plan_wiki_import(wiki, fiche_type, form_template)
        self.show_plan(wiki, plan)
        if dry_run:
            count = plan.revision_count
            self.stdout.write(f"Essai : {count} révision(s) seraient importées, rien n'a été écrit.")
            return
        try:
            report = write_wiki_import(plan, fiche_type)
        except Exception as error:
            raise CommandError(f"Import interrompu : {error}. {NOTHING}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Import terminé : {len(report.created)} fiche(s) créée(s), "
                f"{len(report.updated)} mise(s) à jour, "
                f"{report.revisions} révision(s) importée(s)."
            )
        )

    def show_plan(self, wiki, plan) -> None:
        for skipped in wiki.skipped:
            self.stdout.write(f"  ignorée : {skipped}")
        for page in plan.pages:
            if page.left_alone:
                self.stdout.write(f"  {page.wiki_page.title} : {page.left_alone}")
                continue
            self.stdout.write(f"  {page.wiki_page.title} → {page.url} ({len(page.states)} révision(s))")
            for warning in page.warnings:
                self.stdout.write(self.style.WARNING(f"  avertissement — {page.wiki_page.title} — {warning}"))
