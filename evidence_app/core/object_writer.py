"""Writing one new object file in order, straight to the disk where the system allows it.

A large object written through the page cache costs the CPU a copy of every byte, then the
kernel's write-back work at the final fsync, and fills the cache with ciphertext nobody
reads. On Linux the writer asks for direct I/O (O_DIRECT): the disk reads the encrypted
segments from our buffers. That needs buffers, lengths and file offsets aligned to ALIGN,
which the caller keeps (it hands over whole blocks and keeps the odd rest for the next
call), and the object's last bytes go through the page cache after direct I/O is switched
off. Where direct I/O is refused (another system, a file system without it), the same
calls write through the cache, with write-back started early. Durability is unchanged: the
caller's fsync at the end makes the file durable either way.
"""

from __future__ import annotations

import errno
import mmap
import os

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

ALIGN = 4096
_O_DIRECT = getattr(os, "O_DIRECT", 0)
_fadvise = getattr(os, "posix_fadvise", None)


def aligned_buffer(size: int) -> mmap.mmap:
    """Zeroed memory at a page boundary (what direct I/O reads from), `size` rounded up."""
    return mmap.mmap(-1, -(-size // mmap.PAGESIZE) * mmap.PAGESIZE)


def _set_direct(fd: int, on: bool) -> bool:
    """Switch direct I/O on or off for `fd`; False when the system or file system refuses."""
    if not _O_DIRECT or fcntl is None:
        return False
    try:
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, (flags | _O_DIRECT) if on else (flags & ~_O_DIRECT))
    except OSError:
        return False
    return True


class ObjectWriter:
    """Sequential writes to one file from its start; `direct` asks for direct I/O.

    Through the page cache, write-back is started every `writeback_every` bytes (0: left
    to the final fsync)."""

    def __init__(self, fd: int, *, direct: bool, writeback_every: int = 8 << 20) -> None:
        self.fd = fd
        self.writeback_every = writeback_every
        self.pos = 0
        self.kicked = 0
        self.direct = direct and _set_direct(fd, True)

    def write(self, data: memoryview, *, final: bool = False) -> None:
        """Write `data` at the end. Unless `final`, its length must be a multiple of ALIGN
        and it must start at a page boundary (an aligned_buffer)."""
        if self.direct and (final or len(data) % ALIGN):
            self._through_cache()
        view = memoryview(data)
        while view:
            try:
                written = os.write(self.fd, view)
            except OSError as exc:
                if exc.errno != errno.EINVAL or not self.direct:
                    raise
                self._through_cache()  # this file system takes no direct I/O after all
                continue
            view = view[written:]
            self.pos += written
        if not self.direct:
            self._kick()

    def _through_cache(self) -> None:
        _set_direct(self.fd, False)
        self.direct = False
        self.kicked = self.pos

    def _kick(self) -> None:
        """Through the page cache, have the disk start on what was written (Linux starts
        write-back on POSIX_FADV_DONTNEED), so disk and CPU work overlap."""
        every = self.writeback_every
        if _fadvise is not None and every and self.pos - self.kicked >= every:
            _fadvise(self.fd, self.kicked, self.pos - self.kicked, os.POSIX_FADV_DONTNEED)
            self.kicked = self.pos
