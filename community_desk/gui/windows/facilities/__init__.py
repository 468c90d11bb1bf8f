"""Facility log window (设施台账): list, planned projects, form with history and photos."""
