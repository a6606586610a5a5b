"""`manage.py populate_synthetic`: add (or `--clear`) synthetic fiches for load tests."""

from django.core.management.base import BaseCommand, CommandError

from bench import synthetic


class Command(BaseCommand):
    help = (
        "Ajoute des méthodes, outils et territoires synthétiques publiés (slug « synthetique-… », "
        "mot-clé « contenu-synthetique ») pour les tests de charge ; --clear les supprime, eux seuls. "
        "Relancée, la commande en ajoute d'autres (les slugs restent uniques)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--methods", type=int, default=0, help="Nombre de méthodes à ajouter.")
        parser.add_argument("--territories", type=int, default=0, help="Nombre de territoires à ajouter.")
        parser.add_argument(
            "--tools", type=int, default=None, help="Nombre d'outils à ajouter (par défaut : méthodes ÷ 10)."
        )
        parser.add_argument(
            "--clear", action="store_true", help="Supprimer d'abord toutes les fiches synthétiques."
        )
        parser.add_argument("--seed", type=int, default=0, help="Graine du hasard (contenu reproductible).")
        parser.add_argument(
            "--batch-size", type=int, default=synthetic.BATCH_SIZE, help="Pages écrites par transaction."
        )

    def handle(self, *args, methods, territories, tools, clear, seed, batch_size, **options):
        tools = methods // 10 if tools is None else tools
        if min(methods, territories, tools) < 0 or batch_size < 1:
            raise CommandError("Les nombres doivent être positifs.")
        log = self.stdout.write if options["verbosity"] else (lambda message: None)
        if clear:
            synthetic.clear(batch_size=batch_size, log=log)
        if methods or territories or tools:
            try:
                synthetic.populate(
                    methods=methods,
                    territories=territories,
                    tools=tools,
                    seed=seed,
                    batch_size=batch_size,
                    log=log,
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
