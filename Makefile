# The two commands of the quick start are `make serve` and `make test`.
.PHONY: serve build check test test-fast golden bench

serve:
	bash scripts/setup.sh
	.venv/bin/python build.py serve

build:
	bash scripts/setup.sh
	.venv/bin/python build.py build

check:
	bash scripts/setup.sh
	.venv/bin/python build.py check

test:
	bash scripts/setup-test.sh
	.venv/bin/python -m pytest

# The tests that need neither a browser nor Java: a quick check while editing the code.
test-fast:
	bash scripts/setup.sh test
	.venv/bin/python -m pytest -m "not slow" -q

# Regenerate the golden output of the fixture site after an intended change.
golden:
	bash scripts/setup.sh
	.venv/bin/python -m tests.golden

bench:
	bash scripts/setup.sh
	.venv/bin/python benchmarks/bench.py
