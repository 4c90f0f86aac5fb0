"""Indicators: validated, deduplicated, with sources, and never the victim's own."""

from __future__ import annotations

import json

import pytest

from evidence_app.chats import import_chat
from evidence_app.chats.indicators import (
    IndicatorSource,
    extract_indicators,
    indicators_for_vault,
    normalize_exclusions,
)
from evidence_app.chats.wallets import eth_wallet, keccak256, segwit_wallet
from tests.chats.conftest import ASSETS

WALLETS = json.loads((ASSETS / "wallets.json").read_text())


def _values(text: str, region: str = "DE", exclude: set[str] | None = None) -> set:
    found = extract_indicators([IndicatorSource(text=text, item_id="1", message_index=0)],
                               region, exclude or set())
    return {(i["type"], i["value"]) for i in found}


def test_phone_numbers_in_e164_with_region_default():
    found = _values("ruf an: 0151 23456789 oder +44 7400 123456")
    assert ("phone", "+4915123456789") in found
    assert ("phone", "+447400123456") in found


def test_no_phone_from_dates_times_or_short_numbers():
    found = _values("am 31.12.2023 um 23:59, Zimmer 1234, Betrag 100")
    assert not [f for f in found if f[0] == "phone"]


def test_email_url_domain_handles():
    found = _values("mail boss@Scam-Mail.example, see https://pay.example.net/x?id=1). "
                    "Write @real_boss_01 or t.me/helper_desk, wa.me/447400123456", "GB")
    assert ("email", "boss@scam-mail.example") in found
    assert ("url", "https://pay.example.net/x?id=1") in found
    assert ("domain", "pay.example.net") in found
    assert ("handle", "@real_boss_01") in found
    assert ("handle", "@helper_desk") in found
    assert ("phone", "+447400123456") in found
    assert ("handle", "@Scam-Mail") not in found


def test_wallets_only_with_valid_checksums():
    text = f"btc {WALLETS['btc']} tron {WALLETS['tron']} eth {WALLETS['eth']}"
    found = _values(text)
    assert ("btc", WALLETS["btc"]) in found
    assert ("tron", WALLETS["tron"]) in found
    assert ("eth", WALLETS["eth"]) in found
    broken_btc = WALLETS["btc"][:-1] + ("A" if WALLETS["btc"][-1] != "A" else "B")
    eth = WALLETS["eth"]
    pos = next(i for i, c in enumerate(eth) if i > 1 and c.isalpha())
    bad_case = eth[:pos] + eth[pos].swapcase() + eth[pos + 1:]
    assert _values(f"{broken_btc} {bad_case}") == set()


def test_bech32_and_bech32m_reference_vectors():
    assert segwit_wallet("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4") == "btc"
    assert segwit_wallet("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")
    # v1 with a bech32 (not bech32m) checksum is invalid (BIP-350)
    v1_bech32 = ("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k"
                 "7grplx")
    assert segwit_wallet(v1_bech32) is None
    assert segwit_wallet("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5") is None
    assert segwit_wallet("bc1Qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4") is None


def test_keccak_and_eip55_reference_vectors():
    assert keccak256(b"").hex() == (
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
    assert eth_wallet("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    assert eth_wallet("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed") == (
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    assert eth_wallet("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD") is None


def test_ibans_validated_and_without_spaces():
    found = _values("IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX, "
                    "GB82WEST12345698765432, wrong DE89 3704 0044 0532 0130 01")
    assert ("iban", "DE89370400440532013000") in found
    assert ("iban", "GB82WEST12345698765432") in found
    assert len([f for f in found if f[0] == "iban"]) == 2


def test_amounts_need_a_currency():
    found = _values("pay $5,000 or 1.200,50 EUR, 0.5 BTC, 300 USDT, 20k USD; room 12, 2024")
    amounts = {v for t, v in found if t == "amount"}
    assert amounts == {"5000 USD", "1200.5 EUR", "0.5 BTC", "300 USDT", "20000 USD"}


def test_victims_own_details_are_excluded_and_sources_merge():
    own = normalize_exclusions(["0151 23456789", "@me_victim"], "DE")
    sources = [IndicatorSource(text="me: 0151 23456789 @me_victim, him: +44 7400 123456",
                               item_id="4", message_index=2, time="2024-01-01T10:00"),
               IndicatorSource(text="again +447400123456", item_id="4", message_index=5)]
    found = extract_indicators(sources, "DE", own)
    assert [(i["type"], i["value"]) for i in found] == [("phone", "+447400123456")]
    assert [s["message_index"] for s in found[0]["sources"]] == [2, 5]
    assert found[0]["sources"][0]["time"] == "2024-01-01T10:00"


def test_indicators_for_vault(vault):
    import_chat(vault, ASSETS / "whatsapp/android_en_12h/WhatsApp Chat with Sam Fiction.txt")
    import_chat(vault, ASSETS / "telegram/single/result.json")
    import_chat(vault, ASSETS / "discord/dm.json", me="kid_victim")
    vault.add_note("He also used the IBAN GB82 WEST 1234 5698 7654 32")
    vault.update_case({"region": "GB", "statement": "He sent me to https://fake-bank.example",
                       "victim_phone": "+44 7400 123456"})
    found = indicators_for_vault(vault)
    pairs = {(i["type"], i["value"]) for i in found}
    assert ("tron", WALLETS["tron"]) in pairs
    assert ("btc", WALLETS["btc"]) in pairs
    assert ("url", "https://mentor-invest.example.net/pay") in pairs
    assert ("amount", "500 USDT") in pairs
    assert ("iban", "GB82WEST12345698765432") in pairs
    assert ("domain", "fake-bank.example") in pairs
    assert ("handle", "@skins_giver_real") in pairs
    assert ("account_id", "user5550001") in pairs
    assert ("account_id", "1300000000000000002") not in pairs  # kid_victim is "me"
    assert ("phone", "+447400123456") not in pairs  # the victim's own number
    tron = next(i for i in found if i["type"] == "tron")
    (where,) = tron["sources"]
    assert where["message_index"] == 3
    assert where["time"] == "2023-12-31T10:02"
    assert vault.item(where["item_id"]).kind == "transcript"
    json.dumps(found)


def test_telegram_full_export_excludes_own_phone_and_merges_accounts(vault):
    import_chat(vault, ASSETS / "telegram/full_result.json")
    import_chat(vault, ASSETS / "telegram/single/result.json")
    vault.add_note("Mine is +44 7400 654321, his is +44 7400 123456")
    vault.update_case({"region": "GB"})
    found = indicators_for_vault(vault)
    phones = {i["value"] for i in found if i["type"] == "phone"}
    assert phones == {"+447400123456"}
    (mentor,) = [i for i in found if i["type"] == "account_id" and i["value"] == "user5550001"]
    assert len(mentor["sources"]) == 2
    assert ("handle", "@vip_support_desk") in {(i["type"], i["value"]) for i in found}


@pytest.mark.parametrize("contact", [
    "Mail: ben.victim@example.org\nTel. 0170 1234567 (evenings), Instagram @ben_real",
    {"email": "Ben.Victim@example.org", "phone": "+49 170 1234567",
     "instagram": "https://instagram.com/ben_real"},
])
def test_how_to_reach_me_is_never_an_offender_indicator(vault, contact):
    """The case dialog's "How to reach me", however it is written: its address, number and
    account are the victim's, even where the offender repeats them in a chat or a note."""
    vault.add_note("She wrote to ben.victim@example.org and called 0170 1234567; her own "
                   "address is anna.invest@proton.me and she is @anna.invest_88")
    vault.update_case({"region": "DE", "contact": contact,
                       "statement": "I gave her my number 0170 1234567 and @ben_real"})
    pairs = {(i["type"], i["value"].lower()) for i in indicators_for_vault(vault)}
    values = {value for _kind, value in pairs}
    assert {"ben.victim@example.org", "+491701234567", "@ben_real"}.isdisjoint(values)
    assert ("email", "anna.invest@proton.me") in pairs  # the offender's stay
    assert ("handle", "@anna.invest_88") in pairs
