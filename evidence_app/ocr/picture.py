"""A stored picture turned into the plain image the engine reads.

Pillow decodes the picture (any format the app shows), turns it upright by its EXIF
orientation, makes it grey and, when its text is likely small (a computer screenshot),
twice as large; the engine then gets an uncompressed PGM. The engine never parses the
original file, so a hostile picture meets one decoder (Pillow, the same as for thumbnails)
with a pixel limit, and the boxes are mapped back to the original's pixels.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter, ImageOps, UnidentifiedImageError

from evidence_app.core.errors import OcrFailed

MAX_PICTURE_BYTES = 200 << 20  # read into memory for decoding; bigger pictures are refused
MAX_PIXELS = 60_000_000  # a 60 MP photo is read; beyond that (or a bomb) is refused
ENLARGE_BELOW = 2_600  # a picture whose longer side is shorter is read twice as large
ENLARGED_MAX_PIXELS = 12_000_000


@dataclass(frozen=True)
class Prepared:
    image: bytes  # PGM
    scale: float  # prepared pixels per original pixel
    width: int  # of the original, upright
    height: int


def decode(data: bytes) -> Image.Image:
    """The picture upright and grey, or OcrFailed("not_a_picture" / "too_big")."""
    if len(data) > MAX_PICTURE_BYTES:
        raise OcrFailed("too_big", f"size={len(data)}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise OcrFailed("too_big", f"{img.width}x{img.height}")
                upright = ImageOps.exif_transpose(img)
                return _grey(upright)
    except OcrFailed:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise OcrFailed("too_big", type(exc).__name__) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise OcrFailed("not_a_picture", type(exc).__name__) from exc


def for_engine(grey: Image.Image, *, contrast: bool = False) -> Prepared:
    """A decoded picture as the engine gets it: enlarged when its text is likely small,
    and with `contrast`, text made dark on white everywhere (see local_contrast)."""
    width, height = grey.size
    if contrast:
        grey = local_contrast(grey)
    scale = 1.0
    if (max(width, height) < ENLARGE_BELOW
            and width * height * 4 <= ENLARGED_MAX_PIXELS):
        scale = 2.0
        grey = grey.resize((width * 2, height * 2), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    grey.save(out, "PPM")
    return Prepared(image=out.getvalue(), scale=scale, width=width, height=height)


def prepare(data: bytes, *, contrast: bool = False) -> Prepared:
    """The image the engine reads, from the picture's bytes."""
    return for_engine(decode(data), contrast=contrast)


def local_contrast(grey: Image.Image, radius: int = 20) -> Image.Image:
    """Each pixel against its neighbourhood's background (a bubble's colour, a dark mode
    screen): how far it stands out, stretched to black on white. Text on green, blue or
    black bubbles then reads like text on paper, whichever way round its colours are."""
    background = grey.filter(ImageFilter.MedianFilter(5)).filter(ImageFilter.BoxBlur(radius))
    stands_out = ImageChops.difference(grey, background)
    return ImageOps.invert(ImageOps.autocontrast(stands_out, cutoff=(0, 0.5)))


def _grey(img: Image.Image) -> Image.Image:
    """Grey on white: transparent parts (a cut-out screenshot) become white, not black."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        background.alpha_composite(rgba)
        return background.convert("L")
    return img.convert("L")
