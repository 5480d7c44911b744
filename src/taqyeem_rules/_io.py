"""Files: read as UTF-8 text with clear errors, and write atomically (a reader sees the
old file or the new one, never half of one)."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import TaqyeemError

__all__ = ["atomic_output", "atomic_write", "display_path", "read_text"]


def read_text(
    path: Path,
    *,
    what: str,
    error: type[TaqyeemError],
    prefix: str,
    encoding: str = "utf-8",
) -> str:
    """The text of ``path``; a missing, unreadable or non-UTF-8 file is an ``error``
    with the code ``{prefix}.not-found``, ``{prefix}.io`` or ``{prefix}.encoding``."""
    try:
        return path.read_text(encoding=encoding)
    except FileNotFoundError:
        raise error(f"no {what} file at {path}", code=f"{prefix}.not-found") from None
    except UnicodeDecodeError as exc:
        raise error(
            f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})",
            code=f"{prefix}.encoding",
            hint=f"save the {what} file as UTF-8",
        ) from None
    except OSError as exc:
        raise error(f"cannot read {path}: {exc.strerror}", code=f"{prefix}.io") from None


def display_path(path: Path) -> str:
    """A path as shown in messages: relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _temporary(folder: Path, name: str, error: type[TaqyeemError], code: str) -> tuple[int, str]:
    """A new temporary file next to the target, created with the permissions of an
    ordinary new file (0666 less the umask)."""
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise error(f"cannot write in {folder}: {exc.strerror}", code=code) from None
    raise error(f"cannot create a temporary file in {folder}", code=code)  # pragma: no cover


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str],
    *,
    error: type[TaqyeemError] = TaqyeemError,
    code: str = "io.write",
    folder_code: str | None = None,
) -> Iterator[IO[bytes]]:
    """A binary file that replaces ``path`` only once it is complete and on disk. If
    anything fails (or the process is interrupted) before that, the previous file is
    untouched and the temporary file removed. A file system error is an ``error`` with
    ``code`` (a missing folder: ``folder_code``, by default ``code``)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise error(
            f"cannot write {target}: no folder {folder}",
            code=folder_code or code,
            hint=f"create the folder first (mkdir -p {folder}), or choose another path",
        )
    fd, tmp = _temporary(folder, target.name, error, code)
    try:
        with contextlib.suppress(FileNotFoundError):  # a replaced file keeps its permissions
            os.chmod(tmp, target.stat().st_mode & 0o777)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise error(f"cannot write {target}: {exc.strerror or exc}", code=code) from None
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where possible
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically (see :func:`atomic_output`)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_output(path, folder_code="io.folder") as handle:
        handle.write(payload)
