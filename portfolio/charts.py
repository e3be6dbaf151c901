"""The portfolio matrix: customer attractiveness x our relative position.

Geometry only; the template draws the SVG. Both scales run 1-5, so the plot
is a 5 x 5 grid of cells. Accounts sharing a cell are spread on a small
circle around the cell's centre so none hides another; bubble area grows
with revenue. A cell of more than MAX_PER_CELL accounts is one bubble that
counts them and leads to the portfolio list of that cell: a portfolio of
thousands draws at most 25 x MAX_PER_CELL bubbles, not one per account
(5,000 made a page of 1.9 MB that took half a second to render).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from core.collation import name_key

WIDTH = 720
HEIGHT = 560
LEFT = 70  # room for the y axis label and ticks
TOP = 20
RIGHT = 20
BOTTOM = 60  # room for the x axis label and ticks
CELL_W = (WIDTH - LEFT - RIGHT) / 5
CELL_H = (HEIGHT - TOP - BOTTOM) / 5
MIN_R = 7.0
MAX_R = 30.0
# Beyond this many bubbles, only the largest carry a visible label; all keep
# their name as an accessible title and appear in the table alternative.
MAX_LABELS = 40
# More accounts than this in one cell: one bubble for the cell, and the table
# lists the cell's largest by revenue with a link to the rest.
MAX_PER_CELL = 8


@dataclass(frozen=True)
class Bubble:
    name: str
    url: str
    classification: str
    attractiveness: int
    position: int
    revenue: Decimal
    x: float
    y: float
    r: float
    labelled: bool
    # More than one: the bubble stands for this many accounts of its cell.
    count: int = 1

    @property
    def label_y(self) -> float:
        return self.y + self.r + 13


@dataclass(frozen=True)
class Tick:
    value: int
    at: float


def frame() -> dict[str, float]:
    """Where the template draws the plot area, its quadrants and axis labels."""
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "top": TOP,
        "right": right,
        "bottom": bottom,
        "mid_x": (LEFT + right) / 2,
        "mid_y": (TOP + bottom) / 2,
        "half_w": (right - LEFT) / 2,
        "half_h": (bottom - TOP) / 2,
        "x_tick_y": bottom + 18,
        "y_tick_x": LEFT - 10,
        "x_label_y": HEIGHT - 12,
    }


def cell_centre(position: int, attractiveness: int) -> tuple[float, float]:
    """Centre of a cell: position grows to the right, attractiveness upwards."""
    x = LEFT + (position - 0.5) * CELL_W
    y = TOP + (5 - attractiveness + 0.5) * CELL_H
    return x, y


def bubbles(rows: list[dict], cell_url: Callable[[int, int], str] | None = None) -> list[Bubble]:
    """rows: name, url, classification, attractiveness, relative_position, revenue.

    `cell_url(attractiveness, position)`: where the bubble of a crowded cell
    leads; without it every account is a bubble of its own.
    """
    top_revenue = max((r["revenue"] for r in rows), default=Decimal(0)) or Decimal(1)
    labelled = {id(r) for r in sorted(rows, key=lambda r: r["revenue"], reverse=True)[:MAX_LABELS]}
    result: list[Bubble] = []
    # Column by column, each from the bottom: the drawing order of equal bubbles.
    by_column = sorted(_by_cell(rows).items(), key=lambda item: (item[0][1], item[0][0]))
    for (attractiveness, position), members in by_column:
        cx, cy = cell_centre(position, attractiveness)
        if cell_url is not None and len(members) > MAX_PER_CELL:
            result.append(_cell_bubble(members, cell_url(attractiveness, position), (cx, cy)))
            continue
        members.sort(key=lambda r: r["revenue"], reverse=True)
        spread = min(CELL_W, CELL_H) * 0.28 if len(members) > 1 else 0.0
        for i, row in enumerate(members):
            angle = 2 * math.pi * i / len(members) - math.pi / 2
            # Area proportional to revenue: radius grows with its square root.
            share = math.sqrt(float(row["revenue"] / top_revenue)) if row["revenue"] > 0 else 0
            result.append(
                Bubble(
                    name=row["name"],
                    url=row["url"],
                    classification=row["classification"],
                    attractiveness=attractiveness,
                    position=position,
                    revenue=row["revenue"],
                    x=round(cx + spread * math.cos(angle), 1),
                    y=round(cy + spread * math.sin(angle), 1),
                    r=round(MIN_R + (MAX_R - MIN_R) * share / max(1, len(members) ** 0.5), 1),
                    labelled=id(row) in labelled and len(members) <= 4,
                )
            )
    # Small bubbles last, so they are drawn on top and stay clickable.
    result.sort(key=lambda b: b.r, reverse=True)
    return result


def _by_cell(rows: list[dict]) -> dict[tuple[int, int], list[dict]]:
    """The rows of each cell, keyed (attractiveness, position), in the rows' order."""
    cells: dict[tuple[int, int], list[dict]] = {}
    for row in rows:
        cells.setdefault((row["attractiveness"], row["relative_position"]), []).append(row)
    return cells


def _cell_bubble(members: list[dict], url: str, centre: tuple[float, float]) -> Bubble:
    """One bubble for a crowded cell: as large as a bubble gets, its count inside."""
    first = members[0]
    return Bubble(
        name="",
        url=url,
        classification="",
        attractiveness=first["attractiveness"],
        position=first["relative_position"],
        revenue=sum((m["revenue"] for m in members), Decimal(0)),
        x=round(centre[0], 1),
        y=round(centre[1], 1),
        r=MAX_R,
        labelled=False,
        count=len(members),
    )


def x_ticks() -> list[Tick]:
    return [Tick(v, LEFT + (v - 0.5) * CELL_W) for v in range(1, 6)]


def y_ticks() -> list[Tick]:
    return [Tick(v, TOP + (5 - v + 0.5) * CELL_H) for v in range(1, 6)]


@dataclass(frozen=True)
class Cell:
    """A cell of the table alternative: its accounts by name, and how many more it holds."""

    accounts: list[dict]
    more: int = 0
    url: str = ""


def grid_table(
    rows: list[dict], cell_url: Callable[[int, int], str] | None = None
) -> list[tuple[int, list[Cell]]]:
    """The table alternative: attractiveness 5..1 x position 1..5, accounts per cell.

    With `cell_url`, a cell of more than MAX_PER_CELL accounts lists its
    largest by revenue and links to the rest (`more`, `url`).
    """
    members = _by_cell(rows)

    def cell(a: int, p: int) -> Cell:
        found = members.get((a, p), [])
        if cell_url is None or len(found) <= MAX_PER_CELL:
            return Cell(sorted(found, key=lambda r: name_key(r["name"])))
        largest = sorted(found, key=lambda r: (-r["revenue"], name_key(r["name"])))[:MAX_PER_CELL]
        return Cell(
            sorted(largest, key=lambda r: name_key(r["name"])),
            more=len(found) - MAX_PER_CELL,
            url=cell_url(a, p),
        )

    return [(a, [cell(a, p) for p in range(1, 6)]) for a in range(5, 0, -1)]
