"""The quarantine tracker window (隔离管控): today view, case list, case form, import, notices."""
