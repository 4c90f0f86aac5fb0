"""The receipt: a small unencrypted note of what was handed over (text and printable PDF).

It lets anyone — the victim, a support worker, the officer at the desk — confirm that the
bundle file in hand is the one that was sealed, by its SHA-256, before opening it. The PDF
carries the hash as a QR code so it can be compared with a phone. A passphrase, when the
bundle has one, goes on a separate second page so the sheets can be handed over apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import qrcode
from fpdf import FPDF
from fpdf.fonts import FontFace as Style
from qrcode.constants import ERROR_CORRECT_M

from evidence_app.bundle import report_words as w
from evidence_app.bundle.fonts import FontChoice, choose_fonts
from evidence_app.bundle.report_pdf import GREY, HEAD_FILL, NAVY, RULE, register_fonts, shown
from evidence_app.bundle.report_times import when_text
from evidence_app.core.safefs import atomic_write
from evidence_app.i18n import _, ngettext

QR_MM = 48


@dataclass(frozen=True)
class ReceiptInfo:
    """What the receipt states. `protection`: "recipient" | "passphrase" | "none"."""

    bundle_file: str
    sha256: str
    signer_fingerprint: str
    item_count: int
    case_reference: str
    sealed_at: str
    sealed_offset: str
    protection: str
    recipient: str = ""
    passphrase: str | None = None
    size: int | None = None
    signer_public_key: str = ""  # the OpenSSH line, for an allowed_signers file built by hand
    made_by_app: int = 0  # of item_count: transcripts and the like, made from an original


def items_text(info: ReceiptInfo) -> str:
    """How many items, and how many of them the app made (a chat's transcripts are not
    more evidence than the export they were made from)."""
    if not info.made_by_app:
        return str(info.item_count)
    originals = info.item_count - info.made_by_app
    return ngettext("{count} ({originals} as handed in, {made} made by this app from them)",
                    "{count} ({originals} as handed in, {made} made by this app from them)",
                    info.item_count).format(count=info.item_count, originals=originals,
                                            made=info.made_by_app)


def _protection(info: ReceiptInfo) -> str:
    if info.protection == "recipient":
        return _("Encrypted with age to the recipient key {key}").format(key=info.recipient)
    if info.protection == "passphrase":
        return _("Encrypted with age using a passphrase (given separately)")
    return _("Not encrypted (the sender chose this)")


def receipt_rows(info: ReceiptInfo) -> list[tuple[str, str]]:
    rows = [
        (_("Bundle file"), info.bundle_file),
        (_("SHA-256 of the bundle file"), info.sha256),
        (_("Case reference"), info.case_reference or _("(none given)")),
        (_("Number of items"), items_text(info)),
        (_("Sealed at"), when_text(info.sealed_at, info.sealed_offset)),
        (_("Signer key fingerprint"), info.signer_fingerprint),
        (_("Protection"), _protection(info)),
    ]
    if info.signer_public_key:
        rows.insert(-1, (_("Signer public key"), info.signer_public_key))
    if info.size is not None:
        rows.insert(2, (_("Size"), w.human_size(info.size)))
    return rows


def _check_lines(info: ReceiptInfo) -> list[str]:
    name = info.bundle_file
    inner = name[:-len(".age")] if name.endswith(".age") else name
    lines = [
        _("To check that a file is this bundle, compute its SHA-256 and compare it with the "
          "one above (every character must match):"),
        f"  Linux:   sha256sum '{name}'",
        f"  macOS:   shasum -a 256 '{name}'",
        f"  Windows: certutil -hashfile \"{name}\" SHA256",
    ]
    if info.protection == "passphrase":
        lines += [_("Then decrypt it (age asks for the passphrase):"),
                  f"  age -d -o '{inner}' '{name}'"]
    elif info.protection == "recipient":
        lines += [_("Then decrypt it with the receiving unit's age identity file:"),
                  f"  age -d -i UNIT-KEY.txt -o '{inner}' '{name}'"]
    lines += [
        _("Then follow VERIFY.txt inside the bundle, using the signer key above (not the one "
          "inside the bundle), or run: evidence-app verify '{file}' --receipt "
          "'{receipt}'").format(file=name, receipt=inner.removesuffix(".zip") + ".receipt.txt"),
    ]
    return lines


def _passphrase_note(info: ReceiptInfo) -> str:
    if info.passphrase:
        return _("The passphrase is on the second page of the printed receipt only. Hand it "
                 "over separately from the bundle, for example in person or by phone.")
    return _("The passphrase was shown once when the bundle was sealed and is not on this "
             "receipt. Hand it over separately from the bundle, for example in person or by "
             "phone.")


def render_receipt_text(info: ReceiptInfo) -> str:
    """NAME.receipt.txt. Never contains the passphrase (this file travels with the bundle)."""
    title = _("Evidence bundle receipt")
    rows = receipt_rows(info)
    width = max(len(label) for label, _v in rows) + 2
    lines = [title, "=" * len(title), ""]
    lines += [f"{label + ':':<{width}}{w.clean(value)}" for label, value in rows]
    lines.append("")
    if info.protection == "passphrase":
        lines += [_passphrase_note(info), ""]
    lines += _check_lines(info)
    return "\n".join(lines) + "\n"


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code for `text` as rows of dark (True) modules, quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, box_size=1)
    code.add_data(text)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def _draw_qr(pdf: FPDF, text: str, x: float, y: float, size: float) -> None:
    matrix = qr_matrix(text)
    cell = size / len(matrix)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(x + start * cell, y + r * cell, (c - start) * cell, cell, style="F")
            else:
                c += 1


def render_receipt_pdf(info: ReceiptInfo, out_path: Path) -> Path:
    """NAME.receipt.pdf written to out_path (the printed copy with the passphrase)."""
    atomic_write(Path(out_path), receipt_pdf_bytes(info))
    return Path(out_path)


def receipt_pdf_bytes(info: ReceiptInfo) -> bytes:
    """NAME.receipt.pdf: the facts, a QR code of the SHA-256, and (page 2) the passphrase."""
    text = [*(label + value for label, value in receipt_rows(info)), *_check_lines(info),
            _("Evidence bundle receipt"), _passphrase_note(info), info.passphrase or ""]
    fonts = choose_fonts(text)
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    register_fonts(pdf, fonts)
    pdf.set_title(_("Evidence bundle receipt") + " – " + info.bundle_file)
    pdf.add_page()
    pdf.set_font("body", "B", 18)
    pdf.set_text_color(*NAVY)
    pdf.cell(0, 10, shown(_("Evidence bundle receipt"), fonts), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*NAVY)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(5)
    pdf.set_font("body", "", 9.5)
    pdf.set_draw_color(*RULE)
    label_style = Style(emphasis="BOLD", fill_color=HEAD_FILL)
    with pdf.table(col_widths=(30, 70), first_row_as_headings=False, line_height=5,
                   padding=1.6, text_align="L") as table:
        for label, value in receipt_rows(info):
            row = table.row()
            row.cell(shown(label, fonts), style=label_style)
            mono = label.startswith("SHA-256") or value in (info.signer_fingerprint,
                                                            info.signer_public_key)
            row.cell(shown(value, fonts),
                     style=Style(family="mono", emphasis="", size_pt=8.4) if mono else None)
    pdf.ln(6)
    y = pdf.get_y()
    _draw_qr(pdf, info.sha256, pdf.l_margin, y, QR_MM)
    pdf.set_xy(pdf.l_margin + QR_MM + 6, y + 2)
    pdf.set_font("body", "", 9)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(pdf.epw - QR_MM - 6, 4.6,
                   shown(_("The QR code holds the SHA-256 above, so it can be compared with a "
                           "phone's camera."), fonts), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_y(y + QR_MM + 6)
    if info.protection == "passphrase":
        pdf.multi_cell(0, 5, shown(_passphrase_note(info), fonts), align="L",
                       new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    for line in _check_lines(info):
        mono = line.startswith("  ")
        pdf.set_font("mono" if mono else "body", "", 8.6 if mono else 9.5)
        pdf.multi_cell(0, 5, shown(line, fonts), align="L", new_x="LMARGIN", new_y="NEXT")
    if info.passphrase:
        _passphrase_page(pdf, info, fonts)
    return bytes(pdf.output())


def _passphrase_page(pdf: FPDF, info: ReceiptInfo, fonts: FontChoice) -> None:
    pdf.add_page()
    pdf.set_font("body", "B", 16)
    pdf.set_text_color(*NAVY)
    pdf.cell(0, 10, shown(_("Passphrase for the bundle"), fonts),
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("body", "", 10)
    pdf.multi_cell(0, 5.5, shown(info.bundle_file, fonts),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("mono", "", 16)
    pdf.set_fill_color(*HEAD_FILL)
    # left-aligned: justified lines would show uneven gaps, as if spaces were part of it
    pdf.multi_cell(0, 10, info.passphrase or "", fill=True, padding=4, align="L",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("body", "", 10)
    pdf.multi_cell(0, 5.5, shown(_passphrase_note(info), fonts), align="L",
                   new_x="LMARGIN", new_y="NEXT")
