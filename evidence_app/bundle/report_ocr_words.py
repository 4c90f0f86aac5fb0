"""The report's words about what was read by machine in pictures: the note above a picture's
text, what is left out and where it is, a reading item's source, and an indicator's place.

Shared by the HTML and the PDF; every sentence through `_()` when called, so it is in the
report's language. Values (the text read, file names) are raw: the renderers escape them.
"""

from __future__ import annotations

from typing import Any

from evidence_app.bundle.report_model import Indicator, PictureWords
from evidence_app.i18n import N_, _, ngettext
from evidence_app.ocr.found import PICTURE_KIND

# The engine's language codes, named in the report's language (the engine's own code for
# one this list does not know).
_LANGUAGES = {
    "eng": N_("English"), "ara": N_("Arabic"), "deu": N_("German"), "spa": N_("Spanish"),
    "fra": N_("French"), "ind": N_("Indonesian"), "khm": N_("Khmer"), "mya": N_("Burmese"),
    "por": N_("Portuguese"), "rus": N_("Russian"), "tha": N_("Thai"), "fil": N_("Filipino"),
    "vie": N_("Vietnamese"), "chi_sim": N_("Chinese (simplified)"),
}


def language_names(codes: tuple[str, ...] | list[str]) -> str:
    """'Thai + English' for ("tha", "eng")."""
    return " + ".join(_(_LANGUAGES[c]) if c in _LANGUAGES else c for c in codes)


def engine_text(words: PictureWords) -> str:
    """'Tesseract 5.3.0, Thai + English'."""
    engine = " ".join(p for p in (words.engine, words.engine_version) if p) or _("unknown")
    if not words.languages:
        return engine
    return _("{engine}, {languages}").format(engine=engine,
                                             languages=language_names(words.languages))


def reading_note(words: PictureWords) -> str:
    """Said above the text: it was read by a machine, and machines misread."""
    return _("Read by machine from the picture ({engine}); check it against the "
             "picture:").format(engine=engine_text(words))


def reading_text(words: PictureWords) -> str:
    return "\n".join(words.lines)


def more_text(words: PictureWords) -> str:
    """What is not printed, and the file that holds all of it; "" when nothing is left out."""
    if words.cut:
        return _("The text goes on; all of it is in {path}.").format(path=words.path)
    if not words.more_lines:
        return ""
    return ngettext("{count} more line is not printed here; all the text is in {path}.",
                    "{count} more lines are not printed here; all the text is in {path}.",
                    words.more_lines).format(count=words.more_lines, path=words.path)


def withheld_text(words: PictureWords) -> str:
    """For a sensitive picture: words were read, where they are, and why they are not here."""
    return _("Words were read by machine from this picture. They are not printed because the "
             "picture is marked sensitive; they are in the bundle as item {number}, in the "
             "folder data/ocr/.").format(number=words.item)


def empty_text(words: PictureWords) -> str:
    return _("The picture was read by machine ({engine}) and no words were found.").format(
        engine=engine_text(words))


def indicators_withheld_text(count: int) -> str:
    return ngettext(
        "{count} indicator read by machine only in pictures marked sensitive is not printed "
        "here; it is in data/metadata/indicators.json.",
        "{count} indicators read by machine only in pictures marked sensitive are not "
        "printed here; they are in data/metadata/indicators.json.",
        count).format(count=count)


def picture_place(source: dict[str, Any]) -> str:
    """Where an indicator was read: the picture (number and name) and the area in it, in the
    picture's own pixels (picture_place_note() says how to read them)."""
    item, name = source.get("item_id", ""), source.get("item_name")
    place = (_("item {item} ({name}), read by machine from the picture").format(
        item=item, name=name) if name else
        _("item {item}, read by machine from the picture").format(item=item))
    box = source.get("box")
    if isinstance(box, list | tuple) and len(box) == 4 and all(
            isinstance(v, int) for v in box):
        left, top, width, height = box
        place += " " + _("at x {x}, y {y} ({width} × {height} px)").format(
            x=left, y=top, width=width, height=height)
    return place


def picture_place_note() -> str:
    """Said once under an indicators table that has places read in pictures."""
    return _("\"Read by machine from the picture\": the value was read in the picture by "
             "software, which can misread; check it against the picture. x and y count the "
             "picture's own pixels from its top left corner, then the width and height of "
             "the area where it was read.")


def reads_pictures(indicators: list[Indicator]) -> bool:
    return any(s.get("kind") == PICTURE_KIND for i in indicators for s in i.sources)


def sensitive_reading_label() -> str:
    """For a reading of a sensitive picture, in place of its file name and text."""
    return _("Made by this app from a sensitive picture: its file name and the words in it "
             "are not shown. The file is in the bundle, under its item number.")


_ROLES = {"text": N_("The words, line by line as in the picture"),
          "boxes": N_("Where each word is in the picture (TSV table: left, top, width, height "
                      "in the picture's pixels)")}


def _setting(settings: Any) -> str:
    if not isinstance(settings, dict):
        return str(settings)
    parts = [f"--oem {settings.get('oem')}", f"--psm {settings.get('psm')}"]
    text = _("Engine settings: {options}").format(options=" ".join(parts))
    scale = settings.get("scale")
    if isinstance(scale, int | float) and scale != 1:
        text += "; " + _("picture enlarged {times} times before reading").format(
            times=f"{scale:g}")
    return text


def _passes(passes: Any) -> str:
    """How often and how the picture was read (ocr/passes.py), one reading a clause."""
    if not isinstance(passes, list) or len(passes) < 2:
        return ""
    said = []
    for number, step in enumerate(passes, 1):
        if not isinstance(step, dict):
            continue
        languages = language_names([str(c) for c in step.get("languages") or []])
        how = (_("text set dark on white first") if step.get("contrast")
               else _("the picture as it is"))
        said.append(f"{number}. {languages}, {how}")
    return ngettext("Read {count} time: {readings}",
                    "Read {count} times, and what any reading found is listed: {readings}",
                    len(passes)).format(count=len(passes), readings="; ".join(said))


def reading_source_text(source: dict[str, Any]) -> str:
    """The source of a reading item (text or word boxes) in words, one detail a line; a
    detail this app does not know is shown raw, as elsewhere in the report."""
    lines = [_("Read by machine (OCR) by this app from the picture in item {number}").format(
        number=source.get("picture", "?"))]
    if source.get("role") in _ROLES:
        lines.append(_(_ROLES[str(source["role"])]))
    engine = PictureWords(item="", path="", engine=str(source.get("engine") or ""),
                          engine_version=str(source.get("engine_version") or ""),
                          languages=tuple(str(c) for c in source.get("languages") or []))
    lines.append(_("Engine: {engine}").format(engine=engine_text(engine)))
    if "settings" in source:
        lines.append(_setting(source["settings"]))
    if _passes(source.get("passes")):
        lines.append(_passes(source.get("passes")))
    if source.get("words") is not None:
        count = int(source["words"]) if str(source["words"]).isdigit() else 0
        words = ngettext("{count} word", "{count} words", count).format(count=count)
        if source.get("mean_confidence") is not None:
            words += "; " + _("mean confidence {value} of 100").format(
                value=source["mean_confidence"])
        lines.append(words)
    if source.get("picture_sha256"):
        lines.append(_("The picture's SHA-256: {sha}").format(sha=source["picture_sha256"]))
    if source.get("boxes_item"):
        lines.append(_("Where each word is: item {number}").format(
            number=source["boxes_item"]))
    known = {"type", "role", "engine", "engine_version", "languages", "settings", "picture",
             "picture_sha256", "words", "mean_confidence", "boxes_item", "passes"}
    lines += [f"{k}: {v}" for k, v in source.items() if k not in known and v not in (None, "")]
    return "\n".join(lines)
