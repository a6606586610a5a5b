"""Methods and tools in the exchange format (`commons.exchange`): their own fields and checks."""

from commons.exchange import ExchangeFields, Extra, document_for
from commons.exchange.checks import Problem, check_choice, check_integer, check_text, check_texts, is_int
from methods.models import MethodPage, ToolFile


def validate_method(meta: dict, name: str, problems: list[Problem]) -> None:
    for key, choices in [
        ("audience", MethodPage.Audience),
        ("duration", MethodPage.Duration),
        ("difficulty", MethodPage.Difficulty),
        ("cost", MethodPage.Cost),
    ]:
        check_choice(meta, key, choices.values, name, problems)
    check_texts(meta, {"duration_detail": 200, "materials": None}, name, problems)
    for size in ("group_size_min", "group_size_max"):
        check_integer(meta, size, name, problems, minimum=1, maximum=1_000_000)
    low, high = meta.get("group_size_min"), meta.get("group_size_max")
    if is_int(low) and is_int(high) and low > high:
        problems.append(Problem(name, "group_size_min", "doit être inférieur ou égal à group_size_max"))


METHOD_FIELDS = ExchangeFields(
    scalars={
        "audience": "tous",
        "group_size_min": None,
        "group_size_max": None,
        "duration": "",
        "duration_detail": "",
        "difficulty": "",
        "cost": "",
        "materials": "",
    },  # fmt: skip
    relations={"phases": "phases", "tools": "tools"},
    validate=validate_method,
)


def validate_tool(meta: dict, name: str, problems: list[Problem]) -> None:
    check_texts(meta, {"version": 20, "changelog": None}, name, problems)


def validate_files(fiche, known, problems: list[Problem]) -> None:
    """Each file is a path inside the tools' folder, with an optional title."""
    files = fiche.meta.get("files") or []
    if not isinstance(files, list):
        problems.append(Problem(fiche.name, "files", "doit être une liste"))
        return
    base = fiche.path.parent.resolve()
    for position, entry in enumerate(files, start=1):
        where = f"files[{position}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            problems.append(Problem(fiche.name, where, "chaque fichier doit avoir un chemin « path »"))
            continue
        check_text(entry, "title", fiche.name, where, problems, max_length=200)
        target = (base / entry["path"]).resolve()
        if not target.is_relative_to(base) or not target.is_file():
            problems.append(Problem(fiche.name, f"{where}.path", f"fichier introuvable : {entry['path']}"))


def files_in_file(fiche) -> tuple:
    """(document id, title) of each file, each stored once as a Wagtail document."""
    files = []
    for entry in fiche.meta.get("files") or []:
        title = str(entry.get("title") or "").strip()
        files.append((document_for(fiche.path.parent / entry["path"], title).pk, title))
    return tuple(files)


def files_of_page(page) -> tuple:
    return tuple((item.document_id, item.title) for item in page.files.all())


def export_files(page, context) -> list[dict]:
    """Each file copied next to the tool's file, named after its title (`writing.ExportContext`)."""
    exported = []
    for item in page.files.all():
        entry = {"path": context.add(item.document, item.title or item.document.title)}
        if item.title.strip():
            entry["title"] = item.title.strip()
        exported.append(entry)
    return exported


def assign_files(page, files: tuple) -> None:
    page.files = [ToolFile(document_id=document_id, title=title) for document_id, title in files]


TOOL_FIELDS = ExchangeFields(
    scalars={"version": "1.0", "changelog": ""},
    validate=validate_tool,
    extras=(
        Extra(
            "files",
            validate=validate_files,
            desired=files_in_file,
            current=files_of_page,
            assign=assign_files,
            export=export_files,
            prefetch=("files__document",),
        ),
    ),
)
