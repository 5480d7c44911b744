"""Files: read as UTF-8 text with clear errors, and write atomically (a reader sees the
old file or the new one, never half of one)."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import TaqyeemError

__all__ = [
    "atomic_output",
    "atomic_write",
    "data_bytes",
    "display_path",
    "open_regular",
    "path_kind",
    "read_text",
    "size_text",
    "too_large",
]


#: The longest file name (one component of a path) most file systems allow, in bytes.
NAME_MAX = 255


def _name_too_long(path: str | os.PathLike[str], error: type[TaqyeemError], prefix: str,
                   what: str) -> TaqyeemError:
    parts = [p for p in Path(path).parts if p]
    longest = max(parts, key=lambda p: len(os.fsencode(p)), default=str(path))
    size = len(os.fsencode(longest))
    shown = longest if len(longest) <= 40 else longest[:37] + "…"
    if size > NAME_MAX:
        message = (f"the {what} file name `{shown}` is too long ({size:,} bytes; file names "
                   f"have at most {NAME_MAX})")
    else:
        message = f"the {what} path is too long ({len(os.fsencode(os.fspath(path))):,} bytes)"
    return error(message, code=f"{prefix}.name-too-long",
                 hint="check the path; a file name is at most 255 bytes long")


def path_kind(
    path: str | os.PathLike[str], *, error: type[TaqyeemError], prefix: str, what: str
) -> str | None:
    """What is at ``path``: ``"file"`` (a regular file), ``"folder"``, ``"other"`` (a FIFO,
    a device, a socket), or None when nothing is. A name too long for the file system is
    an ``error`` (``{prefix}.name-too-long``), any other failure ``{prefix}.io``."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise _name_too_long(path, error, prefix, what) from None
        if exc.errno == errno.ELOOP:
            return None
        raise error(f"cannot read {path}: {exc.strerror}", code=f"{prefix}.io") from None
    except ValueError:  # an embedded NUL character
        return None
    if stat.S_ISREG(mode):
        return "file"
    return "folder" if stat.S_ISDIR(mode) else "other"


def open_regular(
    path: Path,
    *,
    what: str,
    error: type[TaqyeemError],
    prefix: str,
    limit: int,
) -> IO[bytes]:
    """``path`` opened for reading in binary, once it is known to be a regular file of at
    most ``limit`` bytes (checked before anything is read: a FIFO, a device such as
    ``/dev/zero`` or a file too large is an ``error`` with the code
    ``{prefix}.not-a-file`` or ``{prefix}.too-large``; a missing file ``{prefix}.not-found``)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        # Non-blocking: opening a FIFO must not wait for a writer (it is refused below).
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise error(f"no {what} file at {path}", code=f"{prefix}.not-found") from None
    except ValueError:
        raise error(f"no {what} file at {path!r}", code=f"{prefix}.not-found") from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise _name_too_long(path, error, prefix, what) from None
        if exc.errno == errno.EISDIR:
            raise error(f"{path} is a folder, not {_a(what)} file", code=f"{prefix}.not-a-file") from None
        raise error(f"cannot read {path}: {exc.strerror}", code=f"{prefix}.io") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else (
                "a pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else "a device or socket")
            raise error(f"{path} is {kind}, not a regular {what} file", code=f"{prefix}.not-a-file",
                        hint=f"give the path of {_a(what)} file")
        if info.st_size > limit:
            raise too_large(path, what, error, prefix, limit)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _a(word: str) -> str:
    """``word`` with its indefinite article (an evidence, a guide)."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def too_large(path: str | os.PathLike[str], what: str, error: type[TaqyeemError], prefix: str,
              limit: int) -> TaqyeemError:
    """The error for a file over its size limit (``{prefix}.too-large``)."""
    return error(
        f"{path} is larger than {size_text(limit)}, the limit for {_a(what)} file",
        code=f"{prefix}.too-large",
        hint="the limits are listed in docs/errors.md (Limits of files and data)",
    )


def size_text(n: int) -> str:
    """A size in bytes as people read it: ``64 MiB``, ``1,000 bytes``."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n:,} bytes"


def read_text(
    path: Path,
    *,
    what: str,
    error: type[TaqyeemError],
    prefix: str,
    limit: int,
    encoding: str = "utf-8",
) -> str:
    """The text of ``path``, a regular file of at most ``limit`` bytes (see
    :func:`open_regular`); a non-UTF-8 file is an ``error`` with the code
    ``{prefix}.encoding``, a read failure ``{prefix}.io``."""
    with open_regular(path, what=what, error=error, prefix=prefix, limit=limit) as handle:
        try:
            data = handle.read(limit + 1)  # (a file that grows while it is read stops here)
        except OSError as exc:
            raise error(f"cannot read {path}: {exc.strerror}", code=f"{prefix}.io") from None
    if len(data) > limit:
        raise too_large(path, what, error, prefix, limit)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise error(
            f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})",
            code=f"{prefix}.encoding",
            hint=f"save the {what} file as UTF-8",
        ) from None
    if "\r" in text:  # line ends as text mode reads them (universal newlines)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def display_path(path: Path) -> str:
    """A path as shown in messages: relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


#: Bytes of the target's name kept in a temporary file's name (which adds a dot, the
#: process id, 12 hex digits and `.tmp`, and must stay within NAME_MAX).
_TMP_NAME_BYTES = NAME_MAX - 40


def _tmp_stem(name: str) -> str:
    """The target's name as it starts its temporary files' names (cut to fit)."""
    encoded = name.encode("utf-8", "surrogateescape")
    if len(encoded) <= _TMP_NAME_BYTES:
        return name
    return encoded[:_TMP_NAME_BYTES].decode("utf-8", "ignore")


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (on POSIX; elsewhere every process counts as alive)."""
    if os.name != "posix" or pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # (PermissionError: it exists, as another user's)
        return True
    return True


def _remove_stale(folder: Path, name: str) -> None:
    """Remove the temporary files an interrupted earlier write of the same target left
    (``.NAME.PID.HEX.tmp`` whose process no longer runs). Best effort: never fails."""
    pattern = re.compile(re.escape(f".{_tmp_stem(name)}.") + r"([0-9]+)\.[0-9a-f]{12}\.tmp")
    try:
        entries = os.listdir(folder)
    except OSError:
        return
    for entry in entries:
        match = pattern.fullmatch(entry)
        if match and not _alive(int(match.group(1))):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, entry))


def _temporary(folder: Path, name: str, error: type[TaqyeemError], code: str) -> tuple[int, str]:
    """A new temporary file next to the target (``.NAME.PID.HEX.tmp``: the process id lets
    a later write of the same target remove it if this process is killed), created with
    the permissions of an ordinary new file (0666 less the umask)."""
    for _ in range(100):
        tmp = os.path.join(folder, f".{_tmp_stem(name)}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise error(f"cannot write in {folder}: {exc.strerror}", code=code) from None
    raise error(f"cannot create a temporary file in {folder}", code=code)  # pragma: no cover


def _resolve_target(path: Path, error: type[TaqyeemError], code: str) -> Path:
    """The file a write to ``path`` replaces. A symbolic link is followed (to the end of
    a chain): the file it points to is replaced and the link kept, as writing through a
    link does. Anything but a regular file or nothing there (a folder, a FIFO, a device)
    is refused: replacing it with a file would be a surprise."""
    if os.path.islink(path):
        path = Path(os.path.realpath(path))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return path
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise _name_too_long(path, error, code.split(".")[0], "output") from None
        raise error(f"cannot write {path}: {exc.strerror}", code=code) from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise error(f"cannot write {path}: it is {kind}", code=code,
                    hint="give the path of a file to write (`-o -` writes to the terminal)")
    return path


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
    untouched and the temporary file removed; a temporary file left by a process that was
    killed (``kill -9``) is removed by the next write of the same target. A symbolic link
    is followed: the file it points to is replaced, the link kept. A file system error is
    an ``error`` with ``code`` (a missing folder: ``folder_code``, by default ``code``)."""
    target = _resolve_target(Path(path), error, code)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise error(
            f"cannot write {target}: no folder {folder}",
            code=folder_code or code,
            hint=f"create the folder first (mkdir -p {folder}), or choose another path",
        )
    _remove_stale(folder, target.name)
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


def data_bytes(text: str) -> bytes:
    """Text as the UTF-8 bytes a data file holds; text that has no UTF-8 form (a lone
    surrogate, from a ``\\ud800`` escape) is a clear error, not a traceback."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise TaqyeemError(
            f"the output holds U+{ord(exc.object[exc.start]):04X}, half of a UTF-16 surrogate pair, "
            "which is not text",
            code="io.encoding",
            hint="find it in the input (a \\uD800-\\uDFFF escape without its other half) and fix it",
        ) from None


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically (see :func:`atomic_output`)."""
    payload = data_bytes(data) if isinstance(data, str) else data
    with atomic_output(path, folder_code="io.folder") as handle:
        handle.write(payload)
