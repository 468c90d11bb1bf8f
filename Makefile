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

# make test: everything on SQLite, then the core suite and the server commands again on PostgreSQL when
# COMMUNITY_DESK_TEST_PG names one (.ci/run starts a throwaway cluster: tools/pg_throwaway.sh).
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m ruff check .
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q
	@if [ -n "$$COMMUNITY_DESK_TEST_PG" ]; then \
		echo "The core suite on PostgreSQL ($$COMMUNITY_DESK_TEST_PG):"; \
		DESK_TEST_ENGINE=postgres QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/unit/core tests/integration/test_server_cli.py \
			tests/unit/gui/test_every_button.py; \
	else \
		echo "PostgreSQL pass skipped: $${COMMUNITY_DESK_TEST_PG_SKIP:-COMMUNITY_DESK_TEST_PG is not set (.ci/run starts one)}"; \
	fi

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
