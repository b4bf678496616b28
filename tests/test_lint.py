"""The Python code passes ruff's checks (the rules in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_the_python_code_has_no_unused_or_undefined_names():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "_ext", "tests", "bench", "conf.py"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
