"""Adding evidence to a vault: one pass over the input, metadata, thumbnails, record."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from evidence_app.core import media
from evidence_app.core.errors import (
    EvidenceError,
    InputInsideVault,
    InputIsDirectory,
    InputNotFound,
    InputUnreadable,
)
from evidence_app.core.objectstore import CancelCheck, Progress, StoredObject
from evidence_app.core.state import Item
from evidence_app.core.timeutil import from_timestamp
from evidence_app.core.vault_parts import VaultParts

if TYPE_CHECKING:

    pass

_fadvise = getattr(os, "posix_fadvise", None)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class IngestMixin(VaultParts):
    """Vault methods that add items (mixed into Vault)."""

    # --- adding --------------------------------------------------------------------------

    def add_file(
        self,
        path: Path,
        *,
        note: str = "",
        sensitive: bool = False,
        source: dict[str, Any] | None = None,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> Item:
        """Ingest one file in one pass; returns the item once its record is durable."""
        path = Path(path)
        import stat as statmod

        # Look before opening: opening a FIFO for reading would block until a writer comes.
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            raise InputNotFound(path) from None
        except OSError as exc:
            raise InputUnreadable(path, exc.strerror or "") from None
        if statmod.S_ISDIR(mode):
            raise InputIsDirectory(path)
        if is_inside(path, self.path):
            raise InputInsideVault(path)
        if not statmod.S_ISREG(mode):
            raise InputUnreadable(path, "not a regular file")
        try:
            # Unbuffered: the store reads whole chunks straight into its own buffers. Without
            # blocking: a FIFO swapped in after the look above must not make us wait for a
            # writer; what was opened is checked below.
            fh = open(path, "rb", buffering=0, opener=_open_nonblocking)  # noqa: SIM115
        except FileNotFoundError:
            raise InputNotFound(path) from None
        except IsADirectoryError:
            raise InputIsDirectory(path) from None
        except OSError as exc:
            if path.is_dir():
                raise InputIsDirectory(path) from None
            raise InputUnreadable(path, exc.strerror or "") from None
        with fh:
            st = os.fstat(fh.fileno())
            if statmod.S_ISDIR(st.st_mode):
                raise InputIsDirectory(path)
            if not statmod.S_ISREG(st.st_mode):
                raise InputUnreadable(path, "not a regular file")
            if _NONBLOCK:
                os.set_blocking(fh.fileno(), True)
            if _fadvise is not None:  # read ahead further: the file is read once, in order
                _fadvise(fh.fileno(), 0, 0, os.POSIX_FADV_SEQUENTIAL)
            mtime, mtime_offset = from_timestamp(st.st_mtime)
            return self.add_stream(
                fh,
                path.name,
                total=st.st_size,
                file_mtime=(mtime, mtime_offset),
                source=source or {"type": "import", "path": str(path.resolve())},
                note=note,
                sensitive=sensitive,
                reopen=lambda: open(path, "rb"),
                progress=progress,
                cancel=cancel,
            )

    def add_bytes(
        self,
        data: bytes,
        name: str,
        *,
        source: dict[str, Any],
        note: str = "",
        sensitive: bool = False,
        kind: str = "original",
        derived_from: str | None = None,
        description: str = "",
    ) -> Item:
        """Ingest bytes made by the app itself (a screenshot, a transcript)."""
        return self.add_stream(
            io.BytesIO(data),
            name,
            total=len(data),
            source=source,
            note=note,
            sensitive=sensitive,
            reopen=lambda: io.BytesIO(data),
            kind=kind,
            derived_from=derived_from,
            description=description,
        )

    def add_stream(
        self,
        src: BinaryIO,
        name: str,
        *,
        source: dict[str, Any],
        total: int = 0,
        reopen: Callable[[], BinaryIO] | None = None,
        note: str = "",
        sensitive: bool = False,
        kind: str = "original",
        derived_from: str | None = None,
        description: str = "",
        file_mtime: tuple[str, str] | None = None,
        progress: Progress | None = None,
        cancel: CancelCheck | None = None,
    ) -> Item:
        """Ingest from any readable stream (e.g. a member of a chat export zip).

        `reopen` gives a fresh stream for image metadata and thumbnails; without it, images
        are stored without them.
        """
        if self.problem is not None:
            raise self.problem
        stored = self._store().write_stream(src, total=total, progress=progress, cancel=cancel)
        return self._record_item(stored, name, source=source, reopen=reopen, note=note,
                                 sensitive=sensitive, kind=kind, derived_from=derived_from,
                                 description=description, file_mtime=file_mtime)

    def _record_item(
        self,
        stored: StoredObject,
        name: str,
        *,
        source: dict[str, Any],
        reopen: Callable[[], BinaryIO] | None = None,
        note: str = "",
        sensitive: bool = False,
        kind: str = "original",
        derived_from: str | None = None,
        description: str = "",
        file_mtime: tuple[str, str] | None = None,
        remove_on_failure: bool = True,
    ) -> Item:
        """Thumbnail, metadata and the item_added record for an object already stored.

        When recording fails, the objects made here are removed (they were written by this
        call and nothing names them), and the stored object too unless the caller keeps it.
        """
        store = self._store()
        created = [stored.object_id] if remove_on_failure else []
        recording = False
        try:
            media_type = media.sniff_media_type(stored.head)
            exif: dict[str, Any] = {}
            image: dict[str, Any] | None = None
            thumbnail: dict[str, Any] | None = None
            if media.is_image(media_type) and reopen is not None:
                with reopen() as fh:
                    exif, image = media.read_image_metadata(fh)
                with reopen() as fh:
                    thumb = media.make_thumbnail(fh)
                if thumb is not None:
                    thumb_obj = store.write_bytes(thumb[0], derived=True)
                    created.append(thumb_obj.object_id)
                    thumbnail = {"object_id": thumb_obj.object_id, "media_type": "image/jpeg",
                                 "width": thumb[1], "height": thumb[2]}
            item_id = self.state.next_item_id()
            data: dict[str, Any] = {
                "item_id": item_id,
                "object_id": stored.object_id,
                "name": name,
                "size": stored.size,
                "sha256": stored.sha256,
                "media_type": media_type,
                "source": source,
                "sensitive": sensitive,
                "duplicate_of": self.state.by_sha256.get(stored.sha256),
                "exif": exif,
                "image": image,
                "thumbnail": thumbnail,
                "kind": kind,
            }
            if file_mtime is not None:
                data["file_mtime"], data["file_mtime_offset"] = file_mtime
            if derived_from:
                data["derived_from"] = derived_from
            if description:
                data["description"] = description
            if note:
                data["note"] = note
                data["note_id"] = self.state.next_note_id()
            recording = True
            self._append("item_added", data)
        except BaseException as exc:
            # An interruption (Ctrl-C) while recording may come after the record became
            # durable: keep the objects then; the next open quarantines any nothing names.
            if not recording or isinstance(exc, EvidenceError):
                for object_id in created:
                    store.remove(object_id)
            raise
        return self.state.items[item_id]


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | _NONBLOCK)


def is_inside(path: Path, folder: Path) -> bool:
    """True when `path` is `folder` or lies below it (links and `..` resolved)."""
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except (ValueError, OSError):
        return False
    return True


def files_to_add(paths: list[Path], vault_dir: Path | None = None) -> tuple[list[Path], int]:
    """Files to add: folders are walked (sorted, links not followed). A walk does not go
    into `vault_dir`: a folder that holds the vault (a USB stick, the home folder) is added
    without the vault's own encrypted files."""
    files: list[Path] = []
    skipped_links = 0
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and not path.is_symlink():
            if vault_dir is not None and is_inside(path, vault_dir):
                continue
            for root, dirs, names in os.walk(path):
                if vault_dir is not None:
                    dirs[:] = [d for d in dirs if not is_inside(Path(root) / d, vault_dir)]
                dirs.sort()
                for name in sorted(names):
                    full = Path(root) / name
                    if full.is_symlink():
                        skipped_links += 1
                    else:
                        files.append(full)
        else:
            files.append(path)
    return files, skipped_links
