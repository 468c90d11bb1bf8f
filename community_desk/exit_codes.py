"""Exit codes of the program and its commands (a module of its own so the window path need not import cli)."""
EXIT_OK = 0
EXIT_BAD_INPUT = 2  # bad input: a one-line Chinese-and-English error on stderr
