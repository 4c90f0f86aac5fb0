"""The words WhatsApp writes into exports, per language (EN DE FR ES PT IT RU TR + NL; the
clock words of many more).

Every phrase is stored normalized (see `norm`): lower case, no direction marks, no angle
brackets, no final full stop. Phrases come from exports made on Android and iPhone; a
phrase we do not know simply stays ordinary message text (a miss, never a wrong label).
"""

from __future__ import annotations

import re

_MARKS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"


def norm(text: str) -> str:
    """Normalize a marker for lookup (case, direction marks, <>, final dot, spaces)."""
    text = strip_marks(text).strip().strip("<>").strip().rstrip(".").strip()
    if "  " in text or "\u00a0" in text:
        text = " ".join(text.split())
    return text.casefold()


_MARKS_RE = re.compile(f"[{_MARKS}]")


def strip_marks(text: str) -> str:
    """Text without direction marks (fast when there are none, as in most messages)."""
    if text.isascii():
        return text
    return _MARKS_RE.sub("", text)


def has_marks(text: str) -> bool:
    return not text.isascii() and _MARKS_RE.search(text) is not None


# Android: the whole message when media were left out of the export.
MEDIA_OMITTED_ANY = {
    "media omitted", "medien ausgeschlossen", "médias omis", "multimedia omitido",
    "archivo multimedia omitido", "mídia oculta", "arquivo de mídia oculto", "media omessi",
    "без медиафайлов", "medya dahil edilmedi", "media weggelaten",
    "رسانه حذف شد",  # Persian (rwhatsapp issue 28 quotes an Android export)
}

# iPhone: "<kind> omitted" per kind of file.
MEDIA_OMITTED_KIND = {
    "image omitted": "photo", "video omitted": "video", "audio omitted": "audio",
    "sticker omitted": "sticker", "gif omitted": "gif", "document omitted": "document",
    "contact card omitted": "contact",
    "bild weggelassen": "photo", "video weggelassen": "video", "audio weggelassen": "audio",
    "sticker weggelassen": "sticker", "gif weggelassen": "gif",
    "dokument weggelassen": "document", "kontaktkarte ausgelassen": "contact",
    "image absente": "photo", "vidéo absente": "video", "audio omis": "audio",
    "autocollant omis": "sticker", "gif retiré": "gif", "document omis": "document",
    "imagen omitida": "photo", "video omitido": "video", "audio omitido": "audio",
    "sticker omitido": "sticker", "gif omitido": "gif", "documento omitido": "document",
    "imagem ocultada": "photo", "vídeo omitido": "video", "áudio ocultado": "audio",
    "figurinha omitida": "sticker", "documento ocultado": "document",
    "immagine omessa": "photo", "video omesso": "video", "audio omesso": "audio",
    "sticker omesso": "sticker", "gif omessa": "gif", "documento omesso": "document",
    "изображение отсутствует": "photo", "видео отсутствует": "video",
    "аудиофайл отсутствует": "audio", "стикер отсутствует": "sticker",
    "gif отсутствует": "gif", "документ отсутствует": "document",
    "görüntü dahil edilmedi": "photo", "video dahil edilmedi": "video",
    "ses dahil edilmedi": "audio", "çıkartma dahil edilmedi": "sticker",
    "gif dahil edilmedi": "gif", "belge dahil edilmedi": "document",
}

DELETED = {
    "this message was deleted", "you deleted this message",
    "diese nachricht wurde gelöscht", "du hast diese nachricht gelöscht",
    "ce message a été supprimé", "vous avez supprimé ce message",
    "se eliminó este mensaje", "eliminaste este mensaje", "este mensaje fue eliminado",
    "mensagem apagada", "esta mensagem foi apagada", "você apagou esta mensagem",
    "questo messaggio è stato eliminato", "hai eliminato questo messaggio",
    "данное сообщение удалено", "это сообщение удалено", "вы удалили данное сообщение",
    "вы удалили это сообщение", "bu mesaj silindi", "bu mesajı sildiniz",
    "dit bericht is verwijderd", "je hebt dit bericht verwijderd",
}

EDITED = {
    "this message was edited", "diese nachricht wurde bearbeitet", "ce message a été modifié",
    "se editó este mensaje", "esta mensagem foi editada", "mensagem editada",
    "questo messaggio è stato modificato", "сообщение изменено", "это сообщение изменено",
    "bu mesaj düzenlendi", "dit bericht is bewerkt",
}

# Android "<file> (file attached)".
FILE_ATTACHED = {
    "file attached", "datei angehängt", "fichier joint", "archivo adjunto",
    "arquivo anexado", "file allegato", "файл добавлен", "dosya ekli", "bestand bijgevoegd",
}

# Words around the time: "31/12/2020 à 23:59", "31.12.20 um 23:59", Persian "ساعت".
TIME_JOINERS = ("à", "um", "às", "alle", "a las", "в", "saat", "ساعت", "lúc", "เวลา",
                "pukul")

# AM/PM words after the clock (stored as `norm` leaves them, dots and spaces removed):
# Arabic ص/م, Persian ق.ظ/ب.ظ (and the long forms), Thai, Burmese, Vietnamese SA/CH,
# Greek, Turkish, Swedish/Norwegian, Finnish, German; and the day periods written before
# the clock in Chinese, Japanese and Korean (凌晨 small hours ... 晚上 evening).
AM = {"am", "a", "vorm", "ص", "öö", "午前", "上午", "sa", "fm", "π.μ", "ap", "قظ",
      "قبلازظهر", "ก่อนเที่ยง", "နံနက်", "凌晨", "早上", "오전", "صباحًا", "صباحا"}
PM = {"pm", "p", "nachm", "م", "ös", "午後", "下午", "ch", "em", "μ.μ", "ip", "بظ",
      "بعدازظهر", "หลังเที่ยง", "ညနေ", "中午", "晚上", "오후", "مساءً", "مساء"}
# Day periods that stand before the clock ("下午9:05"), as the header pattern reads them.
AMPM_BEFORE = ("上午", "下午", "午前", "午後", "凌晨", "早上", "中午", "晚上", "오전", "오후")
# Words after a 24-hour clock that say "o'clock" and change nothing (Thai "21:05 น.").
CLOCK_WORDS = {"น", "นาฬิกา"}

# System lines that carry a ": " (so they would look like "Name: text") in any language.
SYSTEM_HINTS = (
    "end-to-end", "ende-zu-ende", "de bout en bout", "de extremo a extremo",
    "de ponta a ponta", "crittografati end-to-end", "сквозным шифрованием",
    "uçtan uca", "security code", "sicherheitsnummer", "code de sécurité",
    "código de seguridad", "código de segurança", "codice di sicurezza", "код безопасности",
    "güvenlik kodu", "changed the subject", "hat den betreff", "a modifié le sujet",
    "cambió el asunto", "mudou o assunto", "ha cambiato l'oggetto", "изменил(-а) тему",
    "konuyu", "created group", "hat die gruppe", "a créé le groupe", "creó el grupo",
    "criou o grupo", "ha creato il gruppo", "создал(-а) группу", "grubunu oluşturdu",
    "disappearing messages", "selbstlöschende nachrichten", "messages éphémères",
    "mensajes temporales", "mensagens temporárias", "messaggi effimeri",
    "исчезающие сообщения", "süreli mesajlar",
)

_NAME_KINDS = (
    (re.compile(r"^(?:IMG|PHOTO)|-PHOTO-", re.I), "photo"),
    (re.compile(r"^VID|-VIDEO-", re.I), "video"),
    (re.compile(r"^PTT|-AUDIO-|^AUD", re.I), "audio"),
    (re.compile(r"^STK|-STICKER-", re.I), "sticker"),
    (re.compile(r"-GIF-", re.I), "gif"),
    (re.compile(r"^DOC", re.I), "document"),
)
_EXT_KINDS = {
    "jpg": "photo", "jpeg": "photo", "png": "photo", "heic": "photo", "webp": "sticker",
    "mp4": "video", "mov": "video", "3gp": "video", "opus": "audio", "m4a": "audio",
    "mp3": "audio", "ogg": "audio", "aac": "audio", "pdf": "document", "vcf": "contact",
    "gif": "gif",
}


def kind_from_name(name: str) -> str:
    """photo/video/audio/... from WhatsApp's own file naming, then the extension."""
    for pattern, kind in _NAME_KINDS:
        if pattern.search(name):
            return kind
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return _EXT_KINDS.get(ext, "file")


_TITLE_PATTERNS = [
    re.compile(p, re.I) for p in (
        r"^WhatsApp Chat with (.+)$", r"^WhatsApp Chat mit (.+)$",
        r"^Discussion WhatsApp avec (.+)$", r"^Chat de WhatsApp con (.+)$",
        r"^Conversa do WhatsApp com (.+)$", r"^Chat WhatsApp con (.+)$",
        r"^Чат WhatsApp с (.+)$", r"^(.+) ile WhatsApp Sohbeti$",
        r"^WhatsApp-chat met (.+)$", r"^WhatsApp Chat - (.+)$",
    )
]


def title_from_file_name(stem: str) -> str | None:
    """The chat partner or group named in the export's file name, if it follows the pattern."""
    for pattern in _TITLE_PATTERNS:
        found = pattern.match(stem.strip())
        if found:
            return found.group(1).strip()
    return None


def _variants(phrases: set[str] | dict[str, str]) -> set[str]:
    out: set[str] = set()
    for phrase in phrases:
        for form in (phrase, phrase + "."):
            out.update((form, f"<{form}>"))
    return out


# Marker texts as they appear (lower case): a message not in here and not starting with
# "<" or ending in ">", ")" or "." cannot carry a marker (the parser's fast path).
PLAIN_MARKERS = _variants(DELETED) | _variants(MEDIA_OMITTED_ANY) | _variants(MEDIA_OMITTED_KIND)
