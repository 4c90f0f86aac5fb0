"""The report's data model, filled from a real vault."""

from __future__ import annotations

import pytest

from evidence_app.bundle.report_model import build_timeline, exif_summary
from evidence_app.core.errors import JournalCorrupt
from tests.bundle.test_report_samples import (
    HOSTILE_NAME,
    SENSITIVE_NAME,
    STATEMENT,
    fill_case,
    report_data,
)


def test_items_case_and_trusted_time_come_from_the_vault(vault):
    ids = fill_case(vault)
    data = report_data(vault)
    assert data.item_count == 4
    assert data.signer_fingerprint == vault.fingerprint()
    by_number = {i.number: i for i in data.items}
    photo = by_number[ids["photo"]]
    assert photo.name == HOSTILE_NAME
    assert photo.thumbnail == vault.thumbnail_bytes(ids["photo"])
    assert photo.trusted_time is not None
    assert photo.trusted_time.tsa == "FreeTSA"
    assert ("Make", "Samsung") in photo.exif
    assert photo.image_size == (800, 500)
    assert [n.text for n in photo.notes] == ["<img src=x onerror=alert(1)> Notiz: Grüße"]
    case = data.case
    assert case.statement == STATEMENT
    assert case.reference == "AZ 123/26 <b>"
    assert case.incident_dates == ["2026-10-01 – 2026-11-20"]
    assert case.offenders[0].identifier == "@lisa.invest_88"
    assert case.payments[0].wallet == "TQ9x8V7Yh1kZ2c3Lm4Np5Qr6St7Uv8Wx9Y"
    assert ("bank_notified", "yes, on 2026-11-21") in case.other
    assert [t for t, _time in case.notes] == ["Fallnotiz: sie verlangte mehr Geld"]
    assert [i.value for i in data.indicators][0].startswith("TQ9x8")


def test_sensitive_item_keeps_only_hash_type_and_description(vault):
    ids = fill_case(vault)
    assert vault.thumbnail_bytes(ids["private"])  # the vault has one; the report must not
    private = next(i for i in report_data(vault).items if i.number == ids["private"])
    assert private.sensitive
    assert private.thumbnail is None
    assert private.notes == []
    assert private.exif == []
    assert private.image_size is None


def test_copy_made_from_a_sensitive_item_is_sensitive_too(vault):
    ids = fill_case(vault)
    copy = vault.add_bytes(vault.thumbnail_bytes(ids["private"]), "crop.jpg",
                           source={"type": "import"}, kind="derived",
                           derived_from=ids["private"])
    item = next(i for i in report_data(vault).items if i.number == copy.id)
    assert item.sensitive
    assert item.thumbnail is None


def test_custody_log_covers_case_and_sealed_items_only(vault):
    ids = fill_case(vault)
    data = report_data(vault, items=[ids["photo"], ids["private"]])
    events = " ".join(c.event for c in data.custody)
    assert "Vault created" in events
    assert HOSTILE_NAME in events
    assert "Беларусь" not in events  # item not sealed: its record stays out
    assert SENSITIVE_NAME not in events  # sensitive: no file name anywhere in the report
    assert all(len(c.hash) == 64 for c in data.custody)
    seqs = [c.seq for c in data.custody]
    assert seqs == sorted(seqs)


def test_timeline_orders_items_and_chat_messages_by_time(vault):
    fill_case(vault)
    data = report_data(vault)
    kinds = [e.kind for e in data.timeline]
    assert kinds[:3] == ["message", "message", "message"]  # October, before the items
    assert kinds.count("item") == 4
    private = next(e for e in data.timeline if e.text.startswith("Intimate"))
    assert SENSITIVE_NAME not in private.text


def test_long_chats_are_counted_per_day_in_the_timeline(vault):
    fill_case(vault)
    messages = [{"index": i, "time": f"2026-10-{1 + i // 300:02d}T10:{i % 60:02d}:00",
                 "timezone": "device", "sender": "Lisa", "text": f"m{i}"} for i in range(900)]
    data = report_data(vault, chats=[{"platform": "telegram", "title": "T",
                                      "messages": messages}])
    days = [e for e in data.timeline if e.kind == "messages"]
    assert [d.count for d in days] == [300, 300, 300]
    assert len(data.chats[0].messages) == 900  # the transcript itself keeps every message
    assert build_timeline([], data.chats)[0].time.startswith("2026-10-01")


def test_exif_summary_gives_decimal_gps():
    rows = dict(exif_summary({"Make": "Apple", "GPS": {
        "GPSLatitude": [52, 31, 12.0], "GPSLatitudeRef": "N",
        "GPSLongitude": [13, 24, 36.0], "GPSLongitudeRef": "W"}}))
    assert rows == {"Make": "Apple", "GPS": "52.520000, -13.410000"}


def test_chat_importer_objects_and_indicator_sources_are_read(vault):
    from evidence_app.bundle import report_words as w
    from evidence_app.bundle.report_model import ChatAttachment
    from evidence_app.chats.model import Attachment, Conversation, Message

    fill_case(vault)
    conversation = Conversation(platform="telegram", format="telegram_json", title="Lisa",
                                participants=["Me", "Lisa"], me="Me", messages=[
                                    Message(0, "2026-10-02T08:00:00", "+07:00", "Lisa", "สวัสดี",
                                            attachments=[Attachment("qr.png", "photo")])])
    sources = [{"item_id": "5", "message_index": n, "kind": "transcript", "sender": "Lisa"}
               for n in range(9)]
    data = report_data(vault, chats=[conversation], indicators=[
        {"type": "phone", "value": "+66812345678", "sources": sources}])
    message = data.chats[0].messages[0]
    assert (message.sender, message.text, message.attachments) == (
        "Lisa", "สวัสดี", [ChatAttachment("qr.png", "photo")])
    assert w.message_text(message.text, message.attachments, []) == "สวัสดี\n[photo: qr.png]"
    assert w.zone_time(message.time, message.timezone) == "2026-10-02 08:00:00 (UTC+07:00)"
    kind, value, where = w.indicator_row(data.indicators[0])
    assert (kind, value) == ("Phone number", "+66812345678")  # the JSON keeps "phone"
    assert where.startswith("item 5, message 1, from Lisa; item 5, message 2")
    assert where.endswith("and 3 more places")


def _one_message_timeline(text: str):
    from evidence_app.bundle.report_model import ChatMessage, ChatTranscript

    chat = ChatTranscript("Anna", "whatsapp", messages=[
        ChatMessage("2026-04-04T10:05", "device", "Anna", text)])
    (entry,) = build_timeline([], [chat])
    return entry.text


def test_timeline_snippet_never_cuts_an_address_or_a_grouped_iban():
    wallet = "0x52908400098527886E0F7030069857D2E4169EE7"
    iban = "DE89 3704 0044 0532 0130 00"
    for value in (wallet, iban, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
                  "anna.invest@proton.me"):
        for lead in range(60, 90, 3):  # the value starts before the cut and ends after it
            text = "x" * (lead - 1) + " " + value + " and then a long tail of more words " * 3
            shown = _one_message_timeline(text)
            assert value in shown, (lead, shown)
            assert shown.endswith(" …")
    assert _one_message_timeline("short") == "short"
    long_word = "y" * 400
    assert len(_one_message_timeline(long_word)) < 200  # a pasted blob is still cut


def test_payment_columns_fit_their_words(vault):
    from evidence_app.bundle import report_words as w

    fill_case(vault)
    vault.update_case({"payments": [{"note": "paid 300 to 0xabc"},
                                    {"amount": "20", "currency": "EUR", "to": "J. Doe"}]})
    table = w.payment_table(report_data(vault))
    assert table.header == ["Amount", "Recipient"]  # only what someone filled in
    assert [r.cells for r in table.rows] == [None, ["20 EUR", "J. Doe"]]
    assert table.rows[0].note == "paid 300 to 0xabc"


def _rows(data) -> dict[str, str]:
    from evidence_app.bundle import report_integrity_words as iw

    return {label: value for label, value, _style in iw.integrity_rows(data)}


def test_integrity_counts_trusted_times_by_content_and_names_problems(vault):
    ids = fill_case(vault)  # item "photo" has a FreeTSA token
    copy = vault.add_bytes(b"Uberweisung 500 EUR", "copy.txt", source={"type": "import"})
    text = vault.item(ids["text"])
    vault.record("ots_proof", {"sha256": text.sha256, "subject": {"kind": "item",
                                                                   "item_id": text.id},
                               "object_id": "x", "state": "bitcoin"})
    vault.record("ots_proof", {"sha256": copy.sha256, "object_id": "y", "state": "pending"})
    vault.record("header_changed", {})
    rows = _rows(report_data(vault))
    trusted = rows["Trusted time"]
    assert trusted.startswith("2 of 5 items have a trusted timestamp (items 1, 3).")
    assert f"From a time-stamp authority (RFC 3161): item {ids['photo']}" in trusted
    assert f"OpenTimestamps, confirmed in Bitcoin: item {ids['text']}" in trusted
    assert f"OpenTimestamps proof not yet confirmed: item {copy.id}" in trusted
    assert "victim's computer clock" in trusted  # for the other three
    assert "differed from the one last seen" in rows["Problems recorded"]
    assert rows["Evidence items"].splitlines()[1].startswith("5 originals")


def test_a_custody_log_that_is_not_whole_is_never_called_unbroken(vault):
    fill_case(vault)
    vault.records[2]["data"]["name"] = "renamed.jpg"  # an altered record, its hash kept
    with pytest.raises(JournalCorrupt):
        report_data(vault)
