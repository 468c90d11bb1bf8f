"""Errors that windows catch without loading what raises them: the database error of the start-up (before the
model layer, peewee and the models, is loaded) and a cancelled export (before openpyxl is)."""


class DatabaseError(RuntimeError):
    """The database cannot be used; the message is plain Chinese."""


class ExportCancelled(Exception):
    """The user cancelled an export; nothing was written."""
