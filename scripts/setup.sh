#!/usr/bin/env bash
# Creates .venv with the generator: `setup.sh` installs what building and serving need,
# `setup.sh test` adds what the tests need. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=".venv/.installed${extra:+-$extra}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -e ".${extra:+[$extra]}"
  touch "$stamp"
fi
