# Two commands do everything: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lint venv clean screenshots icons dist install-desktop uninstall-desktop

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,server]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(PY) main.py

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m ruff check .
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# make bench: the normal figures, then the same on a slow PC (taskset, one busy core); SLOW=1 only the slow ones, SLOW=0 none.
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/run.py --slow=$(SLOW)
	QT_QPA_PLATFORM=offscreen $(PY) tools/check_excel_print.py

lint: $(STAMP)
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) build dist *.egg-info

screenshots: $(STAMP)
	xvfb-run -a -s "-screen 0 1440x900x24" $(PY) tools/screenshots.py

# Icons (PNG for Linux, ICO for the Windows .exe) rendered from resources/icons/app.svg.
icons: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tools/make_icons.py

# A one-folder app in dist/community-desk/ (community-desk.exe on Windows). Check it: dist/community-desk/community-desk --smoke
dist: icons
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/community_desk.spec

# The applications-menu entry and desktop icon for the current user, starting this checkout's venv.
install-desktop: icons
	$(PY) -m community_desk.desktop_entry install

uninstall-desktop:
	$(PY) -m community_desk.desktop_entry uninstall
