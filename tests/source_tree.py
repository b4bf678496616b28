"""A fingerprint of the source tree, to prove a command wrote nothing into it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

# Build output and environments: the only places a command may write. Python's
# __pycache__ and pytest's .pytest_cache are not among them: make turns off
# bytecode caching and pytest keeps its cache in _build.
IGNORED = {".git", ".venv", "_build", "node_modules"}


def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Every file and symlink under *root*: relative path -> (size, sha256)."""
    files = {}
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in IGNORED)
        for name in filenames:
            path = Path(folder, name)
            relpath = path.relative_to(root).as_posix()
            if path.is_symlink():
                files[relpath] = (0, f"-> {os.readlink(path)}")
            else:
                data = path.read_bytes()
                files[relpath] = (len(data), hashlib.sha256(data).hexdigest())
    return files


def changes(before: dict, after: dict) -> list[str]:
    """What differs, one line per file, in words."""
    lines = [f"added {path}" for path in sorted(after.keys() - before.keys())]
    lines += [f"removed {path}" for path in sorted(before.keys() - after.keys())]
    lines += [
        f"changed {path}" for path in sorted(before.keys() & after.keys())
        if before[path] != after[path]
    ]
    return lines
