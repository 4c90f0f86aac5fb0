"""Language names in their own script, for the language chooser (shown before any choice)."""

from __future__ import annotations

NATIVE_NAMES = {
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "fr": "Français",
    "pt": "Português",
    "ru": "Русский",
    "ar": "العربية",
    "zh_CN": "简体中文",
    "th": "ไทย",
    "vi": "Tiếng Việt",
    "id": "Bahasa Indonesia",
    "tl": "Filipino (Tagalog)",
    "km": "ខ្មែរ",
    "my": "မြန်မာ",
}
RTL = frozenset({"ar", "he", "fa", "ur"})


def language_name(code: str) -> str:
    return NATIVE_NAMES.get(code, code)


def is_rtl(code: str) -> bool:
    return code.split("_")[0] in RTL
