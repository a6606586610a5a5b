"""A radar chart of self-assessment levels, worked out on the server and drawn as inline SVG.

One axis per criterion, clockwise from the top; levels 0 to 3 from the centre to the rim. The
template (`includes/radar.html`) draws the rings, the axes with their labels, and one polygon
per series (one diagnostic, or several dates overlaid); a table gives the same figures.
"""

from dataclasses import dataclass
from math import cos, pi, sin

MAX_LEVEL = 3
SIZE = 360  # the viewBox is SIZE × SIZE
RADIUS = 110  # room is left around for the labels


@dataclass(frozen=True)
class Axis:
    label: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str  # text-anchor of the label: start, middle or end


@dataclass(frozen=True)
class Radar:
    size: int
    axes: list[Axis]
    rings: list[str]  # the polygons of levels 1, 2 and 3
    series: list[str]  # one polygon per series of levels


def point(index: int, count: int, level: float) -> tuple[float, float]:
    angle = -pi / 2 + 2 * pi * index / count
    distance = RADIUS * level / MAX_LEVEL
    return round(SIZE / 2 + distance * cos(angle), 1), round(SIZE / 2 + distance * sin(angle), 1)


def polygon(levels: list[float]) -> str:
    return " ".join(f"{x},{y}" for x, y in (point(i, len(levels), level) for i, level in enumerate(levels)))


def anchor_of(x: float) -> str:
    if abs(x - SIZE / 2) < 1:
        return "middle"
    return "start" if x > SIZE / 2 else "end"


def radar(labels: list[str], series: list[list[int]]) -> Radar:
    """`labels` of the criteria in order, and for each series their levels in the same order."""
    count = len(labels)
    axes = []
    for index, label in enumerate(labels):
        x, y = point(index, count, MAX_LEVEL)
        label_x, label_y = point(index, count, MAX_LEVEL * 1.12)
        axes.append(Axis(label, x, y, label_x, label_y + 4, anchor_of(label_x)))
    rings = [polygon([level] * count) for level in range(1, MAX_LEVEL + 1)] if count else []
    return Radar(SIZE, axes, rings, [polygon(levels) for levels in series] if count else [])
