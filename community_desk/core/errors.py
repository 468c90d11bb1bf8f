"""The database error of the start-up, in a module of its own: the window's start-up raises and catches it before
the model layer (peewee, the models) is loaded."""


class DatabaseError(RuntimeError):
    """The database cannot be used; the message is plain Chinese."""
