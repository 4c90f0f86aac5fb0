"""Sample case for the report tests (no tests here): hostile names, text in many scripts."""

from __future__ import annotations

import io

from PIL import Image

from evidence_app.bundle.report_model import ReportData, build_report_data

HOSTILE_NAME = '<script>alert("name")</script>.jpg'
SENSITIVE_NAME = "private_photo_of_me.jpg"
SPOOFED_NAME = "invoice\u202egpj.exe"
STATEMENT = (
    "Er schrieb mir auf Instagram. Grüße aus Köln.\n"
    "\n"
    "    Привет, меня зовут Анна.\n"
    "สวัสดีครับ ผมถูกหลอก\n"
    "مرحبا، لقد دفعت المال\n"
    "你好，我被骗了 😀🔒\n"
    "<script>alert('statement')</script> & <b>not bold</b>"
)
CHAT = {
    "platform": "whatsapp",
    "format": "whatsapp_txt",
    "title": "Lisa 💕",
    "participants": ["Me", "Lisa <img src=x onerror=alert(1)>"],
    "me": "Me",
    "messages": [
        {"index": 0, "time": "2026-10-01T20:01:00", "timezone": "device",
         "sender": "Lisa <img src=x onerror=alert(1)>", "text": "Hi dear <b>friend</b> 😘"},
        {"index": 1, "time": "2026-10-01T20:03:00", "timezone": "device", "sender": "Me",
         "text": "Hallo, wer bist du?", "attachments": [{"name": "IMG-001.jpg"}]},
        {"index": 2, "time": "2026-10-12T07:00:00Z", "timezone": "UTC", "sender": "Lisa",
         "text": "Send 500 USDT to TQ9x8V7Yh1kZ2c3Lm4Np5Qr6St7Uv8Wx9Y now", "edited": True},
    ],
}
INDICATORS = [
    {"type": "wallet", "value": "TQ9x8V7Yh1kZ2c3Lm4Np5Qr6St7Uv8Wx9Y", "seen_in": "chat Lisa"},
    {"type": "username", "value": "@lisa.invest_88", "seen_in": "case details"},
]
VERIFY = ("1. age -d -i police.key -o B.zip B.zip.age\n2. unzip B.zip\n"
          "3. cd B && sha256sum -c manifest-sha256.txt\n")


def jpeg(color: tuple[int, int, int], size: tuple[int, int] = (800, 500)) -> bytes:
    """A photo with the EXIF fields a phone writes."""
    exif = Image.Exif()
    exif[0x010F] = "Samsung"
    exif[0x0110] = "SM-G991B"
    exif[0x0132] = "2026:11:20 21:14:03"
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", exif=exif)
    return out.getvalue()


def fill_case(vault) -> dict[str, str]:
    """Four items (one sensitive), notes, case details and a trusted timestamp."""
    photo = vault.add_bytes(jpeg((40, 120, 200)), HOSTILE_NAME,
                            source={"type": "screenshot", "window": "WhatsApp"},
                            note="<img src=x onerror=alert(1)> Notiz: Grüße")
    private = vault.add_bytes(jpeg((255, 0, 0), (600, 900)), SENSITIVE_NAME,
                              source={"type": "import", "path": "/home/a/" + SENSITIVE_NAME},
                              sensitive=True,
                              description="Intimate image the offender threatened to publish")
    vault.add_note("He said he would send this to my family", private.id)
    text = vault.add_bytes("Überweisung 500 €".encode(), "Überweisung_Беларусь_โอนเงิน_转账.txt",
                           source={"type": "import", "path": "/home/a/u.txt"},
                           note="ملاحظة: تم الدفع 😀")
    spoof = vault.add_bytes(b"%PDF-1.4 not really", SPOOFED_NAME,
                            source={"type": "import", "path": "/home/a/x"})
    vault.update_case({
        "reference": "AZ 123/26 <b>",
        "statement": STATEMENT,
        "incident_dates": [{"from": "2026-10-01", "to": "2026-11-20"}],
        "platforms": ["Instagram", "WhatsApp"],
        "offender_accounts": [{"platform": "Instagram", "handle": "@lisa.invest_88",
                               "name": "Lisa"}],
        "payments": [{"date": "2026-10-12", "amount": "500", "currency": "USDT",
                      "method": "crypto", "reference": "tx 0xabc",
                      "wallet": "TQ9x8V7Yh1kZ2c3Lm4Np5Qr6St7Uv8Wx9Y"}],
        "contact": {"email": "victim@example.org"},
        "bank_notified": "yes, on 2026-11-21",
    })
    vault.add_note("Fallnotiz: sie verlangte mehr Geld")
    # Shaped like evidence_app.timestamp.vaultstamps.record_token's record.
    vault.record("timestamp_obtained", {
        "item_id": photo.id, "subject": {"kind": "item", "item_id": photo.id},
        "sha256": photo.sha256, "tsa": "FreeTSA", "tsa_url": "https://freetsa.org/tsr",
        "time": "2026-11-23T10:15:02.000000Z", "serial": "1"})
    return {"photo": photo.id, "private": private.id, "text": text.id, "spoof": spoof.id}


def report_data(vault, *, language: str = "en", items: list[str] | None = None,
                **extra) -> ReportData:
    chosen = [vault.item(i) for i in items] if items else list(vault.state.items.values())
    options = {"protection": "recipient", "recipient": "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2e",
               "verify_text": VERIFY, "chats": [CHAT], "indicators": INDICATORS}
    options.update(extra)
    return build_report_data(vault, chosen, bundle_name="AZ-123-26_20261123T101502Z",
                             sealed_at="2026-11-23T10:15:02.000000Z", sealed_offset="+01:00",
                             language=language, extra=options)
