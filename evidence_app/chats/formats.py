"""What every chat format does, so that adding one is one module and one registry entry.

A format (WhatsApp, Telegram...) answers four questions about an export it is shown:

- `rank(name)`: is a file of this name likely its chat file (which files to try first);
- `detect(probe)`: is this file, from its first bytes (or its JSON shape), its chat file;
- `parse(probe)`: the conversations in it, in the one normalized model (chats/model.py);
- `link_media(conv, source)`: which of the export's own files each attachment is.

The probe is one file of an opened export (a zip member, a file in a folder, or the one
file the person chose): its name, first bytes, and, read once for every JSON format, its
JSON shape. Formats never open an archive or a path themselves; they read through the
probe and the export source (chats/sources.py), which stay inside the export.
"""

from __future__ import annotations

import contextlib
import fnmatch
import posixpath
import re
from abc import ABC, abstractmethod
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, ClassVar, Literal

from evidence_app.chats import jsonstream
from evidence_app.chats.model import Conversation
from evidence_app.chats.sources import ExportSource, unsafe_reference
from evidence_app.core.errors import Cancelled, ChatParseError
from evidence_app.core.objectstore import CancelCheck

HeadKind = Literal["text", "json", "html", "binary"]
SNIFF = 64 << 10  # how much of a file detection looks at


def kind_of_head(head: bytes) -> HeadKind:
    """What a file's first bytes look like: JSON, a web page, text, or neither."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] == b"{" or re.match(rb"\[\s*[\[{\"\]]", text):
        return "json"
    low = text[:2048].lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low:
        return "html"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


def json_list(value: Any) -> list[Any]:
    """A JSON value that should be a list, or [] when the export put something else there
    (a number where a list belongs must not stop the whole parse)."""
    return value if isinstance(value, list) else []


@dataclass
class Probe:
    """One file of an export, as the formats see it while deciding which of them reads it.

    `name` is its name inside the export (forward slashes); `label` is how errors name it
    (the member's name, or the whole path of a file chosen alone). `wanted` is the format
    the person named (--format), if any. `single` says the person chose this one file, so
    the folder it lies in (often Downloads) is not part of the export.
    """

    source: ExportSource
    name: str
    label: str
    head: bytes
    wanted: str | None = None
    siblings: list[str] = field(default_factory=list)
    single: bool = False
    cancel: CancelCheck | None = None
    direct: Path | None = None  # a file chosen alone: opened by its own path
    _skeleton: jsonstream.Skeleton | None = field(default=None, init=False, repr=False)

    @property
    def kind(self) -> HeadKind:
        return kind_of_head(self.head)

    def open(self) -> BinaryIO:
        """The file itself, from its first byte; close it (use `with`)."""
        if self.direct is not None:
            return open(self.direct, "rb")  # noqa: SIM115 - returned to a `with`
        return self.source.open(self.name)

    def opener(self) -> jsonstream.Opener:
        """Opens the file again through the export source (each JSON pass reads it anew)."""
        return self.source.opener(self.name)

    def skeleton(self) -> jsonstream.Skeleton:
        """The JSON document's shape without its messages, read once for every format."""
        if self._skeleton is None:
            self._skeleton = jsonstream.read_skeleton(self.opener(), self.label,
                                                      self.wanted or "json",
                                                      cancel=self.cancel)
        return self._skeleton

    def folder_names(self, pattern: str) -> list[str]:
        """Files beside this one (its own folder of the export) whose names match `pattern`
        (shell style), as names the source can open. For a file chosen alone that is the
        folder on disk, so formats ask only for names their exports really write."""
        if self.direct is not None:
            return [p.name for p in self.direct.parent.glob(pattern)]
        folder = posixpath.dirname(self.name)
        return [n for n in self.siblings if posixpath.dirname(n) == folder
                and fnmatch.fnmatchcase(posixpath.basename(n), pattern)]

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel():
            raise Cancelled()

    def messages(self, fmt: str, total: int) -> contextlib.closing[
            Generator[tuple[jsonstream.Path, Any], None, None]]:
        """Every message of the JSON document, to use in a `with`: the file is closed when
        the block ends, however it ends (a parse that fails half-way included)."""
        return contextlib.closing(jsonstream.iter_messages(self.opener(), self.label, fmt,
                                                           total, cancel=self.cancel))


class ChatFormat(ABC):
    """One chat app's export format. Subclasses set the class attributes and implement
    `title`, `detect` and `parse`; the rest has defaults that most formats keep."""

    id: ClassVar[str]  # stable, never shown: "whatsapp"
    platforms: ClassVar[tuple[str, ...]]  # what --format names it by, what transcripts say
    reads: ClassVar[HeadKind]  # the kind of file its chat files are
    bare_names: ClassVar[bool] = False  # messages name attachments by file name alone

    @abstractmethod
    def title(self) -> str:
        """The app's name, for people (translated)."""

    def rank(self, name: str) -> int | None:
        """How early to try an export's file of this name (0 first), or None: never.
        Exports hold many files; only likely chat files are opened."""
        return None

    @abstractmethod
    def detect(self, probe: Probe) -> bool:
        """True when the probe is this format's chat file. Called only for files of the
        kind it `reads`, in registry order; the first format to say yes reads the file."""

    @abstractmethod
    def parse(self, probe: Probe) -> list[Conversation]:
        """The conversations in the file, attachments not yet linked (see link_media).
        Raises ChatParseError (or Cancelled); every file it opens is closed when it ends."""

    def whole_export(self, name: str) -> bool:
        """True when this chat file is the whole export, so no other file is tried."""
        return False

    def unreadable(self, probe: Probe) -> ChatParseError | None:
        """For a web page (kind "html") no format read: the error to give when it is this
        app's export in a form that cannot be read (it says how to export it instead)."""
        return None

    def accepts(self, wanted: str | None) -> bool:
        """Whether this format may read an export the person said is `wanted`."""
        return wanted is None or wanted in self.platforms

    def member_for(self, source: ExportSource, base: str, ref: str) -> str | None:
        """The export's own file an attachment named `ref` is, from folder `base`, or None.
        Never a name that could reach outside the export (see unsafe_reference)."""
        if unsafe_reference(ref, bare=self.bare_names):
            return None
        return source.resolve(base, ref)

    def link_media(self, conv: Conversation, source: ExportSource) -> None:
        """Point each attachment at the export's own file for it, if the export has one.

        A name that could reach outside the export is not looked up: the attachment is
        marked refused and the message keeps its text. A file the export links to on the
        internet is not looked for by its name either.
        """
        base = posixpath.dirname(conv.source_name)
        for _index, att in conv.attachment_refs():
            ref = att.path or (att.name if att.name and not att.omitted else None)
            if ref is None or att.kind == "link" or (att.path is None and att.url):
                continue
            if unsafe_reference(ref, bare=self.bare_names):
                att.path = None
                att.refused = True
                continue
            att.path = self.member_for(source, base, ref)


class JsonChatFormat(ChatFormat):
    """A format whose chat file is one JSON document, told apart by its shape."""

    reads: ClassVar[HeadKind] = "json"

    def detect(self, probe: Probe) -> bool:
        return self.is_shape(probe.skeleton().data)

    @abstractmethod
    def is_shape(self, data: Any) -> bool:
        """True when a JSON document (its messages cut to a sample) is this format's."""
