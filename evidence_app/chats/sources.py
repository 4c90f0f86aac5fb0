"""Where an export's files live: inside a zip (read only through SafeZip) or in a folder.

Both answer the same questions: which files are there, open one, how big is it. A folder
source never follows links and never leaves its root, like the zip reader.
"""

from __future__ import annotations

import os
import posixpath
import stat
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from evidence_app.core.safezip import SafeZip, ZipLimits, open_member_stream

MAX_FOLDER_FILES = 20_000


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
        """The file an export refers to as `ref` from folder `base`, if it is there."""
        ref = ref.replace("\\", "/").lstrip("/")
        if not ref or "\x00" in ref:
            return None
        tries = [posixpath.normpath(posixpath.join(base, ref)) if base else ref, ref]
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
    """Files under `root`; `listed` walks it (for a folder the person chose)."""

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
        target = self.root / name
        try:
            st = os.lstat(target)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        real = target.resolve()
        if self.root not in real.parents:
            return None
        return target

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
        return open(self.path(name), "rb")

    def size(self, name: str) -> int:
        return self.path(name).stat().st_size
