"""Fill resources/fonts/ with the fonts the app ships, from Debian and npm packages.

The app, the PDF report and the tests must never depend on the fonts a machine happens to
have: a victim's laptop without Noto shows Thai, Khmer and Burmese as boxes. The results are
committed, so a build or a source install needs none of this; run it again only to update
a font or to widen the Chinese subset after the zh_CN catalogue changed:

    .venv/bin/python installer/make_fonts.py            # downloads the packages below
    .venv/bin/python installer/make_fonts.py --from DIR # .deb and .tgz files already in DIR

It writes the fonts, their licences and resources/fonts/README.md (package, version and
SHA-256 of every file).
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "fonts"
sys.path.insert(0, str(ROOT))

from evidence_app.languages import NATIVE_NAMES  # noqa: E402

NOTO = "usr/share/fonts/truetype/noto"
# file shipped -> (package, path inside it, what it is for)
DEBIAN_FILES = {
    "NotoSans-Regular.ttf": ("fonts-noto-core", NOTO, "Latin, Cyrillic, Greek, Vietnamese"),
    "NotoSans-Bold.ttf": ("fonts-noto-core", NOTO, "the same, bold"),
    "NotoSansMono-Regular.ttf": ("fonts-noto-mono", NOTO, "hashes, keys, commands"),
    "NotoSansThai-Regular.ttf": ("fonts-noto-core", NOTO, "Thai"),
    "NotoSansThai-Bold.ttf": ("fonts-noto-core", NOTO, "Thai, bold"),
    "NotoSansKhmer-Regular.ttf": ("fonts-noto-core", NOTO, "Khmer"),
    "NotoSansKhmer-Bold.ttf": ("fonts-noto-core", NOTO, "Khmer, bold"),
    "NotoSansMyanmar-Regular.ttf": ("fonts-noto-core", NOTO, "Burmese"),
    "NotoSansMyanmar-Bold.ttf": ("fonts-noto-core", NOTO, "Burmese, bold"),
    "NotoSansArabic-Regular.ttf": ("fonts-noto-core", NOTO, "Arabic"),
    "NotoSansArabic-Bold.ttf": ("fonts-noto-core", NOTO, "Arabic, bold"),
}
# Symbols the app's own words use (✗, ⋮) and chats often have (arrows, stars, ticks):
# file shipped -> (source file in fonts-noto-core, code point ranges kept, what it is for)
SYMBOL_SUBSETS = {
    "NotoSansSymbols2-Regular-Subset.ttf": (
        "NotoSansSymbols2-Regular.ttf", [(0x2000, 0x2BFF)],
        "symbols U+2000–2BFF (arrows, shapes, dingbats such as ✗)"),
    "NotoSansMath-Regular-Subset.ttf": (
        "NotoSansMath-Regular.ttf", [(0x2190, 0x22FF)],
        "arrows and mathematical operators U+2190–22FF (such as → and ⋮)"),
}
CJK_PACKAGE = "fonts-noto-cjk"
CJK_SOURCE = ("usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)  # face 2: SC
CJK_FILE = "NotoSansCJKsc-Regular-Subset.otf"
EMOJI_PACKAGE = "@expo-google-fonts/noto-emoji"
EMOJI_SOURCE = "package/400Regular/NotoEmoji_400Regular.ttf"
EMOJI_FILE = "NotoEmoji-Regular.ttf"
DEBIAN_PACKAGES = sorted({p for p, _d, _w in DEBIAN_FILES.values()} | {CJK_PACKAGE})
CATALOGUE = ROOT / "resources" / "locale" / "zh_CN" / "LC_MESSAGES" / "evidence_app.po"


def gb2312() -> set[int]:
    """Every character of GB 2312: the 6,763 everyday Hanzi plus punctuation and kana."""
    chars: set[int] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.update(ord(c) for c in bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def catalogue_chars() -> set[int]:
    """Every character the Chinese catalogue shows (msgstr), so no screen has a gap."""
    from babel.messages.pofile import read_po

    with CATALOGUE.open("rb") as fh:
        catalog = read_po(fh)
    chars: set[int] = set()
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple | list) else \
            (message.string,)
        for text in strings:
            chars.update(ord(c) for c in text or "")
    return chars


def cjk_subset_chars() -> set[int]:
    wanted = gb2312() | catalogue_chars()
    wanted.update(ord(c) for name in NATIVE_NAMES.values() for c in name)
    wanted.update(range(0x20, 0x7F))          # ASCII, so digits in Chinese text match
    wanted.update(range(0x3000, 0x3040))      # CJK punctuation
    wanted.update(range(0xFF00, 0xFFF0))      # full-width forms
    return wanted


def subset_font(source: Path, target: Path, unicodes: set[int], face: int = 0,
                hinting: bool = True) -> None:
    """Keep only `unicodes` (and every layout feature, so shaping is unchanged)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), fontNumber=face)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = hinting
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.save(str(target))


def download(work: Path) -> None:
    subprocess.run(["apt-get", "download", *DEBIAN_PACKAGES], cwd=work, check=True)
    subprocess.run(["npm", "pack", "--silent", EMOJI_PACKAGE], cwd=work, check=True)


def deb_version(deb: Path) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), "Version"], capture_output=True,
                          text=True, check=True).stdout.strip()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(source: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="fonts-"))
    try:
        versions: dict[str, str] = {}
        for package in DEBIAN_PACKAGES:
            deb = next(source.glob(f"{package}_*.deb"))
            versions[package] = deb_version(deb)
            subprocess.run(["dpkg-deb", "-x", str(deb), str(work / package)], check=True)
        tgz = next(source.glob("expo-google-fonts-noto-emoji-*.tgz"))
        versions[EMOJI_PACKAGE] = tgz.name.removesuffix(".tgz").rsplit("-", 1)[1]
        with tarfile.open(tgz) as archive:
            archive.extractall(work / "emoji", filter="data")

        if OUT.exists():
            shutil.rmtree(OUT)
        (OUT / "licences").mkdir(parents=True)
        rows: list[tuple[str, str, str]] = []
        for name, (package, folder, use) in DEBIAN_FILES.items():
            shutil.copyfile(work / package / folder / name, OUT / name)
            rows.append((name, f"Debian `{package}` {versions[package]}", use))
        for name, (source_name, ranges, use) in SYMBOL_SUBSETS.items():
            source_path = work / "fonts-noto-core" / NOTO / source_name
            subset_font(source_path, OUT / name,
                        {c for first, last in ranges for c in range(first, last + 1)})
            rows.append((name, f"Debian `fonts-noto-core` {versions['fonts-noto-core']}",
                         f"{source_name} subset: {use}"))
        # CFF hints add ~15 % and Qt/FreeType render well without them
        subset_font(work / CJK_PACKAGE / CJK_SOURCE[0], OUT / CJK_FILE, cjk_subset_chars(),
                    face=CJK_SOURCE[1], hinting=False)
        rows.append((CJK_FILE, f"Debian `{CJK_PACKAGE}` {versions[CJK_PACKAGE]}",
                     "Simplified Chinese: NotoSansCJK-Regular.ttc face 2 (SC) subset to "
                     "GB 2312, the zh_CN catalogue and the language names"))
        shutil.copyfile(work / "emoji" / EMOJI_SOURCE, OUT / EMOJI_FILE)
        rows.append((EMOJI_FILE, f"npm `{EMOJI_PACKAGE}` {versions[EMOJI_PACKAGE]}",
                     "emoji, black and white (Noto Emoji 400)"))
        for package in DEBIAN_PACKAGES:
            shutil.copyfile(work / package / "usr/share/doc" / package / "copyright",
                            OUT / "licences" / f"{package}.copyright")
        shutil.copyfile(work / "emoji/package/LICENSE_FONT", OUT / "licences" / "OFL.txt")
        write_readme(rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_readme(rows: list[tuple[str, str, str]]) -> None:
    lines = [
        "# Fonts shipped with Evidence Locker",
        "",
        "So the app, the PDF report and the receipt show every language the app speaks (and",
        "the scripts victims and offenders write in) on any machine, with no system fonts.",
        "All are Google's Noto fonts under the SIL Open Font License 1.1 (`licences/OFL.txt`;",
        "the Debian packages' copyright files are in `licences/`). Noto has no reserved font",
        "names, so the Chinese subset keeps its name.",
        "",
        "Made by `installer/make_fonts.py` (run it again to update; see its docstring).",
        "",
        "| file | from | for | SHA-256 |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| `{name}` | {origin} | {use} | `{sha256(OUT / name)}` |"
              for name, origin, use in rows]
    total = sum(p.stat().st_size for p in OUT.iterdir() if p.is_file())
    lines += ["", f"Together {total / 1e6:.1f} MB."]
    (OUT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path,
                        help="folder with the .deb and .tgz files (else they are downloaded)")
    args = parser.parse_args()
    if args.source:
        build(args.source)
    else:
        with tempfile.TemporaryDirectory(prefix="font-packages-") as tmp:
            download(Path(tmp))
            build(Path(tmp))
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
