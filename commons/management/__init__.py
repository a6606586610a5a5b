"""The commands of the commons (`commands/`) and what they share."""

from django.core.management.base import CommandError


def refusal(stderr, invalid, where: str = "") -> CommandError:
    """Write each problem of a refused import to `stderr`; the error that ends the command.

    `invalid` is a `CommonsFilesInvalid`; every import is all or nothing, so nothing changed."""
    for problem in invalid.problems:
        stderr.write(f"  {problem}")
    return CommandError(f"{len(invalid.problems)} problème(s){where} : rien n'a été modifié.")
