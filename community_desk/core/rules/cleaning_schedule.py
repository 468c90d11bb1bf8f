"""The auto-scheduler of the cleaning service (自动排班). Pure Python, no database.

Each household that wants the service (a Request) may name preferred dates (empty: any day of
the round) and a time slot (不限 / 上午 / 下午). A team serves at most `capacity` households per
day and slot, counting the visits already scheduled. The scheduler places the most constrained
households first, keeps a building with the team already working there, then repairs with
augmenting paths (moving earlier placements to other allowed cells) so that the number placed
is the largest possible. Every household not placed comes back with the reason in Chinese.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ..models.cleaning import SLOTS
from .cleaning import date_text, round_days, span_text

Cell = tuple[dt.date, str, int]  # (date, slot, team id)
MAX_CHAIN = 300  # longest chain of moves tried for one household (keeps the recursion bounded)


@dataclass(frozen=True)
class Request:
    key: int                      # the survey id
    preferred_dates: tuple[dt.date, ...] = ()
    preferred_slot: str = "不限"
    group: str = ""               # building: households of one building go to one team when they can
    order: str = ""               # address, for a stable order


@dataclass
class ScheduleResult:
    placed: dict[int, Cell] = field(default_factory=dict)
    unplaced: dict[int, str] = field(default_factory=dict)  # key -> reason


def _slots(preference: str) -> tuple[str, ...]:
    return SLOTS if preference not in SLOTS else (preference,)


def candidate_cells(request: Request, days: list[dt.date], teams: list[int]) -> list[Cell]:
    wanted = [d for d in request.preferred_dates if d in set(days)] if request.preferred_dates else days
    return [(day, slot, team) for day in wanted for slot in _slots(request.preferred_slot) for team in teams]


def auto_schedule(requests: list[Request], start: dt.date, end: dt.date, teams: list[int], capacity: int,
                  existing: dict[Cell, int] | None = None) -> ScheduleResult:
    """Place requests on (date, slot, team) cells; `existing` counts visits already in each cell."""
    result = ScheduleResult()
    days = round_days(start, end)
    load: dict[Cell, int] = defaultdict(int, existing or {})
    if not teams:
        for r in requests:
            result.unplaced[r.key] = "本批次还没有服务队，请先在批次设置中选择服务队"
        return result
    candidates: dict[int, list[Cell]] = {}
    for r in requests:
        cells = candidate_cells(r, days, teams)
        if not cells:
            wanted = "、".join(date_text(d) for d in r.preferred_dates)
            result.unplaced[r.key] = f"希望日期（{wanted}）不在本批次（{span_text(start, end)}）内"
        else:
            candidates[r.key] = cells
    by_key = {r.key: r for r in requests}
    occupants: dict[Cell, list[int]] = defaultdict(list)
    group_team: dict[tuple[dt.date, str, str], int] = {}

    def free(cell: Cell) -> bool:
        return load[cell] < capacity

    day_load: dict[dt.date, int] = defaultdict(int)
    team_load: dict[int, int] = defaultdict(int)
    for (day, _slot, team), n in load.items():
        day_load[day] += n
        team_load[team] += n

    def put(key: int, cell: Cell) -> None:
        result.placed[key] = cell
        load[cell] += 1
        day_load[cell[0]] += 1
        team_load[cell[2]] += 1
        occupants[cell].append(key)
        group = by_key[key].group
        if group:
            group_team.setdefault((cell[0], cell[1], group), cell[2])

    def take(key: int, cell: Cell) -> None:
        del result.placed[key]
        load[cell] -= 1
        day_load[cell[0]] -= 1
        team_load[cell[2]] -= 1
        occupants[cell].remove(key)

    # 1. greedy, fewest choices first: a cell where the household's building already has a team that
    #    day, else the least loaded day (the earliest on ties) and team, so the visits spread over the
    #    round and its teams
    order = sorted(candidates, key=lambda k: (len(candidates[k]), by_key[k].order, k))
    for key in order:
        request = by_key[key]
        open_cells = [cell for cell in candidates[key] if free(cell)]
        if not open_cells:
            continue
        together = [c for c in open_cells if request.group and group_team.get((c[0], c[1], request.group)) == c[2]]
        put(key, together[0] if together else min(open_cells, key=lambda c: (day_load[c[0]], load[c], team_load[c[2]])))

    # 2. repair: augmenting paths move placed households to free a cell for an unplaced one
    def augment(key: int, seen: set[Cell], depth: int = 0) -> bool:
        if depth > MAX_CHAIN:
            return False
        for cell in candidates[key]:
            if cell in seen:
                continue
            seen.add(cell)
            if free(cell):
                put(key, cell)
                return True
            for other in list(occupants[cell]):
                take(other, cell)
                put(key, cell)
                if augment(other, seen, depth + 1):
                    return True
                take(key, cell)
                put(other, cell)
        return False

    free_total = sum(max(0, capacity - load[(day, slot, team)]) for day in days for slot in SLOTS for team in teams)
    for key in order:
        if free_total == 0:
            break  # every cell of the round is full: no chain of moves can help
        if key not in result.placed and augment(key, set()):
            free_total -= 1

    for key in order:
        if key not in result.placed:
            result.unplaced[key] = _full_reason(by_key[key], days, capacity)
    return result


def _full_reason(request: Request, days: list[dt.date], capacity: int) -> str:
    slot = "" if request.preferred_slot not in SLOTS else request.preferred_slot
    if request.preferred_dates:
        wanted = "、".join(date_text(d) + slot for d in request.preferred_dates if d in set(days))
        return f"希望的 {wanted} 各服务队均已排满（每队每时段最多 {capacity} 户），请改期或增加服务队"
    return f"本批次所有日期的{slot or '各'}时段均已排满（每队每时段最多 {capacity} 户），请延长批次或增加服务队"
