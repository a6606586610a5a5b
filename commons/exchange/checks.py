"""Checks of the exchange format: each problem names its file and field, in French."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

SLUG = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
MAX_SLUG = 100


@dataclass
class Problem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file} — {self.field} : {self.message}" if self.field else f"{self.file} : {self.message}"
        )


class CommonsFilesInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problème(s) dans les fichiers du commun")


def first_line(error: Exception) -> str:
    return " ".join(str(error).split())[:200]


def check_slug(value, file: str, where: str, problems: list[Problem], seen: set[str]) -> None:
    if not isinstance(value, str) or not SLUG.match(value) or len(value) > MAX_SLUG:
        problems.append(
            Problem(
                file,
                where,
                f"identifiant manquant ou invalide (a-z, 0-9, tirets, {MAX_SLUG} caractères au plus)",
            )
        )
    elif value in seen:
        problems.append(Problem(file, where, f"identifiant en double : {value}"))
    else:
        seen.add(value)


def check_text(data: dict, key: str, file: str, where: str, problems, required=False, max_length=None):
    value = data.get(key)
    label = f"{where}.{key}" if where else key
    if value is None or value == "":
        if required:
            problems.append(Problem(file, label, "champ obligatoire"))
        return
    if not isinstance(value, str | int | float):
        problems.append(Problem(file, label, "doit être un texte"))
    elif max_length and len(str(value)) > max_length:
        problems.append(Problem(file, label, f"{len(str(value))} caractères, {max_length} au plus"))


def check_texts(meta: dict, lengths: dict[str, int | None], file: str, problems: list[Problem]) -> None:
    """Optional texts of the front matter, each with its maximum length (None: no limit)."""
    for key, length in lengths.items():
        check_text(meta, key, file, "", problems, max_length=length)


def check_choice(meta: dict, key: str, allowed, file: str, problems: list[Problem]) -> None:
    value = meta.get(key)
    if value not in (None, "") and value not in allowed:
        problems.append(
            Problem(file, key, f"valeur « {value} » inconnue ; valeurs possibles : {', '.join(allowed)}")
        )


def check_references(meta: dict, key: str, known: set[str], file: str, problems: list[Problem]) -> None:
    values = meta.get(key) or []
    if not isinstance(values, list):
        problems.append(Problem(file, key, "doit être une liste"))
        return
    for value in values:
        if not isinstance(value, str) or value not in known:
            problems.append(Problem(file, key, f"référence inconnue : {value}"))


def check_string_list(meta: dict, key: str, file: str, problems: list[Problem]) -> None:
    values = meta.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        problems.append(Problem(file, key, "doit être une liste de textes"))
    elif any(len(v) > 100 for v in values):
        problems.append(Problem(file, key, "un mot-clé fait plus de 100 caractères"))


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_integer(
    meta: dict, key: str, file: str, problems, minimum: int, maximum: int, where: str = ""
) -> None:
    value = meta.get(key)
    if value is None:
        return
    if not is_int(value) or not minimum <= value <= maximum:
        label = f"{where}.{key}" if where else key
        problems.append(Problem(file, label, f"doit être un nombre entier entre {minimum} et {maximum}"))


def check_coordinate(meta: dict, key: str, limit: int, file: str, problems: list[Problem]) -> None:
    value = meta.get(key)
    if value is None:
        return
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or isinstance(value, bool) or not number.is_finite() or not -limit <= number <= limit:
        problems.append(Problem(file, key, f"doit être un nombre entre -{limit} et {limit}"))


def entries_of(meta: dict, key: str, file: str, problems: list[Problem]) -> list:
    """The list under `key` (empty when absent); a problem when it is not a list."""
    entries = meta.get(key) or []
    if not isinstance(entries, list):
        problems.append(Problem(file, key, "doit être une liste"))
        return []
    return entries
