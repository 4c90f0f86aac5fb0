"""The first page's integrity status in words: what was checked when sealing, which items
are originals and which the app made, the time span, and which times are confirmed."""

from __future__ import annotations

from evidence_app.bundle.report_model import IntegrityStatus, ReportData, TimeSpan
from evidence_app.bundle.report_times import clock_time, utc_text
from evidence_app.i18n import _, ngettext

Row = tuple[str, str, str]


def item_numbers(numbers: list[str]) -> str:
    """'1–3, 7' for items 1, 2, 3 and 7: short enough to read, exact enough to check."""
    runs: list[list[int]] = []
    other: list[str] = []
    for number in numbers:
        if not number.isdigit():
            other.append(number)
        elif runs and int(number) == runs[-1][-1] + 1:
            runs[-1].append(int(number))
        else:
            runs.append([int(number)])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" if len(r) > 2
             else f"{r[0]}, {r[1]}" for r in runs]
    return ", ".join(parts + other)


def _items_phrase(numbers: list[str]) -> str:
    return ngettext("item {numbers}", "items {numbers}", len(numbers)).format(
        numbers=item_numbers(numbers))


def _checked_text(status: IntegrityStatus, total: int) -> str:
    lines = []
    if status.hashes_checked:
        lines.append(ngettext(
            "The file was read back from the encrypted vault while sealing; its SHA-256 "
            "fingerprint is the one recorded when it was added.",
            "All {count} files were read back from the encrypted vault while sealing; each "
            "SHA-256 fingerprint is the one recorded when the file was added.",
            total).format(count=total))
    else:
        lines.append(_("The files were not read back for this report (it was not made while "
                       "sealing)."))
    if status.chain_checked:
        lines.append(ngettext(
            "The custody log ({count} record) is unbroken, and signed with the vault's key.",
            "The custody log ({count} records) is unbroken: each record is linked to the one "
            "before and signed with the vault's key.",
            status.custody_records).format(count=status.custody_records))
    return "\n".join(lines)


def _items_text(status: IntegrityStatus) -> str:
    total = len(status.originals) + len(status.made_by_app)
    lines = [ngettext("{count} item in this bundle:", "{count} items in this bundle:",
                      total).format(count=total)]
    if status.originals:
        lines.append(ngettext(
            "{count} original, as the person handed it in ({items})",
            "{count} originals, as the person handed them in ({items})",
            len(status.originals)).format(count=len(status.originals),
                                          items=_items_phrase(status.originals)))
    read = set(status.words_read)
    chats = [n for n in status.made_by_app if n not in read]
    made = len(chats)
    if made and status.made_from:
        lines.append(ngettext(
            "{count} chat transcript made by this app ({items}) from {sources}",
            "{count} chat transcripts made by this app ({items}) from {sources}",
            made).format(count=made, items=_items_phrase(chats),
                         sources=_items_phrase(status.made_from)))
    elif made:
        lines.append(ngettext(
            "{count} chat transcript made by this app ({items})",
            "{count} chat transcripts made by this app ({items})",
            made).format(count=made, items=_items_phrase(chats)))
    if status.words_read:
        count = len(status.words_read)
        lines.append(ngettext(
            "{count} file of words read by machine in pictures, made by this app ({items}) "
            "from {sources}",
            "{count} files of words read by machine in pictures, made by this app ({items}) "
            "from {sources}",
            count).format(count=count, items=_items_phrase(status.words_read),
                          sources=_items_phrase(status.words_read_from)))
    return "\n".join(lines)


def span_text(span: TimeSpan) -> str:
    label = {"messages": _("Chat messages"), "photos": _("Photos taken"),
             "added": _("Added to the vault")}.get(span.what, span.what)
    first, last = clock_time(span.first, span.clock), clock_time(span.last, span.clock)
    if first == last:
        return _("{what}: {time}").format(what=label, time=first)
    return _("{what}: {first} to {last}").format(what=label, first=first, last=last)


def _trusted_text(status: IntegrityStatus, total: int) -> str:
    trusted = status.trusted
    if not trusted:
        lines = [_("None. No item has a trusted timestamp (RFC 3161 or OpenTimestamps): "
                   "every time in this report comes from the victim's computer clock, and "
                   "chat times from the phone's clock. None of them is independently "
                   "confirmed.")]
    else:
        lines = [ngettext("{count} of {total} items has a trusted timestamp ({items}).",
                          "{count} of {total} items have a trusted timestamp ({items}).",
                          len(trusted)).format(count=len(trusted), total=total,
                                               items=_items_phrase(trusted))]
        if status.rfc3161:
            lines.append(_("From a time-stamp authority (RFC 3161): {items}").format(
                items=_items_phrase(status.rfc3161)))
        if status.ots_confirmed:
            lines.append(_("OpenTimestamps, confirmed in Bitcoin: {items}").format(
                items=_items_phrase(status.ots_confirmed)))
        if len(trusted) < total:
            lines.append(_("All other times come from the victim's computer clock (chat "
                           "times from the phone's clock) and are not independently "
                           "confirmed."))
    if status.ots_pending:
        lines.append(_("OpenTimestamps proof not yet confirmed: {items}").format(
            items=_items_phrase(status.ots_pending)))
    return "\n".join(lines)


def integrity_rows(data: ReportData) -> list[Row]:
    """The first page's answer to "can I trust this?", in five rows."""
    status = data.integrity
    if status is None:
        return []
    total = len(status.originals) + len(status.made_by_app)
    problems = "\n".join(f"{utc_text(p.time)}: {p.event}" for p in status.problems)
    return [
        (_("Checked when sealed"), _checked_text(status, total), "text"),
        (_("Evidence items"), _items_text(status), "text"),
        (_("Time span"), "\n".join(span_text(s) for s in status.spans) or "–", "text"),
        (_("Trusted time"), _trusted_text(status, total), "text"),
        (_("Problems recorded"), problems or _(
            "None: the custody log records no damage, no older copy put back and no "
            "replaced key file."), "text"),
    ]
