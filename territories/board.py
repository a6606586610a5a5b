"""An actions board: the actions of a territory, or of the commons' roadmap, in three columns."""

from dataclasses import dataclass, field

from territories.models.case_study import ActionStatus


@dataclass
class BoardColumn:
    status: str
    label: str
    actions: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.actions)


def actions_board(actions) -> list[BoardColumn]:
    """ "À faire", "En cours", "Fait", each with its actions in their given order."""
    columns = {status: BoardColumn(status, label) for status, label in ActionStatus.choices}
    for action in actions:
        columns.get(action.status, columns[ActionStatus.TODO]).actions.append(action)
    return list(columns.values())
