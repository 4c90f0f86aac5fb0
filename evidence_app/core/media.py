"""What a file is, from its content: media type, EXIF and a thumbnail (derived, separate).

The original is never changed; EXIF is read and kept as metadata, and thumbnails are new
objects that name their source.
"""

from __future__ import annotations

import io
import json
import logging
import warnings
from typing import Any, BinaryIO

import filetype
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

log = logging.getLogger(__name__)

THUMBNAIL_EDGE = 320
MAX_EXIF_TEXT = 512
# Refuse to decode images beyond this many pixels (decompression bombs); EXIF still works.
MAX_PIXELS = 120_000_000


def sniff_media_type(head: bytes) -> str:
    """Media type from magic numbers, then plain text / JSON, else octet-stream."""
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    if not head:
        return "application/octet-stream"
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or _looks_like_text(head):
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if text[:1] in (b"{", b"["):
            return "application/json"
        if text[:5].lower() in (b"<!doc", b"<html"):
            return "text/html"
        return "text/plain"
    return "application/octet-stream"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sniffed bytes is still text.
        if exc.start < len(head) - 4:
            return False
    return True


_TEXT_EXTENSIONS = {"text/plain": ".txt", "application/json": ".json", "text/html": ".html"}


def extension_for(media_type: str) -> str:
    """A file name ending for a media type sniff_media_type gave (".bin" when unknown)."""
    if media_type in _TEXT_EXTENSIONS:
        return _TEXT_EXTENSIONS[media_type]
    kind = filetype.get_type(mime=media_type)
    return f".{kind.extension}" if kind is not None else ".bin"


def is_image(media_type: str) -> bool:
    return media_type.startswith("image/")


def _json_safe(value: Any) -> Any:
    if isinstance(value, bytes):
        text = value.decode("utf-8", "replace").rstrip("\x00")
        return text[:MAX_EXIF_TEXT] if text.isprintable() else value[:64].hex()
    if isinstance(value, str):
        return value.rstrip("\x00")[:MAX_EXIF_TEXT]
    if isinstance(value, (tuple, list)):
        return [_json_safe(v) for v in value[:64]]
    if isinstance(value, (int, bool)) or value is None:
        return value
    try:
        number = float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return str(value)[:MAX_EXIF_TEXT]
    return number if number == number else None  # NaN from 0/0 rationals


def _named(tags: dict[int, Any], names: dict[int, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for tag_id, value in tags.items():
        out[names.get(tag_id, f"Tag{tag_id:#06x}")] = _json_safe(value)
    return out


def read_image_metadata(src: BinaryIO) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(EXIF as JSON-safe dict, {format, width, height}) or ({}, None) if not an image."""
    try:
        with Image.open(src) as img:
            info = {"format": img.format, "width": img.width, "height": img.height}
            exif = img.getexif()
            data = _named(dict(exif), ExifTags.TAGS)
            data.pop("ExifOffset", None)
            data.pop("GPSInfo", None)
            sub = exif.get_ifd(ExifTags.IFD.Exif)
            if sub:
                data.update(_named(dict(sub), ExifTags.TAGS))
            gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
            if gps:
                data["GPS"] = _named(dict(gps), ExifTags.GPSTAGS)
            # Round-trip through JSON so only plain values are ever recorded.
            return json.loads(json.dumps(data)), info
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return {}, None
    except Exception:  # Pillow raises odd errors on hostile files; metadata is optional
        log.debug("image metadata unreadable", exc_info=True)
        return {}, None


def make_thumbnail(src: BinaryIO) -> tuple[bytes, int, int] | None:
    """A small JPEG for lists; None when the image cannot or should not be decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(src) as img:
                if img.width * img.height > MAX_PIXELS:
                    return None
                img.draft("RGB", (THUMBNAIL_EDGE * 2, THUMBNAIL_EDGE * 2))
                pic = ImageOps.exif_transpose(img)
                pic.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
                if pic.mode not in ("RGB", "L"):
                    background = Image.new("RGB", pic.size, (255, 255, 255))
                    rgba = pic.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    pic = background
                out = io.BytesIO()
                pic.save(out, "JPEG", quality=80)
                return out.getvalue(), pic.width, pic.height
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombWarning, Image.DecompressionBombError):
        return None
    except Exception:
        log.debug("thumbnail failed", exc_info=True)
        return None
