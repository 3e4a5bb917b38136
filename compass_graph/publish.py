"""Publish builds atomically: each build is an immutable folder, and ``dist`` is a symbolic link
to the one being served.

``dist.builds/{build id}/`` holds a build; ``dist`` points at one of them. Publishing a build
writes it completely into a staging folder, renames that to its id, and then replaces the link in
one ``rename``: a reader sees the old build or the new one, never a mix, and a build that fails or
is killed half-way leaves the link where it was. Every attempt, failed or not, is recorded in
``dist.builds/last-attempt.json`` for the server's ``/health``.
"""

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ATTEMPT_FILE = "last-attempt.json"
KEEP = 3  # builds kept besides the current one, for servers still reading them


def builds_folder(out_dir: Path) -> Path:
    """Return the folder that holds the builds behind ``out_dir``."""
    return out_dir.with_name(f"{out_dir.name}.builds")


@contextlib.contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """Give a fresh staging folder for a build; remove it afterwards unless it was published."""
    folder = builds_folder(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(folder)
    stage = folder / f".staging-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def publish(stage: Path, out_dir: Path, build_id: str) -> Path:
    """Make the staged build the current one; return its folder."""
    folder = builds_folder(out_dir)
    target = folder / build_id
    if target.exists():  # the same content was built before: keep that copy
        shutil.rmtree(stage)
    else:
        stage.rename(target)
    replaced = folder / f".replaced-{os.getpid()}"
    if out_dir.is_dir() and not out_dir.is_symlink():  # an output folder of the older layout
        out_dir.rename(replaced)
    link = folder / f".link-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(os.path.relpath(target, out_dir.parent))
    link.replace(out_dir)
    shutil.rmtree(replaced, ignore_errors=True)
    _prune(folder, target)
    return target


def record_attempt(out_dir: Path, ok: bool, build_id: str | None = None, reason: str = "") -> None:
    """Write down how the last build attempt went."""
    folder = builds_folder(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    attempt: dict[str, Any] = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "ok": ok}
    if build_id:
        attempt["build_id"] = build_id
    if reason:
        attempt["reason"] = reason
    temporary = folder / f".{ATTEMPT_FILE}.{os.getpid()}"
    temporary.write_text(json.dumps(attempt, indent=2) + "\n", encoding="utf-8")
    temporary.replace(folder / ATTEMPT_FILE)


def last_attempt(builds: Path) -> dict[str, Any] | None:
    """Read the record of the last build attempt in ``builds``, if there is one."""
    try:
        return dict(json.loads((builds / ATTEMPT_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def _remove_abandoned_staging(folder: Path) -> None:
    for stage in folder.glob(".staging-*"):
        pid = stage.name.rsplit("-", 1)[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stage, ignore_errors=True)
    for leftover in folder.glob(".replaced-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _prune(folder: Path, current: Path) -> None:
    builds = [path for path in folder.iterdir() if path.is_dir() and not path.name.startswith(".")]
    older = sorted(
        (path for path in builds if path != current), key=lambda path: path.stat().st_mtime
    )
    for path in older[: max(len(older) - KEEP, 0)]:
        shutil.rmtree(path, ignore_errors=True)
