"""Demo data of the links between modules: each cleaning team names three active volunteers (their
visits count as volunteer hours), and the first problem found on a visit is already a 我来办 request.
Gate fever entries of the volunteer demo are left to be taken up (门岗发热待转). All invented."""
from __future__ import annotations

import datetime as dt
import random

from ..models import ServiceTeam, Visit, Volunteer
from ..queries import links


def add(rng: random.Random, today: dt.date) -> None:
    active = [v.id for v in Volunteer.select(Volunteer.id).where(Volunteer.active == True).order_by(Volunteer.id)]  # noqa: E712
    for team in ServiceTeam.select().order_by(ServiceTeam.id):
        if len(active) >= 3:
            picked = rng.sample(active, 3)
            active = [v for v in active if v not in picked]
            links.set_team_volunteers(team.id, picked)
    found = Visit.select().where((Visit.problems != "") & (Visit.request_number == "")).order_by(Visit.date, Visit.id).first()
    if found is not None:
        day = found.date if isinstance(found.date, dt.date) else dt.date.fromisoformat(str(found.date))
        links.visit_to_request(found.id, now=dt.datetime.combine(min(day, today), dt.time(16, 30)))
