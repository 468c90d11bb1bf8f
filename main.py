"""Entry point: `python main.py` opens the window, `python main.py COMMAND` runs a command."""
import sys

from community_desk.app import main

if __name__ == "__main__":
    sys.exit(main())
