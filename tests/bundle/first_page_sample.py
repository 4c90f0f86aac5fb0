"""The case the first-page tests seal (no tests here): what the issue's officer was handed.

Two WhatsApp chats whose dates could be read either way (03/04/2026), one from an iPhone
(the encryption notice attributed to Anna, a picture left out of the export) and one from
Android ("<Media omitted>"); a payment the victim wrote only in words, with a wallet in it;
the victim's own e-mail address and phone number under "How to reach me"; a message whose
wallet address straddles the timeline's cut.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from evidence_app.bundle.seal import Protection, seal
from evidence_app.chats.importer import import_chat
from evidence_app.core.vault import Vault
from tests.bundle.bundle_helpers import unpack
from tests.helpers import PASSPHRASE

WALLET = "0x52908400098527886E0F7030069857D2E4169EE7"
IBAN = "DE89370400440532013000"
VICTIM_EMAIL = "ben.victim@example.org"
VICTIM_PHONE = "+49 170 1234567"
VICTIM_PHONE_E164 = "+491701234567"
OFFENDER_EMAIL = "anna.invest@proton.me"
CONTACT = f"Mail: {VICTIM_EMAIL}\nTel. {VICTIM_PHONE} (evenings)"
PAYMENT_NOTE = f"I paid 0.5 ETH on 5 April to {WALLET} from my Coinbase account"
# The wallet starts before the timeline's 90-character cut and ends after it.
LONG_MESSAGE = ("You will send the money today, I am waiting for it, here is where: "
                f"{WALLET} and after that I delete everything, I promise you that.")
ENCRYPTION = ("Messages and calls are end-to-end encrypted. No one outside of this chat, not "
              "even WhatsApp, can read or listen to them.")
LRM = "\u200e"

IOS_CHAT = (
    f"{LRM}[03/04/2026, 21:15:01] Anna: {LRM}{ENCRYPTION}\n"
    "[03/04/2026, 21:16:00] Anna: Hi Ben, I saw your profile.\n"
    "[03/04/2026, 21:17:00] Ben: Hello, who are you?\n"
    f"{LRM}[04/04/2026, 10:02:00] Anna: {LRM}image omitted\n"
    f"[04/04/2026, 10:05:00] Anna: {LONG_MESSAGE}\n"
    f"[04/04/2026, 10:06:00] Anna: Write to me at {OFFENDER_EMAIL}\n"
)
ANDROID_CHAT = (
    f"03/04/2026, 22:00 - {ENCRYPTION} Tap to learn more.\n"
    "03/04/2026, 22:01 - Anna: Did you get my picture?\n"
    "04/04/2026, 09:00 - Anna: <Media omitted>\n"
    "04/04/2026, 09:01 - Ben: please stop\n"
)


@dataclass
class Sealed:
    """One sealed bundle's officer-facing files, read back from the zip."""

    folder: Path
    pdf: Path
    html: str
    indicators_json: str
    case: dict


def build(base: Path, language: str) -> Sealed:
    """A vault with the case above, sealed without encryption in `language`."""
    vault, _recovery = Vault.create(base / "vault", PASSPHRASE)
    try:
        picture = io.BytesIO()
        Image.new("RGB", (320, 200), (40, 120, 200)).save(picture, "PNG")
        vault.add_bytes(picture.getvalue(), "instagram-profile.png",
                        source={"type": "screenshot", "mode": "screen"})
        vault.add_bytes(b"Pay or I publish the pictures.\n", "threat.txt",
                        source={"type": "import", "path": "/home/ben/threat.txt"})
        ios = base / "ios"
        ios.mkdir()
        (ios / "_chat.txt").write_text(IOS_CHAT, encoding="utf-8")
        import_chat(vault, ios / "_chat.txt")
        android = base / "WhatsApp Chat with Anna.txt"
        android.write_text(ANDROID_CHAT, encoding="utf-8")
        import_chat(vault, android, me="Ben")
        case = {
            "reference": "",
            "statement": "Anna wrote to me on Instagram, then on WhatsApp. She wanted money.",
            "incident_dates": {"from": "3 April 2026"},
            "platforms": ["Instagram", "WhatsApp"],
            "contact": CONTACT,
            "offender_accounts": [{"platform": "Instagram", "identifier": "@anna.invest_88"}],
            "payments": [{"note": PAYMENT_NOTE},
                         {"date": "2026-04-06", "amount": "250", "currency": "EUR",
                          "method": "bank transfer", "reference": "Invoice 2231",
                          "wallet": IBAN}],
        }
        vault.update_case(case)
        result = seal(vault, base / "out", Protection.unencrypted(), report_language=language)
    finally:
        vault.lock()
    root = unpack(result.bundle_path, base / "bundle")
    data = root / "data"
    return Sealed(root, data / "report" / "report.pdf",
                  (data / "report" / "report.html").read_text(encoding="utf-8"),
                  (data / "metadata" / "indicators.json").read_text(encoding="utf-8"), case)
