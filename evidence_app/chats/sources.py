"""Where an export's files live: inside a zip (read only through SafeZip) or in a folder.

Both answer the same questions: which files are there, open one, how big is it. A folder
source never follows links and never leaves its root, like the zip reader.

What an export names comes from the other side of the chat (a WhatsApp message that says
"Documents/passport.pdf (file attached)"), so a name is looked up only inside the export:
never an absolute path, never a ".." step, never through a link, and for WhatsApp, which
writes bare file names, never through a folder at all (unsafe_reference).
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from evidence_app.core.safezip import SafeZip, ZipLimits, open_member_stream

MAX_FOLDER_FILES = 20_000
_DRIVE = re.compile(r"^[A-Za-z]:")
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) \
    | getattr(os, "O_BINARY", 0)


def unsafe_reference(ref: str, *, bare: bool) -> bool:
    """True when an export names a file in a way that could reach outside the export.

    Absolute paths (/x, C:\\x, \\\\server\\x), any ".." step and NUL are never looked up;
    a `bare` name (WhatsApp writes only file names) may not name a folder at all.
    """
    if not ref or "\x00" in ref:
        return True
    norm = ref.replace("\\", "/")
    if bare and "/" in norm:
        return True
    if norm.startswith("/") or _DRIVE.match(norm):
        return True
    return ".." in norm.split("/")


class ExportSource(ABC):
    """A set of files named with forward slashes, relative to the export's root."""

    kind = "file"
    label = ""  # the export's own file name (a zip's name can name the chat)

    @abstractmethod
    def names(self) -> list[str]: ...

    @abstractmethod
    def exists(self, name: str) -> bool: ...

    @abstractmethod
    def open(self, name: str) -> BinaryIO: ...

    @abstractmethod
    def size(self, name: str) -> int: ...

    def opener(self, name: str) -> Callable[[], BinaryIO]:
        return lambda: self.open(name)

    def close(self) -> None:  # noqa: B027 - optional: only archive sources hold a handle
        """Release the archive, if any."""

    def resolve(self, base: str, ref: str) -> str | None:
        """The file an export refers to as `ref` from folder `base`, if the export has it.

        Exports are often moved or re-zipped a folder up or down (Instagram names files
        from the top of its export), so a name is also tried without its first folders and
        from the folders above `base`: every try stays inside the export.
        """
        if unsafe_reference(ref, bare=False):
            return None
        ref = ref.replace("\\", "/")
        exact = posixpath.normpath(posixpath.join(base, ref))
        tries = [exact, ref]
        parts = ref.split("/")
        tries += ["/".join(parts[i:]) for i in range(1, min(len(parts), 5))]
        if base:
            tries += [posixpath.join(base, "/".join(parts[i:]))
                      for i in range(1, min(len(parts), 5))]
            up = base
            while "/" in up:
                up = up.rsplit("/", 1)[0]
                tries.append(posixpath.join(up, ref))
        for candidate in tries:
            if candidate.startswith("../") or candidate == "..":
                continue
            if self.exists(candidate):
                return candidate
        return None


class ZipSource(ExportSource):
    kind = "zip"

    def __init__(self, path: Path, limits: ZipLimits | None = None) -> None:
        self.archive = SafeZip(path, limits)
        self._sizes = {e.name: e.size for e in self.archive.files()}

    def names(self) -> list[str]:
        return list(self._sizes)

    def exists(self, name: str) -> bool:
        return name in self._sizes

    def open(self, name: str) -> BinaryIO:
        return open_member_stream(self.archive, name)

    def size(self, name: str) -> int:
        return self._sizes[name]

    def close(self) -> None:
        self.archive.close()


class FolderSource(ExportSource):
    """Files under `root`; `listed` walks it (for a folder the person chose).

    An unlisted source is the folder a single export file lies in (often Downloads or the
    home folder): nothing there is read unless the export names it (see resolve).
    """

    kind = "folder"

    def __init__(self, root: Path, *, listed: bool) -> None:
        self.root = root.resolve()
        self._names: list[str] = self._walk() if listed else []

    def _walk(self) -> list[str]:
        found: list[str] = []
        for folder, dirs, files in os.walk(self.root, followlinks=False):
            dirs.sort()
            for name in sorted(files):
                rel = Path(folder, name).relative_to(self.root).as_posix()
                if self.exists(rel):
                    found.append(rel)
                if len(found) >= MAX_FOLDER_FILES:
                    return found
        return found

    def _path(self, name: str) -> Path | None:
        """The regular file `name` under root, reached through real folders only."""
        if unsafe_reference(name, bare=False):
            return None
        parts = [p for p in name.split("/") if p not in ("", ".")]
        if not parts:
            return None
        target = self.root
        for depth, part in enumerate(parts, 1):
            target = target / part
            try:
                mode = os.lstat(target).st_mode
            except (OSError, ValueError):
                return None
            if depth == len(parts):
                return target if stat.S_ISREG(mode) else None
            if not stat.S_ISDIR(mode):  # a link to a folder is not followed
                return None
        return None

    def names(self) -> list[str]:
        return list(self._names)

    def exists(self, name: str) -> bool:
        return self._path(name) is not None

    def path(self, name: str) -> Path:
        found = self._path(name)
        if found is None:
            raise FileNotFoundError(name)
        return found

    def open(self, name: str) -> BinaryIO:
        """Open without following a link put in place since the look-up."""
        fd = os.open(self.path(name), _OPEN_FLAGS)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise FileNotFoundError(name)
            if hasattr(os, "set_blocking"):
                os.set_blocking(fd, True)
            return os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise

    def size(self, name: str) -> int:
        return os.lstat(self.path(name)).st_size
