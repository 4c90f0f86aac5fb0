"""Indicators for police: phone numbers, e-mails, URLs and domains, handles, wallets, IBANs,
amounts, each with where it was seen.

False positives are worse than misses for an officer, so: phone numbers must be valid for
their region (`phonenumbers`), wallets and IBANs must pass their checksums, handles need a
leading @ (or a profile link), and the victim's own numbers and accounts are left out.
"""

from __future__ import annotations

import locale
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import phonenumbers

from evidence_app.chats.amounts import find_amounts
from evidence_app.chats.ibans import find_ibans
from evidence_app.chats.wallets import find_wallets


@dataclass(frozen=True)
class IndicatorSource:
    """One piece of text and where it came from (a message, a note, a case field)."""

    text: str
    item_id: str | None = None
    message_index: int | None = None
    time: str | None = None
    platform: str = ""
    kind: str = "transcript"  # transcript, participant, note, case
    sender: str | None = None
    from_me: bool = False
    note_id: str | None = None
    field: str | None = None
    box: tuple[int, int, int, int] | None = None  # where on a picture it was read
    reading_pass: int | None = None  # which reading of the picture (ocr/passes.py)


EMAIL_RE = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}"
                      r"(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}(?![\w-])")
URL_RE = re.compile(r"(?<![\w@/.])(?:https?://|www\.|(?:t\.me|telegram\.me|wa\.me|instagram\.com"
                    r"|tiktok\.com|bit\.ly)/)[^\s<>\"'\[\]{}|\\^`]{2,2000}", re.I)
HANDLE_RE = re.compile(r"(?<![\w@./:+-])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{1,30}[A-Za-z0-9_])?)"
                       r"(?![\w@]|\.[A-Za-z]{2,})")
_PROFILE_HOSTS = {
    "t.me": "telegram", "telegram.me": "telegram", "instagram.com": "instagram",
    "facebook.com": "facebook", "fb.com": "facebook", "tiktok.com": "tiktok",
    "x.com": "x", "twitter.com": "x", "snapchat.com": "snapchat",
}
_NOT_PROFILES = {"p", "reel", "reels", "stories", "explore", "share", "joinchat", "s",
                 "login", "home", "watch", "video", "groups", "events", "add", "i"}
_TRAIL = ".,;:!?)]}>'\"\u2019\u201d"


def _clean_url(raw: str) -> str:
    url = raw.rstrip(_TRAIL)
    if url.count("(") < url.count(")"):
        url = url.rstrip(")")
    if "://" not in url[:10]:
        url = "https://" + url
    return url


def _host(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def _profile(url: str) -> tuple[str, str] | None:
    host = _host(url)
    if host == "wa.me":
        digits = urlsplit(url).path.strip("/")
        if digits.isdigit():
            try:
                number = phonenumbers.parse("+" + digits, None)
            except phonenumbers.NumberParseException:
                return None
            if phonenumbers.is_valid_number(number):
                return "phone", phonenumbers.format_number(
                    number, phonenumbers.PhoneNumberFormat.E164)
        return None
    platform = _PROFILE_HOSTS.get(host)
    if platform is None:
        return None
    path = urlsplit(url).path.strip("/").split("/")
    name = path[0].lstrip("@") if path and path[0] else ""
    if not name or name.lower() in _NOT_PROFILES or not re.fullmatch(r"[A-Za-z0-9_.]{3,32}",
                                                                         name):
        return None
    return platform, "@" + name


def _phones(text: str, region: str) -> Iterable[str]:
    if not any(c.isdigit() for c in text):
        return
    try:
        matcher = phonenumbers.PhoneNumberMatcher(text, region or "ZZ",
                                                  leniency=phonenumbers.Leniency.VALID)
        for match in matcher:
            digits = sum(c.isdigit() for c in match.raw_string)
            if digits >= 8:
                yield phonenumbers.format_number(match.number,
                                                 phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return


def _found_in(source: IndicatorSource, region: str) -> Iterable[dict[str, str]]:
    text = source.text
    for phone in _phones(text, region):
        yield {"type": "phone", "value": phone}
    for m in EMAIL_RE.finditer(text):
        yield {"type": "email", "value": m.group().lower()}
    for m in URL_RE.finditer(text):
        url = _clean_url(m.group())
        host = _host(url)
        if not host or "." not in host:
            continue
        yield {"type": "url", "value": url}
        yield {"type": "domain", "value": host}
        profile = _profile(url)
        if profile and profile[0] == "phone":
            yield {"type": "phone", "value": profile[1]}
        elif profile:
            yield {"type": "handle", "value": profile[1], "platform": profile[0]}
    if "@" in text:
        for m in HANDLE_RE.finditer(text):
            yield {"type": "handle", "value": "@" + m.group(1),
                   "platform": source.platform or "unspecified"}
    for kind, address in find_wallets(text):
        yield {"type": kind, "value": address}
    for iban in find_ibans(text):
        yield {"type": "iban", "value": iban}
    for amount in find_amounts(text):
        yield {"type": "amount", "value": amount}


def _key(found: dict[str, str]) -> tuple[str, str, str]:
    value = found["value"]
    if found["type"] in ("handle", "email", "domain"):
        value = value.lower()
    return found["type"], found.get("platform", ""), value


def _excluded(found: dict[str, str], exclude: set[str]) -> bool:
    value = found["value"].lower()
    return value in exclude or value.lstrip("@") in exclude


def normalize_exclusions(values: Iterable[str], region: str) -> set[str]:
    """The victim's own numbers, addresses and handles, in the forms indicators take.

    Each value is also read the way messages are ("Mail: me@x.org, tel 0170 1234567"
    yields the address and the number), so whatever the person typed about themselves
    never comes back as an offender indicator.
    """
    out: set[str] = set()
    for raw in values:
        raw = str(raw).strip()
        if not raw:
            continue
        out.add(raw.lower())
        out.add(raw.lower().lstrip("@"))
        for found in _found_in(IndicatorSource(text=raw), region):
            if found["type"] in _CONTACT_TYPES:
                out.add(found["value"].lower())
                out.add(found["value"].lower().lstrip("@"))
    return out


# What a person's own contact details can hold (a wallet or an amount written there is no
# way to reach them, and stays an indicator unless typed as the whole value).
_CONTACT_TYPES = frozenset({"phone", "email", "handle", "url"})


def extract_indicators(texts: Iterable[IndicatorSource], region: str,
                       exclude: set[str]) -> list[dict[str, Any]]:
    """Every validated indicator once, with all the places it was seen, in first-seen order.

    `exclude` holds the victim's own values (pass them through normalize_exclusions).
    """
    region = (region or "ZZ").upper()
    table: dict[tuple[str, str, str], dict[str, Any]] = {}
    for source in texts:
        if not source.text:
            continue
        seen_here: set[tuple[str, str, str]] = set()
        for found in _found_in(source, region):
            if _excluded(found, exclude):
                continue
            key = _key(found)
            if key in seen_here:
                continue
            seen_here.add(key)
            entry = table.get(key)
            if entry is None:
                entry = table[key] = {**found, "sources": []}
            where: dict[str, Any] = {"item_id": source.item_id,
                                     "message_index": source.message_index,
                                     "time": source.time, "kind": source.kind}
            for extra in ("sender", "note_id", "field"):
                if getattr(source, extra):
                    where[extra] = getattr(source, extra)
            if source.from_me:
                where["from_me"] = True
            if source.box is not None:
                where["box"] = list(source.box)
            if source.reading_pass is not None:
                where["pass"] = source.reading_pass
            entry["sources"].append(where)
    return list(table.values())


def default_region(case: dict[str, Any]) -> str:
    """The person's country from the case details, else from the system locale, else none."""
    for key in ("region", "country", "country_code"):
        value = case.get(key)
        if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{2}", value.strip()):
            return value.strip().upper()
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):
        found = re.match(r"[a-z]{2,3}_([A-Z]{2})", os.environ.get(var, ""))
        if found:
            return found.group(1)
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    found = re.match(r"[a-z]{2,3}_([A-Z]{2})", loc)
    return found.group(1) if found else "ZZ"


# Case-detail fields that hold the victim's own contact details (never offender indicators):
# "contact" is the case dialog's "How to reach me".
OWN_FIELDS = ("contact", "contacts", "victim_phone", "victim_phones", "victim_email",
              "victim_emails", "victim_handles", "victim_accounts", "own_phone", "own_email",
              "own_accounts", "my_phone", "my_email", "my_accounts", "phone", "email")


def _own_values(case: dict[str, Any]) -> list[str]:
    values: list[str] = []

    def add(value: Any) -> None:
        if isinstance(value, str):
            values.extend(v for v in re.split(r"[,;\n]", value) if v.strip())
        elif isinstance(value, list):
            for entry in value:
                add(entry)
        elif isinstance(value, dict):
            for entry in value.values():
                add(entry)

    for key in OWN_FIELDS:
        add(case.get(key))
    return values


def _case_texts(case: dict[str, Any]) -> Iterable[IndicatorSource]:
    for key, value in case.items():
        if key in OWN_FIELDS:
            continue
        if isinstance(value, str):
            yield IndicatorSource(text=value, kind="case", field=key)
        elif isinstance(value, list):
            for entry in value:
                if isinstance(entry, str):
                    yield IndicatorSource(text=entry, kind="case", field=key)


def indicators_for_vault(vault: Any, region: str | None = None) -> list[dict[str, Any]]:
    """Indicators from every transcript, note and case detail of an open vault.

    The victim's own contact details (case fields in OWN_FIELDS, and the participant who
    is "me" in each chat) are excluded.
    """
    from evidence_app.chats.importer import load_transcript, transcript_items
    from evidence_app.ocr.found import picture_sources, place_indicators
    from evidence_app.ocr.stored import latest_readings, load_lines

    case = dict(vault.state.case)
    region = region or default_region(case)
    own = _own_values(case)
    conversations = [(item_id, load_transcript(vault, item_id))
                     for item_id in transcript_items(vault)]
    for _item_id, conv in conversations:
        own.extend(str(v) for v in conv.notes.get("me_contacts", []))
        if conv.me:
            own.append(conv.me)
            if conv.participant_ids.get(conv.me):
                own.append(conv.participant_ids[conv.me])
    exclude = normalize_exclusions(own, region)
    pictures = {picture_id: load_lines(vault, reading)
                for picture_id, reading in latest_readings(vault).items()}

    def sources() -> Iterable[IndicatorSource]:
        for item_id, conv in conversations:
            first: dict[str, Any] = {}
            for msg in conv.messages:
                if msg.sender and msg.sender not in first:
                    first[msg.sender] = msg
                text = msg.text
                extra = [*msg.extra.get("links", []), *(a.url for a in msg.attachments
                                                        if a.url)]
                if extra:
                    text = "\n".join([text, *extra])
                yield IndicatorSource(text=text, item_id=item_id, message_index=msg.index,
                                      time=msg.time, platform=conv.platform,
                                      sender=msg.sender,
                                      from_me=bool(conv.me and msg.sender == conv.me))
            for name in conv.participants:
                if name == conv.me or name not in first:
                    continue
                msg = first[name]
                yield IndicatorSource(text=name, item_id=item_id, message_index=msg.index,
                                      time=msg.time, platform=conv.platform,
                                      kind="participant", sender=name)
        for note in vault.state.notes.values():
            yield IndicatorSource(text=note.text, item_id=note.item_id, time=note.created_at,
                                  kind="note", note_id=note.id)
        for picture_id, lines in pictures.items():
            picture = vault.state.items.get(picture_id)
            if picture is not None and not picture.withdrawn:
                yield from picture_sources(picture_id, lines, picture.added_at)
        yield from _case_texts(case)

    found = extract_indicators(sources(), region, exclude)
    place_indicators(found, pictures)
    found.extend(_account_ids(conversations, exclude))
    return found


def _account_ids(conversations: list[tuple[str, Any]], exclude: set[str]
                 ) -> list[dict[str, Any]]:
    """Platform account ids of the other participants (Telegram, Discord): what a data
    request to the platform needs, and a name can change while an id does not."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for item_id, conv in conversations:
        for name, account in conv.participant_ids.items():
            if name == conv.me or account.lower() in exclude:
                continue
            first = next((m for m in conv.messages if m.sender == name), None)
            entry = found.setdefault((conv.platform, account), {
                "type": "account_id", "value": account, "platform": conv.platform,
                "name": name, "sources": []})
            entry["sources"].append({"item_id": item_id,
                                     "message_index": first.index if first else None,
                                     "time": first.time if first else None,
                                     "kind": "participant", "sender": name})
    return list(found.values())
