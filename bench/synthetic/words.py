"""The word lists synthetic fiches are written from, and the marks that tell them apart.

Built by hand from the vocabulary of the demo fiches, so that no library is needed at run time.
"""

from collections.abc import Callable

SLUG_PREFIX = "synthetique-"
SYNTHETIC_TAG = "contenu-synthetique"
SYNTHETIC_CREDITS = "Contenu synthétique de test"
BATCH_SIZE = 1000
INDEX_BATCH_SIZE = 500
# Bodies are drawn from a pool per kind, so each distinct body is rendered to HTML only once.
BODY_POOL_SIZE = 200
PUBLISHED_WITHIN_DAYS = 4 * 365

Log = Callable[[str], None]

METHOD_FORMATS = [
    ("Atelier", "m"), ("Forum", "m"), ("Balade", "f"), ("Café", "m"), ("Cercle", "m"),
    ("Conseil", "m"), ("Chantier", "m"), ("Carte", "f"), ("Fresque", "f"), ("Jeu", "m"),
    ("Enquête", "f"), ("Marche", "f"), ("Veillée", "f"), ("Laboratoire", "m"), ("Parcours", "m"),
    ("Panel", "m"), ("Assemblée", "f"), ("Rallye", "m"), ("Théâtre-forum", "m"), ("Résidence", "f"),
]  # fmt: skip
ADJECTIVES = [
    ("participatif", "participative"), ("collaboratif", "collaborative"), ("citoyen", "citoyenne"),
    ("ouvert", "ouverte"), ("intergénérationnel", "intergénérationnelle"),
    ("itinérant", "itinérante"), ("sensible", "sensible"), ("coopératif", "coopérative"),
    ("prospectif", "prospective"), ("appréciatif", "appréciative"), ("partagé", "partagée"),
    ("communal", "communale"), ("rural", "rurale"), ("nocturne", "nocturne"), ("express", "express"),
]  # fmt: skip
SUBJECTS = [
    "l'alimentation locale", "les mobilités partagées", "l'énergie citoyenne", "les communs du village",
    "la ressource en eau", "les haies et le bocage", "le centre-bourg", "les tiers-lieux",
    "la sobriété foncière", "les circuits courts", "l'habitat partagé", "la biodiversité ordinaire",
    "les savoir-faire locaux", "le lien entre générations", "la rénovation énergétique",
    "les chemins ruraux", "la forêt communale", "le patrimoine bâti", "l'accueil des nouveaux habitants",
    "la vie associative", "les jardins partagés", "la gestion des déchets", "l'économie circulaire",
    "l'adaptation au climat", "les risques d'inondation", "la santé environnementale",
    "la culture commune", "les services de proximité", "l'emploi local", "la transition agricole",
]  # fmt: skip
GOALS = [
    "faire émerger des projets portés par les habitants", "croiser les regards des élus et des habitants",
    "partager un diagnostic du territoire", "décider ensemble des priorités",
    "donner la parole à celles et ceux qu'on n'entend jamais", "construire une vision commune",
    "mettre en récit les initiatives locales", "installer une gouvernance partagée",
    "repérer les ressources et les vulnérabilités", "passer des idées aux actions",
]  # fmt: skip
ASIDES = [
    "Adapté aux petites communes rurales.", "Sans prérequis d'animation.",
    "Éprouvé sur plusieurs territoires partenaires.", "À combiner avec un temps de restitution.",
    "Convient aussi aux intercommunalités.", "Idéal pour lancer une dynamique collective.",
]  # fmt: skip
TOOL_NOUNS = [
    "Grille", "Canevas", "Jeu de cartes", "Kit", "Guide", "Fiche-repère", "Tableau de bord", "Gabarit",
    "Boîte à outils", "Questionnaire", "Frise", "Plateau de jeu",
]  # fmt: skip
TOOL_PURPOSES = [
    "d'autodiagnostic", "d'animation", "de suivi", "de cartographie", "de priorisation",
    "de concertation", "d'évaluation", "de mise en récit",
]  # fmt: skip
PLACE_PREFIXES = ["Saint-", "Sainte-", "", "", "", "Le ", "La ", "Les ", "Villers-", "Mont-"]
PLACE_ROOTS = [
    "Amand", "Bourg", "Champagnac", "Marsac", "Val", "Roche", "Fontaine", "Ville", "Bois", "Pré",
    "Lac", "Crozant", "Aubusson", "Chassagne", "Vernet", "Montbel", "Rieux", "Lussac", "Sauve",
    "Brion", "Cérilly", "Fléac", "Gours", "Jarnac", "Lavaur", "Noirmont", "Péret", "Soubise",
]  # fmt: skip
PLACE_SUFFIXES = [
    "", "", "", "-sur-Vienne", "-en-Bresse", "-le-Château", "-les-Bains", "-de-Montagne", "-sur-Loire",
    "-la-Forêt", "-le-Vieux", "-d'Auvergne",
]  # fmt: skip
# Rural départements: name, code, région, and the rough centre of the map (latitude, longitude).
DEPARTEMENTS = [
    ("Ain", "01", "Auvergne-Rhône-Alpes", 46.1, 5.35),
    ("Allier", "03", "Auvergne-Rhône-Alpes", 46.4, 3.2),
    ("Ardèche", "07", "Auvergne-Rhône-Alpes", 44.75, 4.4),
    ("Cantal", "15", "Auvergne-Rhône-Alpes", 45.05, 2.65),
    ("Corrèze", "19", "Nouvelle-Aquitaine", 45.35, 1.9),
    ("Creuse", "23", "Nouvelle-Aquitaine", 46.05, 2.0),
    ("Deux-Sèvres", "79", "Nouvelle-Aquitaine", 46.55, -0.3),
    ("Vienne", "86", "Nouvelle-Aquitaine", 46.55, 0.45),
    ("Haute-Vienne", "87", "Nouvelle-Aquitaine", 45.9, 1.25),
    ("Gers", "32", "Occitanie", 43.7, 0.45),
    ("Lozère", "48", "Occitanie", 44.5, 3.5),
    ("Nièvre", "58", "Bourgogne-Franche-Comté", 47.1, 3.5),
    ("Jura", "39", "Bourgogne-Franche-Comté", 46.7, 5.7),
    ("Morbihan", "56", "Bretagne", 47.85, -2.8),
    ("Orne", "61", "Normandie", 48.6, 0.1),
    ("Haute-Marne", "52", "Grand Est", 48.1, 5.2),
    ("Haute-Savoie", "74", "Auvergne-Rhône-Alpes", 46.0, 6.35),
    ("Drôme", "26", "Auvergne-Rhône-Alpes", 44.7, 5.15),
]
TAG_NAMES = [
    "atelier", "diagnostic", "intelligence collective", "démocratie locale", "récit", "village",
    "jeunes", "porte-à-porte", "prospective", "éducation populaire", "coopération intercommunale",
    "espace public", "alimentation", "énergie", "mobilité", "eau", "biodiversité", "tiers-lieu",
    "gouvernance", "évaluation", "cartographie", "lien social", "climat", "sobriété", "habitat",
]  # fmt: skip

OBJECTIVES = [
    "Permettre à chacun de **prendre la parole**, y compris les personnes les plus éloignées des instances.",
    "Faire émerger des **projets concrets** portés par celles et ceux qui les proposent.",
    "Partager une **lecture commune** des forces et des fragilités du territoire.",
    "Relier les initiatives existantes et **éviter les doublons**.",
    "Donner aux élus des **priorités argumentées** par les habitants.",
    "Identifier les personnes **prêtes à s'engager** dans la durée.",
    "Produire un **compte rendu partagé**, lisible par tous.",
    "Rendre visibles les **ressources locales** : savoir-faire, lieux, réseaux.",
    "Installer une **habitude de coopération** entre la mairie et les associations.",
]  # fmt: skip
STEPS = [
    ("Préparer", "constituer une petite équipe d'animation et fixer la question de départ"),
    ("Inviter largement", "aller chercher les habitants là où ils sont : marché, école, associations"),
    ("Accueillir", "présenter le cadre, les règles du jeu et le déroulé de la séance"),
    ("Explorer", "travailler en petits groupes de quatre à six personnes, en changeant de table"),
    ("Cartographier", "placer sur une grande carte les lieux, les acteurs et les ressources cités"),
    ("Mettre en commun", "chaque groupe présente en trois minutes ce qu'il retient"),
    ("Prioriser", "chacun dispose de trois gommettes pour choisir les pistes à creuser"),
    ("Décider", "les pistes retenues reçoivent un ou une référente et une première date"),
    ("Restituer", "publier un compte rendu illustré dans le bulletin municipal"),
    ("Suivre", "faire le point trois mois plus tard avec les personnes engagées"),
]  # fmt: skip
STEP_DURATIONS = ["15 min", "20 min", "30 min", "45 min", "1 h", "1 h 30"]
CONDITIONS = [
    "Un **portage politique** clair : les élus s'engagent à répondre aux propositions.",
    "Une **animation neutre**, si possible extérieure à la commune.",
    "Des horaires et un lieu **accessibles** (garde d'enfants, transport).",
    "Un **retour rapide** aux participants sur ce qui a été décidé.",
    "Une question de départ **ouverte** et mobilisatrice.",
    "Du temps pour **préparer** : compter trois à six semaines.",
]  # fmt: skip
VIGILANCE = [
    "Ne pas annoncer de décisions déjà prises : la confiance se perd vite.",
    "Veiller à la **diversité** des participants, au-delà des habitués.",
    "Ne pas multiplier les réunions sans suite visible.",
    "Garder du temps pour la convivialité : c'est elle qui fait revenir.",
    "Prévoir qui rédige le compte rendu **avant** la séance.",
    "Éviter le jargon technique dans les supports.",
]  # fmt: skip
FURTHER = [
    "La fiche « Atelier de solutions » de ce commun.",
    "Les ressources du réseau des territoires en transition.",
    "Le guide de la concertation locale publié par l'ADEME.",
    "Les retours d'expérience des territoires partenaires, dans la rubrique Territoires.",
]  # fmt: skip
TOOL_USES = [
    "Cet outil aide un groupe à **structurer sa réflexion** sans expertise préalable.",
    "Il se remplit en séance, à plusieurs, sur une grande feuille ou un tableau partagé.",
    "Il sert aussi de **support de restitution** pour les élus et les habitants.",
    "Il se réutilise d'une année sur l'autre pour **mesurer le chemin parcouru**.",
]  # fmt: skip
TOOL_CONTENTS = [
    "une grille à imprimer en A3", "un jeu de cartes questions", "un guide d'animation de quatre pages",
    "un tableau de suivi au format tableur", "des exemples remplis par des territoires partenaires",
    "un modèle de compte rendu",
]  # fmt: skip
TERRITORY_CONTEXTS = [
    "La commune a perdu son dernier commerce et cherche à recréer des lieux de rencontre.",
    "Le territoire accueille de nombreux nouveaux habitants venus de la ville voisine.",
    "Les élus voulaient associer davantage les habitants à l'élaboration des projets communaux.",
    "Une association locale très active a porté la demande d'accompagnement.",
    "Les épisodes de sécheresse répétés ont mis la question de l'eau au cœur des débats.",
    "Le conseil municipal, renouvelé en grande partie, souhaitait changer de méthode.",
]  # fmt: skip
TERRITORY_APPROACHES = [
    "Une équipe locale d'une dizaine de personnes a été constituée dès le départ.",
    "Un porte-à-porte appréciatif a permis de recueillir la parole de plus d'une centaine de foyers.",
    "Trois ateliers publics ont rassemblé élus, habitants et acteurs économiques.",
    "Une balade sensible a ouvert la démarche, suivie d'un forum ouvert au printemps.",
    "Les propositions ont été présentées en conseil municipal, puis votées.",
]  # fmt: skip
TERRITORY_RESULTS = [
    "Un jardin partagé a vu le jour derrière la salle des fêtes.",
    "Un groupe d'habitants gère désormais une boîte à livres et un café associatif.",
    "La commune a créé une commission extra-municipale ouverte à tous.",
    "Un covoiturage solidaire relie le bourg aux hameaux deux fois par semaine.",
    "Plusieurs projets ont été inscrits au budget communal de l'année suivante.",
]  # fmt: skip
TERRITORY_LESSONS = [
    "Le temps long est indispensable : les premiers résultats visibles arrivent après un an.",
    "Aller vers les habitants a été plus efficace que les réunions publiques classiques.",
    "Le relais par des habitants engagés conditionne la durée de la dynamique.",
    "La transparence sur ce que la mairie peut ou ne peut pas faire a renforcé la confiance.",
]  # fmt: skip
HOW_IT_WENT = [
    "La méthode a bien fonctionné, avec une participation au-delà des attentes.",
    "Il a fallu adapter le format aux contraintes horaires des habitants.",
    "Une première séance peu suivie, puis une seconde beaucoup plus riche après un travail d'invitation.",
    "Les élus ont repris les propositions dans leur programme d'actions.",
    "Utilisée deux fois, à un an d'intervalle, pour mesurer les évolutions.",
]  # fmt: skip
WOULD_DO_DIFFERENTLY = [
    "", "", "Prévoir des rendez-vous en journée autant qu'en soirée.",
    "Associer les habitants à l'équipe dès le premier jour.",
    "Annoncer dès le départ comment les résultats seront restitués.",
]  # fmt: skip
PROJECT_TITLES = [
    "Jardin partagé", "Épicerie coopérative", "Covoiturage organisé", "Tiers-lieu associatif",
    "Sentier de découverte", "Ateliers de réparation", "Fête de village renouvelée",
    "Plan de sobriété énergétique", "Marché de producteurs", "Rénovation de l'école",
]  # fmt: skip
ACTION_TITLES = [
    "Rencontrer les associations locales", "Restituer les résultats aux élus", "Recruter des facilitateurs",
    "Organiser l'atelier de solutions", "Publier la synthèse", "Rechercher un financement",
    "Faire le point avec l'équipe locale", "Documenter les projets",
]  # fmt: skip
MATERIALS = [
    "Grandes feuilles, feutres, gommettes", "Une carte du territoire au format A0, post-it",
    "Un vidéoprojecteur et une salle modulable", "Des tables pour quatre à six personnes, une cloche",
    "Des cartes imprimées, un minuteur",
]  # fmt: skip
DURATION_DETAILS = {
    "moins-2h": ["1 h 30 environ", "Trois tours de 20 minutes"],
    "demi-journee": ["Une matinée", "De 14 h à 18 h"],
    "journee": ["Une journée avec repas partagé", "De 9 h 30 à 17 h"],
    "plusieurs-seances": ["Trois séances de deux heures", "Quatre rencontres sur deux mois"],
    "plusieurs-mois": ["Six mois à un an", "Une saison entière"],
}
