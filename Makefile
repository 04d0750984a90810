# werkdata: `make run` sets up .venv and publishes; `make check` is the inner loop (lint and the
# tests not marked slow); `make test` is what CI runs.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HAS_UV := $(shell command -v uv 2>/dev/null)
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: install run check test lint browser screenshot bench stress lock clean demo

# Create .venv when missing and install the exact versions of requirements.lock (uv when
# present, else pip), then the project itself without resolving anything again.
$(STAMP): requirements.lock pyproject.toml
ifdef HAS_UV
	@test -x $(PY) || uv venv --quiet --python python3 $(VENV)
	uv pip sync --quiet --python $(PY) requirements.lock
	uv pip install --quiet --python $(PY) --no-deps -e .
else
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
endif
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/werkdata publish

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# The page tests need a real browser: Debian's chromium, installed here when missing (as root;
# otherwise it says what to run). The tests fail, never skip, when CI=true and it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: sudo apt-get install chromium"; fi; }

# The estimation tests compare every estimate with R's survey package itself
# (tests/estimate/test_against_r.py): Debian's r-base-core and r-cran-survey, installed here when
# R or survey is missing (as root; otherwise it says what to run). The tests fail, never skip,
# when CI=true and either is missing. `make test` installs it first.
.PHONY: r
r:
	@Rscript -e 'quit(status = !nzchar(system.file(package = "survey")))' >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    apt-get install -y -qq r-base-core r-cran-survey >/dev/null; \
	  else echo "R's survey package is missing: sudo apt-get install r-base-core r-cran-survey"; fi; }

# The suite runs in parallel (pytest-xdist): 2 workers, one per core of the 2-core machine it is
# measured on; a third would only share those cores and start one more Prefect harness. With
# `--dist loadgroup` the tests of one xdist_group run one after another in one worker: `serial`
# holds the tests that must not run beside each other (they time a publish or race one, start
# servers or Dask clusters on ports they pick, or keep both cores busy: the kill trials, Dask,
# `werkdata serve`, concurrent publishes, the estimation and checkout benchmarks); `pages` holds
# the page tests, so the modules' publishes and the browser are made once.
WORKERS ?= 2
PARALLEL := -n $(WORKERS) --dist loadgroup

# The inner loop (target 90 s): lint, then every test not marked slow (a test over 2 s on this
# machine, or one that runs a real Prefect flow).
check: lint
	$(VENV)/bin/pytest -q $(PARALLEL) -m "not slow and not stress"

# Before a commit, and on CI: lint, the browser, then every test, the 12 kill trials included
# (only `make stress`'s long runs are left out, by pyproject's -m "not stress"); prints the 25
# slowest (target 6 minutes).
test: lint browser r
	$(VENV)/bin/pytest $(PARALLEL) --durations=25

# A screenshot of the latest landing page (published/werkonderzoek/index.html).
screenshot: install browser
	$(PY) tools/screenshot.py published/werkonderzoek/index.html docs/landing-page.png

# A synthetic project of DEMO_RESPONDENTS respondents in DEMO (calibrated to the real 2024
# national figures, labelled synthetic everywhere), published there: DEMO/published/. The
# respondents are written as DEMO_FORMAT: parquet, or sav, dta or csv as an agency delivers them.
# DEMO_ITEMS, when given, is the questionnaire's item count (else synth's own, 150).
DEMO ?= demo
DEMO_RESPONDENTS ?= 100000
DEMO_FORMAT ?= parquet
DEMO_ITEMS ?=
demo: install
	$(VENV)/bin/werkdata synth --respondents $(DEMO_RESPONDENTS) --seed 1 --out $(DEMO) --format $(DEMO_FORMAT) $(if $(DEMO_ITEMS),--items $(DEMO_ITEMS))
	$(VENV)/bin/werkdata --root $(DEMO) publish --local

# Then the estimation benchmark at 100,000 and 1,000,000 synthetic respondents
# (RUNS runs each, 3 unless given).
RUNS ?=
bench: install
	$(PY) bench/publish_bench.py
	$(PY) bench/estimate_bench.py --respondents 100000 --runs $(or $(RUNS),3)
	$(PY) bench/estimate_bench.py --respondents 1000000 --runs $(or $(RUNS),3) --prefect-runs 2

# The long runs, one pytest line each: 300 SIGKILL trials of a publish (tests/release/test_stress.py;
# `make test` runs 12), ending with a summary to cite (trials, seconds, kills by phase); then the
# property tests of the validator and of the attacker on published censuses
# (tests/disclose/test_attack_properties.py) with many more generated inputs than `make test`.
# WERKDATA_KILL_TRIALS=20 make stress runs 20 trials.
stress: install
	$(VENV)/bin/pytest -m stress tests/release/test_stress.py
	HYPOTHESIS_PROFILE=stress $(VENV)/bin/pytest tests/checks/test_properties.py tests/disclose/test_attack_properties.py

# Re-pin requirements.lock after a change of pyproject.toml's dependencies (needs uv).
lock:
	uv pip compile --quiet pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
