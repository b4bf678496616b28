"""Files the extension reads from the settings and writes into the build.

Input: a path and its bytes, or a name in ``html_static_path``. Output: the
file written whole, or the static file found.
"""

from __future__ import annotations

import os
from pathlib import Path


def write_if_changed(path: Path, data: bytes) -> None:
    """Write *data* to *path* unless the file already holds exactly that.

    An unchanged file keeps its mtime, so an incremental build rewrites nothing
    it need not. Parallel writers may produce the same file, and a reader may
    look at any moment: the bytes go to a file of this process's own, which is
    then renamed over *path* in one step, so no one sees half a file.
    """
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(data)
    os.replace(partial, path)


def static_file(app, name: str) -> Path | None:
    """The file *name* in one of ``html_static_path``, which Sphinx copies to ``_static/``."""
    for folder in app.config.html_static_path:
        path = Path(app.confdir, folder, name)
        if path.is_file():
            return path
    return None
