"""Rewrite every tests/invalid/*/expected.txt from the current output. Review the diff before committing!

Run: .venv/bin/python -m tests.regenerate_invalid
"""

import tempfile
from pathlib import Path

from .conftest import run_build
from .invalid_cases import CASES_DIR, case_names, make_content

if __name__ == "__main__":
    for case in case_names():
        with tempfile.TemporaryDirectory() as tmp:
            make_content(case, Path(tmp))
            result = run_build("check", "--content", "content", cwd=Path(tmp))
        (CASES_DIR / case / "expected.txt").write_text(result.stderr)
        print(f"{case}: exit {result.returncode}")
