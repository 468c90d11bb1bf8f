"""Windows of the main window, one package per module."""
