"""The models of territories: the case study page and what it records.

- `territory`: `TerritoryPage` (facts, lessons learned) and the `/territoires/` index;
- `case_study`: the methods used there and by whom, the projects born there, the actions followed;
- `roadmap`: the commons' own roadmap, actions the committee publishes as snippets;
- `assessment`: the self-assessment grid's criteria (snippets) and the diagnostics of a territory.
"""

from territories.models.assessment import Criterion, CriterionMethod, TerritoryDiagnostic
from territories.models.case_study import (
    ActionStatus,
    MethodUse,
    ProjectStatus,
    TerritoryAction,
    TerritoryProject,
)
from territories.models.roadmap import RoadmapAction, RoadmapFicheLink, RoadmapPhase
from territories.models.territory import (
    TerritoryIndexPage,
    TerritoryPage,
    TerritoryPageTag,
    territories_using,
)

__all__ = [
    "ActionStatus",
    "Criterion",
    "CriterionMethod",
    "MethodUse",
    "ProjectStatus",
    "RoadmapAction",
    "RoadmapFicheLink",
    "RoadmapPhase",
    "TerritoryAction",
    "TerritoryDiagnostic",
    "TerritoryIndexPage",
    "TerritoryPage",
    "TerritoryPageTag",
    "TerritoryProject",
    "territories_using",
]
