# The two commands: `make run` serves the platform, `make test` runs the whole suite.
# Both install what they need first (scripts/setup.sh) and can be run again at any time.
.PHONY: setup setup-test run test lint typecheck pytest bench bench-national messages clean

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --test

run:
	scripts/run.sh

test: setup-test
	$(MAKE) --no-print-directory --keep-going lint typecheck pytest

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

typecheck:
	.venv/bin/mypy .

pytest:
	.venv/bin/pytest

# Every catalog regenerated from the code (makemessages -l en, --no-location) and compiled (docs/i18n.md).
messages:
	.venv/bin/python scripts/messages.py

bench: setup-test
	.venv/bin/python -m bench

# Issue 12's national dataset (BENCH_NATIONAL_N locations, default 10,000,000: hours); not part of bench.
bench-national: setup-test
	.venv/bin/python -m bench.national

clean:
	rm -rf var/static .pytest_cache .mypy_cache .ruff_cache
