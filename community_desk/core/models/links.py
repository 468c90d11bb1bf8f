"""Links between modules built apart (issue: integrations): volunteers named as members of a
window-cleaning service team. The text `ServiceTeam.members` stays for staff who are not volunteers."""
from __future__ import annotations

from peewee import ForeignKeyField

from .base import BaseModel
from .cleaning import ServiceTeam
from .volunteers import Volunteer


class TeamVolunteer(BaseModel):
    team = ForeignKeyField(ServiceTeam, backref="volunteer_links", on_delete="CASCADE")
    volunteer = ForeignKeyField(Volunteer, backref="cleaning_team_links", on_delete="CASCADE")

    class Meta:
        table_name = "team_volunteer"
        indexes = ((("team", "volunteer"), True),)


LINK_MODELS = [TeamVolunteer]
