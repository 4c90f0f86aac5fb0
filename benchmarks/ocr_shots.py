"""Synthetic chat screenshots with planted indicators, for the OCR benchmark and its test.

A shot looks like a chat app on a desktop (1920x1080: chat list, header bar with the
contact's name, bubbles left and right in two colours with their times, a message box) or
on a phone (1080x2400), light or dark, in one script. Its messages are written in that
script's language and carry wallet addresses with real checksums, IBANs that pass mod-97,
phone numbers valid for their country and e-mail addresses: each `Planted` value is what
the project's extractor returns for it (the normalized form), checked here with the
project's own validators before anything is drawn.

Only the app's shipped fonts are used (resources/fonts). The Thai, Burmese, Khmer and
Arabic fonts have no Latin letters, so each is merged with NotoSans (fontTools) into one
font in `cache_dir`, and Pillow lays the text out with raqm (shaping and right-to-left
order, as a phone does); a character the font cannot draw raises instead of coming out
as a box.
"""

from __future__ import annotations

import functools
import hashlib
import io
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
from PIL import Image, ImageDraw, ImageFont, features

from evidence_app.chats.ibans import IBAN_LENGTHS, iban_valid
from evidence_app.chats.wallets import B58, base58_wallet, eth_wallet, segwit_wallet
from evidence_app.core import bech32

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "resources" / "fonts"
KINDS = ("wallet", "iban", "phone", "email")


@dataclass(frozen=True)
class Planted:
    kind: str  # wallet, iban, phone, email
    value: str  # as the extractor returns it (E.164, IBAN without spaces, lower-case e-mail)
    shown: str  # as written in the message
    detail: str  # btc-legacy, btc-p2sh, btc-bech32, btc-taproot, tron, eth, IBAN country...


@dataclass(frozen=True)
class Script:
    key: str
    app_language: str  # the app's language for this script (engine_languages takes it)
    region: str  # the person's country: how national phone numbers are read
    font: str  # shipped font file; merged with NotoSans when it has no Latin letters
    merge: bool
    contact: str
    others: tuple[str, ...]
    words: dict[str, str]  # online, today, search, type
    chatter: tuple[str, ...]
    asks: dict[str, tuple[str, ...]]  # kind -> message templates holding "{v}"
    phones: tuple[tuple[str, str], ...]  # (region, style): national, international, compact
    ibans: tuple[str, ...]
    bold: str | None = None


SCRIPTS: dict[str, Script] = {s.key: s for s in (
    Script(
        key="latin", app_language="en", region="GB", font="NotoSans-Regular.ttf", merge=False,
        bold="NotoSans-Bold.ttf", contact="Daniel Carter",
        others=("Support Desk", "Emma Wilson", "Crypto Mentor", "Mum"),
        words={"online": "online", "today": "Today", "search": "Search",
               "type": "Type a message"},
        chatter=("Hi, are you there?", "Yes, what's up?", "OK, give me a minute.",
                 "Did you see my last message?", "The platform says profit is guaranteed.",
                 "Thanks, I will send it today.", "Please hurry, the bonus ends tonight.",
                 "Remember to send the receipt after the transfer."),
        asks={"wallet": ("Send the USDT to this wallet: {v}", "{v}",
                         "New deposit address {v} use this one only"),
              "iban": ("My bank account: {v}", "IBAN {v} (Global Trade Ltd)"),
              "phone": ("Call me on {v}", "My WhatsApp is {v}"),
              "email": ("Email me at {v}", "Send the documents to {v} please")},
        phones=(("GB", "international"), ("GB", "national")),
        ibans=("GB", "DE", "NL", "FR")),
    Script(
        key="vietnamese", app_language="vi", region="VN", font="NotoSans-Regular.ttf",
        merge=False, bold="NotoSans-Bold.ttf", contact="Nguyễn Thị Hương",
        others=("Trần Văn Minh", "Lê Hoàng Nam", "Phạm Thu Trang", "Hỗ trợ khách hàng"),
        words={"online": "trực tuyến", "today": "Hôm nay", "search": "Tìm kiếm",
               "type": "Nhập tin nhắn"},
        chatter=("Chào anh, anh có ở đó không?", "Vâng, em đây. Có chuyện gì vậy?",
                 "Được rồi, chờ em một chút.", "Anh đã đọc tin nhắn của em chưa?",
                 "Nền tảng này đảm bảo lợi nhuận mỗi ngày.",
                 "Cảm ơn, tôi sẽ chuyển ngay hôm nay.",
                 "Nhanh lên nhé, tiền thưởng hết hạn tối nay.",
                 "Nhớ gửi ảnh biên lai sau khi chuyển khoản."),
        asks={"wallet": ("Hãy chuyển tiền vào ví này: {v}", "{v}",
                         "Địa chỉ ví mới {v} chỉ dùng ví này thôi"),
              "iban": ("Số tài khoản ngân hàng của tôi: {v}", "Tài khoản nhận tiền {v}"),
              "phone": ("Gọi cho tôi theo số {v} nhé.", "Zalo của em là {v}"),
              "email": ("Gửi email cho tôi: {v}", "Gửi giấy tờ đến {v} nhé")},
        phones=(("VN", "national"), ("VN", "international")),
        ibans=("DE", "GB", "FR")),
    Script(
        key="thai", app_language="th", region="TH", font="NotoSansThai-Regular.ttf",
        merge=True, contact="สมชาย ใจดี",
        others=("มาลี สุขสันต์", "ฝ่ายบริการลูกค้า", "ประเสริฐ ทองดี", "แม่"),
        words={"online": "ออนไลน์", "today": "วันนี้", "search": "ค้นหา",
               "type": "พิมพ์ข้อความ"},
        chatter=("สวัสดีค่ะ คุณอยู่ไหม", "อยู่ครับ มีอะไรครับ", "โอเค รอสักครู่นะ",
                 "เห็นข้อความล่าสุดของฉันไหม", "แพลตฟอร์มนี้รับประกันกำไรทุกวัน",
                 "ขอบคุณครับ จะโอนให้วันนี้", "รีบหน่อยนะ โบนัสหมดคืนนี้",
                 "อย่าลืมส่งสลิปหลังโอนเงินนะคะ"),
        asks={"wallet": ("โอนเงินไปที่กระเป๋านี้นะ {v}", "{v}",
                         "ที่อยู่กระเป๋าใหม่ {v} ใช้อันนี้เท่านั้น"),
              "iban": ("เลขบัญชีธนาคารของฉัน {v}", "บัญชีรับเงิน {v}"),
              "phone": ("โทรหาฉันที่เบอร์ {v}", "ไลน์ของฉันคือ {v}"),
              "email": ("ส่งอีเมลมาที่ {v}", "ส่งเอกสารไปที่ {v} นะคะ")},
        phones=(("TH", "national"), ("TH", "international")),
        ibans=("GB", "DE", "AE")),
    Script(
        key="arabic", app_language="ar", region="SA", font="NotoSansArabic-Regular.ttf",
        merge=True, contact="أحمد علي",
        others=("محمد حسن", "خدمة العملاء", "فاطمة يوسف", "أمي"),
        words={"online": "متصل الآن", "today": "اليوم", "search": "بحث",
               "type": "اكتب رسالة"},
        chatter=("مرحبا، هل أنت هنا؟", "نعم، ماذا هناك؟", "حسنا، انتظر دقيقة.",
                 "هل رأيت رسالتي الأخيرة؟", "المنصة تضمن الربح كل يوم.",
                 "شكرا، سأحول المبلغ اليوم.", "أسرع من فضلك، المكافأة تنتهي الليلة.",
                 "لا تنس إرسال صورة الإيصال بعد التحويل."),
        asks={"wallet": ("أرسل المبلغ إلى هذه المحفظة {v}", "{v}",
                         "عنوان المحفظة الجديد {v} استخدم هذا فقط"),
              "iban": ("رقم حسابي البنكي {v}", "الآيبان {v}"),
              # A number with spaces inside right-to-left text is shown with its groups
              # reversed (Unicode bidi), so Saudi numbers are written as one run of
              # digits, and a foreign one in a message that starts in Latin letters.
              "phone": ("اتصل بي على الرقم {v}", "رقم الواتساب {v}"),
              "phone-ltr": ("WhatsApp {v}",),
              "email": ("راسلني على البريد {v}", "أرسل المستندات إلى {v}")},
        phones=(("SA", "compact"), ("EG", "international")),
        ibans=("SA", "AE", "EG")),
    Script(
        key="burmese", app_language="my", region="MM", font="NotoSansMyanmar-Regular.ttf",
        merge=True, contact="မောင်မောင်",
        others=("မမ ခင်", "ဖောက်သည် ဝန်ဆောင်မှု", "ကိုအောင်", "အမေ"),
        words={"online": "အွန်လိုင်း", "today": "ယနေ့", "search": "ရှာဖွေရန်",
               "type": "မက်ဆေ့ချ် ရိုက်ပါ"},
        chatter=("မင်္ဂလာပါ၊ ရှိလား", "ရှိပါတယ်၊ ဘာဖြစ်လို့လဲ", "ကောင်းပြီ၊ ခဏစောင့်ပါ",
                 "ကျွန်တော့် မက်ဆေ့ချ်ကို မြင်လား", "ဒီပလက်ဖောင်းက အမြတ်ကို အာမခံတယ်",
                 "ကျေးဇူးတင်ပါတယ်၊ ဒီနေ့ ငွေလွှဲပေးမယ်", "မြန်မြန်လုပ်ပါ၊ ဘောနပ်စ် ဒီည ကုန်မယ်",
                 "ငွေလွှဲပြီးရင် ပြေစာ ပို့ပေးပါ"),
        asks={"wallet": ("ဒီ wallet ကို ငွေလွှဲပေးပါ {v}", "{v}",
                         "wallet လိပ်စာအသစ် {v} ဒါကိုပဲ သုံးပါ"),
              "iban": ("ကျွန်တော့် ဘဏ်အကောင့်နံပါတ် {v}", "ငွေလက်ခံအကောင့် {v}"),
              "phone": ("ဒီဖုန်းနံပါတ်ကို ဆက်ပါ {v}", "Viber နံပါတ် {v}"),
              "email": ("အီးမေးလ် ပို့ပါ {v}", "စာရွက်စာတမ်းတွေကို {v} ကို ပို့ပါ")},
        phones=(("MM", "national"), ("MM", "international")),
        ibans=("GB", "DE", "TR")),
    Script(
        key="khmer", app_language="km", region="KH", font="NotoSansKhmer-Regular.ttf",
        merge=True, contact="សុខ ដារ៉ា",
        others=("ចាន់ សុភា", "សេវាអតិថិជន", "វណ្ណា", "ម្តាយ"),
        words={"online": "អនឡាញ", "today": "ថ្ងៃនេះ", "search": "ស្វែងរក",
               "type": "វាយសារ"},
        chatter=("សួស្តី តើអ្នកនៅទីនោះទេ?", "បាទ មានអ្វីដែរ?", "យល់ព្រម សូមរង់ចាំបន្តិច",
                 "តើអ្នកបានឃើញសាររបស់ខ្ញុំទេ?", "វេទិកានេះធានាប្រាក់ចំណេញរាល់ថ្ងៃ",
                 "អរគុណ ខ្ញុំនឹងផ្ទេរថ្ងៃនេះ", "ប្រញាប់បន្តិច ប្រាក់រង្វាន់ផុតកំណត់យប់នេះ",
                 "កុំភ្លេចផ្ញើរូបបង្កាន់ដៃបន្ទាប់ពីផ្ទេរ"),
        asks={"wallet": ("សូមផ្ទេរប្រាក់ទៅកាបូបនេះ {v}", "{v}",
                         "អាសយដ្ឋានកាបូបថ្មី {v} ប្រើតែមួយនេះ"),
              "iban": ("លេខគណនីធនាគាររបស់ខ្ញុំ {v}", "គណនីទទួលប្រាក់ {v}"),
              "phone": ("ទូរស័ព្ទមកខ្ញុំតាមលេខ {v}", "Telegram របស់ខ្ញុំ {v}"),
              "email": ("ផ្ញើអ៊ីមែលមក {v}", "ផ្ញើឯកសារទៅ {v}")},
        phones=(("KH", "national"), ("KH", "international")),
        ibans=("GB", "FR", "DE")),
    Script(
        key="chinese", app_language="zh_CN", region="CN",
        font="NotoSansCJKsc-Regular-Subset.otf", merge=False, contact="李伟",
        others=("王芳", "客服中心", "张强", "妈妈"),
        words={"online": "在线", "today": "今天", "search": "搜索", "type": "输入消息"},
        chatter=("你好，在吗？", "在的，有什么事？", "好的，等我一下。", "你看到我的消息了吗？",
                 "这个平台保证每天都有收益。", "谢谢，我今天就转账。", "快一点，奖金今晚就结束了。",
                 "转账后记得发收据截图给我。"),
        asks={"wallet": ("请把钱转到这个钱包：{v}", "{v}", "新的充值地址 {v} 只用这个"),
              "iban": ("我的银行账号：{v}", "收款账户 {v}"),
              "phone": ("打我电话：{v}", "我的微信号是 {v}"),
              "email": ("发邮件到 {v}", "把资料发到 {v} 吧")},
        phones=(("CN", "national"), ("CN", "international")),
        ibans=("GB", "DE", "NL")),
)}


# ---------------------------------------------------------------- indicators, checked


def _b58encode(data: bytes) -> str:
    num = int.from_bytes(data, "big")
    out = ""
    while num:
        num, rest = divmod(num, 58)
        out = B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def base58check(version: int, payload: bytes) -> str:
    raw = bytes([version]) + payload
    return _b58encode(raw + hashlib.sha256(hashlib.sha256(raw).digest()).digest()[:4])


def segwit_address(version: int, program: bytes, hrp: str = "bc") -> str:
    values = [version, *bech32.convert_bits(program, 8, 5, True)]
    const = bech32.BECH32 if version == 0 else bech32.BECH32M
    mod = bech32.polymod(bech32.hrp_expand(hrp) + values + [0] * 6) ^ const
    checksum = [(mod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(bech32.CHARSET[v] for v in values + checksum)


def make_wallet(rng: random.Random, detail: str) -> str:
    data = rng.randbytes(32)
    if detail == "btc-legacy":
        address = base58check(0x00, data[:20])
    elif detail == "btc-p2sh":
        address = base58check(0x05, data[:20])
    elif detail == "tron":
        address = base58check(0x41, data[:20])
    elif detail == "btc-bech32":
        address = segwit_address(0, data[:20])
    elif detail == "btc-taproot":
        address = segwit_address(1, data)
    elif detail == "eth":
        address = eth_wallet("0x" + data[:20].hex()) or ""
    else:
        raise ValueError(detail)
    valid = (segwit_wallet(address) if detail.startswith("btc-") and address.startswith("bc1")
             else eth_wallet(address) == address if detail == "eth"
             else base58_wallet(address))
    if not valid:
        raise AssertionError(f"generated {detail} {address} fails the project's check")
    return address


def _letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(n))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def make_iban(rng: random.Random, country: str) -> str:
    length = IBAN_LENGTHS[country] - 4
    bban = (_letters(rng, 4) + _digits(rng, length - 4) if country in ("GB", "NL")
            else _digits(rng, length))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    iban = f"{country}{98 - int(numeric) % 97:02d}{bban}"
    if not iban_valid(iban):
        raise AssertionError(iban)
    return iban


def make_phone(rng: random.Random, region: str, style: str) -> tuple[str, str]:
    """(E.164, as written) for a random mobile number valid in `region`."""
    example = phonenumbers.example_number_for_type(region,
                                                   phonenumbers.PhoneNumberType.MOBILE)
    national = str(example.national_number)
    for _ in range(1000):
        keep = max(2, len(national) - 6)
        candidate = national[:keep] + _digits(rng, len(national) - keep)
        number = phonenumbers.parse("+" + str(example.country_code) + candidate, None)
        if (phonenumbers.is_valid_number(number) and phonenumbers.number_type(number)
                == phonenumbers.PhoneNumberType.MOBILE):
            break
    else:
        raise AssertionError(f"no valid mobile number for {region}")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if style == "international":
        shown = phonenumbers.format_number(number,
                                           phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    else:
        shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        if style == "compact":
            shown = "".join(c for c in shown if c.isdigit())
    return e164, shown


_MAIL_NAMES = ("support.team", "anna.lee", "kevin_wong", "invest.desk", "lucky.star",
               "mark.trade", "service.center", "jenny.c", "vip.manager", "coinhelp")
_MAIL_HOSTS = ("gmail.com", "outlook.com", "yahoo.com", "proton.me", "163.com", "qq.com",
               "hotmail.com", "mail.ru")
WALLET_KINDS = ("btc-legacy", "eth", "tron", "btc-bech32", "btc-p2sh", "btc-taproot")


def make_indicator(rng: random.Random, script: Script, kind: str, turn: int) -> Planted:
    """One indicator of `kind`, the `turn`-th of that kind in the shot (types rotate);
    "wallet:eth" or "iban:DE" asks for one type."""
    kind, _, wanted = kind.partition(":")
    if kind == "wallet":
        detail = wanted or WALLET_KINDS[turn % len(WALLET_KINDS)]
        value = make_wallet(rng, detail)
        return Planted("wallet", value, value, detail)
    if kind == "iban":
        country = wanted or script.ibans[turn % len(script.ibans)]
        iban = make_iban(rng, country)
        grouped = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
        return Planted("iban", iban, grouped if turn % 2 == 0 else iban, country)
    if kind == "phone":
        region, style = (wanted.split("-") if wanted
                         else script.phones[turn % len(script.phones)])
        e164, shown = make_phone(rng, region, style)
        return Planted("phone", e164, shown, f"{region} {style}")
    if kind == "email":
        address = f"{rng.choice(_MAIL_NAMES)}{rng.randint(1, 99)}@{rng.choice(_MAIL_HOSTS)}"
        return Planted("email", address, address, address.split("@")[1])
    raise ValueError(kind)


# ---------------------------------------------------------------------------- fonts


def font_path(script: Script, cache_dir: Path, bold: bool = False) -> Path:
    """The shipped font for `script`; for a script font without Latin letters, that font
    merged with NotoSans (made once in `cache_dir`)."""
    if bold and script.bold:
        return FONTS / script.bold
    if not script.merge:
        return FONTS / script.font
    merged = cache_dir / f"merged-{Path(script.font).stem}.ttf"
    if not merged.exists():
        from fontTools.merge import Merger, Options

        font = Merger(options=Options(drop_tables=["vhea", "vmtx"])).merge(
            [str(FONTS / script.font), str(FONTS / "NotoSans-Regular.ttf")])
        part = merged.with_suffix(".part")
        font.save(str(part))
        part.replace(merged)
    return merged


@functools.lru_cache(maxsize=64)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)


@functools.lru_cache(maxsize=16)
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path, lazy=True).getBestCmap())


_INVISIBLE = {"Zs", "Cf", "Cc"}


def check_glyphs(text: str, path: str) -> None:
    """Raise when the font would draw some character of `text` as a box (tofu)."""
    cmap = _cmap(path)
    missing = {c for c in text if ord(c) not in cmap
               and unicodedata.category(c) not in _INVISIBLE}
    if missing:
        raise ValueError(f"{Path(path).name} cannot draw {''.join(sorted(missing))!r}")


# --------------------------------------------------------------------------- layout


def rtl(text: str) -> bool:
    """Direction of a paragraph by its first strong character, as phones choose it."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


@dataclass(frozen=True)
class Palette:
    chat: str
    panel: str
    header: str
    incoming: str
    outgoing: str
    text: str
    muted: str
    accent: str
    line: str
    field: str
    chip: str


PALETTES = {
    ("green", False): Palette("#EFEAE2", "#FFFFFF", "#F0F2F5", "#FFFFFF", "#D9FDD3",
                              "#111B21", "#667781", "#25D366", "#E9EDEF", "#F0F2F5",
                              "#FFFFFF"),
    ("green", True): Palette("#0B141A", "#111B21", "#202C33", "#202C33", "#005C4B",
                             "#E9EDEF", "#8696A0", "#00A884", "#222D34", "#2A3942",
                             "#182229"),
    ("blue", False): Palette("#B8D1A9", "#FFFFFF", "#FFFFFF", "#FFFFFF", "#EFFDDE",
                             "#000000", "#707579", "#3390EC", "#DADCE0", "#F1F1F1",
                             "#8FB07B"),
    ("blue", True): Palette("#0E1621", "#17212B", "#17212B", "#182533", "#2B5278",
                            "#F5F5F5", "#7F91A4", "#5288C1", "#0F1923", "#242F3D",
                            "#1E2C3A"),
}


@dataclass
class Shot:
    name: str
    script: str
    png: bytes
    width: int
    height: int
    phone: bool
    dark: bool
    text_px: int
    planted: list[Planted] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


class _Canvas:
    """Drawing in the interface's own direction: x is measured from the start side (the
    left, or the right in a right-to-left interface)."""

    def __init__(self, width: int, height: int, mirror: bool, script: Script,
                 cache_dir: Path):
        self.image = Image.new("RGB", (width, height), "#FFFFFF")
        self.draw = ImageDraw.Draw(self.image)
        self.width, self.mirror, self.script = width, mirror, script
        self.regular = str(font_path(script, cache_dir))
        self.bold = str(font_path(script, cache_dir, bold=True))

    def font(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        return _font(self.bold if bold else self.regular, size)

    def _x(self, x: float, w: float) -> float:
        return self.width - x - w if self.mirror else x

    def rect(self, x: float, y: float, w: float, h: float, fill: str, radius: int = 0
             ) -> None:
        left = self._x(x, w)
        box = (round(left), round(y), round(left + w), round(y + h))
        if radius:
            self.draw.rounded_rectangle(box, radius, fill=fill)
        else:
            self.draw.rectangle(box, fill=fill)

    def circle(self, x: float, y: float, d: float, fill: str) -> None:
        left = self._x(x, d)
        self.draw.ellipse((round(left), round(y), round(left + d), round(y + d)), fill=fill)

    def width_of(self, text: str, size: int, bold: bool = False) -> float:
        return self.font(size, bold).getlength(text, direction="rtl" if rtl(text) else "ltr")

    def text(self, x: float, y: float, w: float, text: str, size: int, fill: str,
             bold: bool = False, align: str = "start") -> None:
        """`text` in the box starting at x (width w): at its start, end, or by the
        paragraph's own direction ("para")."""
        font = self.font(size, bold)
        check_glyphs(text, self.bold if bold else self.regular)
        right_to_left = rtl(text)
        width = font.getlength(text, direction="rtl" if right_to_left else "ltr")
        at_start = {"start": True, "end": False,
                    "para": right_to_left == self.mirror}[align]
        offset = 0.0 if at_start else w - width
        left = self._x(x + offset, width)
        self.draw.text((round(left), round(y)), text, font=font, fill=fill,
                       direction="rtl" if right_to_left else "ltr")

    def fitted(self, text: str, size: int, width: float, bold: bool = False) -> str:
        """`text` cut to `width` with an ellipsis, as a chat list shows a preview."""
        if self.width_of(text, size, bold) <= width:
            return text
        while text and self.width_of(text + "…", size, bold) > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def wrap(self, text: str, size: int, width: float) -> list[str]:
        """Lines of at most `width`: broken at spaces, and a word longer than a line (an
        address on a phone) broken between characters, as chat apps do."""
        lines: list[str] = []
        current = ""
        for word in text.split(" "):
            candidate = f"{current} {word}" if current else word
            if self.width_of(candidate, size) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
                current = ""
            while self.width_of(word, size) > width:
                cut = _break_at(word, lambda part: self.width_of(part, size) <= width)
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        if current:
            lines.append(current)
        return lines

    def line_height(self, size: int) -> int:
        ascent, descent = self.font(size).getmetrics()
        latin = size * 1.36
        return round(max(latin, (ascent + descent) * 1.02))

    def png(self) -> bytes:
        out = io.BytesIO()
        self.image.save(out, "PNG", optimize=False, compress_level=6)
        return out.getvalue()


def _break_at(word: str, fits) -> int:  # noqa: ANN001 - a small local predicate
    """The longest prefix of `word` that fits, never splitting a letter from its marks."""
    best = 1
    for end in range(1, len(word)):
        if unicodedata.category(word[end])[0] == "M":
            continue
        if not fits(word[:end]):
            break
        best = end
    return best


def _tick(canvas: _Canvas, x: float, y: float, size: int, colour: str) -> None:
    step = size * 0.45
    for shift in (0.0, step * 0.7):
        points = [(x + shift, y + step * 0.5), (x + shift + step * 0.4, y + step),
                  (x + shift + step * 1.1, y)]
        if canvas.mirror:
            points = [(canvas.width - px, py) for px, py in points]
        canvas.draw.line(points, fill=colour, width=max(1, size // 10))


def _messages(script: Script, rng: random.Random, kinds: Sequence[str]
              ) -> list[tuple[bool, str, Planted | None]]:
    """(sent by me, text, planted) in order: chatter between the messages that carry an
    indicator; the other side sends most indicators."""
    turns: dict[str, int] = {}
    out: list[tuple[bool, str, Planted | None]] = [(False, script.chatter[0], None),
                                                   (True, script.chatter[1], None)]
    chatter = list(script.chatter[2:])
    rng.shuffle(chatter)
    for number, kind in enumerate(kinds):
        turn = turns[kind] = turns.get(kind, -1) + 1
        planted = make_indicator(rng, script, kind, turn + rng.randint(0, 5))
        key = planted.kind
        if key == "phone" and planted.detail.endswith("international") and \
                "phone-ltr" in script.asks:
            key = "phone-ltr"
        template = rng.choice(script.asks[key])
        out.append((number % 4 == 3, template.replace("{v}", planted.shown), planted))
        if number % 2 == 1 and chatter:
            out.append((rng.random() < 0.5, chatter.pop(), None))
    # More talk after the last indicator fills the window, as a real chat does.
    out.extend((rng.random() < 0.5, rng.choice(script.chatter), None) for _ in range(12))
    return out


def _times(rng: random.Random, count: int) -> list[str]:
    minute = rng.randint(8 * 60, 20 * 60)
    out = []
    for _ in range(count):
        minute += rng.randint(0, 4)
        out.append(f"{minute // 60 % 24:02d}:{minute % 60:02d}")
    return out


def render_shot(script_key: str, *, seed: int, cache_dir: Path, phone: bool = False,
                dark: bool = False, style: str = "green", size: tuple[int, int] | None = None,
                text_px: int | None = None, kinds: Sequence[str] | None = None,
                name: str | None = None) -> Shot:
    """One chat screenshot. Only the indicators whose bubbles fit on it are planted."""
    if not features.check("raqm"):
        raise RuntimeError("Pillow has no raqm layout: install libraqm0 (Arabic, Thai, "
                           "Burmese and Khmer would be drawn unshaped)")
    script = SCRIPTS[script_key]
    rng = random.Random(f"{script_key}:{seed}")
    width, height = size or ((1080, 2400) if phone else (1920, 1080))
    px = text_px or (rng.choice((36, 38, 40, 42, 44)) if phone
                     else rng.choice((13, 14, 15, 16)))
    if kinds is None:
        kinds = (["wallet", "iban", "phone", "wallet", "email", "wallet", "iban"] if not phone
                 else ["wallet", "phone", "iban", "email", "wallet"])
    canvas = _Canvas(width, height, script.key == "arabic", script, cache_dir)
    colours = PALETTES[(style, dark)]
    messages = _messages(script, rng, kinds)
    shot = Shot(name=name or f"{script_key}-{'phone' if phone else 'desktop'}-{seed}",
                script=script_key, png=b"", width=width, height=height, phone=phone,
                dark=dark, text_px=px)
    if phone:
        top, bottom, left, right = _phone_chrome(canvas, script, colours, px, rng)
    else:
        top, bottom, left, right = _desktop_chrome(canvas, script, colours, px, rng)
    _bubbles(canvas, shot, messages, colours, px, rng, (top, bottom, left, right))
    shot.png = canvas.png()
    return shot


def _desktop_chrome(c: _Canvas, script: Script, p: Palette, px: int, rng: random.Random
                    ) -> tuple[float, float, float, float]:
    w, h = c.width, c.image.height
    side = min(420, w // 3)
    c.rect(0, 0, w, h, p.chat)
    c.rect(0, 0, side, h, p.panel)
    c.rect(side - 1, 0, 1, h, p.line)
    # The chat list: a search field and the conversations, the open one highlighted.
    c.rect(0, 0, side, 60, p.header)
    c.circle(16, 10, 40, p.muted)
    c.rect(12, 70, side - 24, 36, p.field, radius=8)
    c.text(48, 77, side - 60, script.words["search"], px, p.muted)
    y = 118
    names = [script.contact, *script.others]
    times = sorted(_times(rng, len(names)), reverse=True)
    for number, person in enumerate(names):
        if y + 72 > h:
            break
        if number == 0:
            c.rect(0, y, side - 1, 72, p.field)
        c.circle(14, y + 12, 48, ["#7E57C2", "#26A69A", "#EF6C00", "#5C6BC0",
                                  "#8D6E63"][number % 5])
        c.text(74, y + 12, side - 150, person, px + 1, p.text, bold=True)
        c.text(side - 74, y + 14, 60, times[number], px - 3, p.muted, align="end")
        preview = c.fitted(rng.choice(script.chatter), px - 1, side - 96)
        c.text(74, y + 40, side - 96, preview, px - 1, p.muted)
        y += 72
        c.rect(74, y - 1, side - 74, 1, p.line)
    # The header bar of the open chat, and the message box at the bottom.
    c.rect(side, 0, w - side, 60, p.header)
    c.rect(side, 59, w - side, 1, p.line)
    c.circle(side + 16, 10, 40, "#7E57C2")
    c.text(side + 68, 9, 500, script.contact, px + 2, p.text, bold=True)
    c.text(side + 68, 33, 500, script.words["online"], px - 2, p.muted)
    for k in range(3):
        c.circle(w - 40, 22 + k * 7, 4, p.muted)
    c.rect(side, h - 62, w - side, 62, p.header)
    c.rect(side + 60, h - 50, w - side - 130, 40, p.field, radius=10)
    c.text(side + 76, h - 41, 400, script.words["type"], px, p.muted)
    c.circle(w - 52, h - 48, 36, p.accent)
    return 70, h - 70, side + 60, w - 60


def _phone_chrome(c: _Canvas, script: Script, p: Palette, px: int, rng: random.Random
                  ) -> tuple[float, float, float, float]:
    w, h = c.width, c.image.height
    c.rect(0, 0, w, h, p.chat)
    c.rect(0, 0, w, 260, p.header)
    c.rect(0, 259, w, 2, p.line)
    # Status bar: the clock, signal and battery.
    c.text(48, 22, 200, _times(rng, 1)[0], 34, p.text)
    for k in range(4):
        c.rect(w - 230 + k * 16, 60 - 12 * (k + 1) + 10, 10, 12 * (k + 1), p.text)
    c.rect(w - 140, 26, 80, 36, p.muted, radius=6)
    c.rect(w - 136, 30, 56, 28, p.text, radius=4)
    # Header: back arrow, avatar, name and status.
    arrow_y = 175
    points = [(70, arrow_y - 28), (40, arrow_y), (70, arrow_y + 28)]
    if c.mirror:
        points = [(w - x, y) for x, y in points]
    c.draw.line(points, fill=p.text, width=6)
    c.circle(100, 120, 110, "#26A69A")
    c.text(236, 118, 640, script.contact, 48, p.text, bold=True)
    c.text(236, 186, 640, script.words["online"], 34, p.muted)
    for k in range(3):
        c.circle(w - 60, 150 + k * 20, 11, p.text)
    # The message box and the microphone button.
    c.rect(24, h - 170, w - 190, 130, p.field, radius=65)
    c.text(80, h - 130, w - 300, script.words["type"], px, p.muted)
    c.circle(w - 150, h - 165, 122, p.accent)
    # The day chip is drawn by _bubbles at the top of the chat area.
    return 290, h - 200, 24, w - 24


def _bubbles(c: _Canvas, shot: Shot, messages: list[tuple[bool, str, Planted | None]],
             p: Palette, px: int, rng: random.Random,
             area: tuple[float, float, float, float]) -> None:
    top, bottom, left, right = area
    phone = shot.phone
    pad_x, pad_y = (34, 20) if phone else (12, 7)
    gap = 22 if phone else 10
    time_px = max(11, round(px * 0.72))
    max_text = (right - left) * (0.78 if phone else 0.65) - 2 * pad_x
    line_h = c.line_height(px)
    # The day chip.
    chip = SCRIPTS[shot.script].words["today"]
    chip_w = c.width_of(chip, time_px) + 2 * pad_x
    middle = (left + right) / 2
    c.rect(middle - chip_w / 2, top, chip_w, time_px * 2, p.chip, radius=8)
    c.text(middle - chip_w / 2 + pad_x, top + time_px * 0.35, chip_w, chip, time_px,
           p.muted)
    y = top + time_px * 2 + gap
    times = _times(rng, len(messages))
    for (mine, text, planted), when in zip(messages, times, strict=True):
        lines = c.wrap(text, px, max_text)
        widths = [c.width_of(line, px) for line in lines]
        time_w = c.width_of(when, time_px) + (px * 1.1 if mine else 0)
        inline = widths[-1] + time_w + px <= max_text
        body_w = max([*widths, widths[-1] + time_w + px if inline else time_w])
        height = len(lines) * line_h + (0 if inline else line_h * 0.8) + 2 * pad_y
        if y + height > bottom:
            break
        bubble_w = body_w + 2 * pad_x
        x = right - bubble_w if mine else left
        c.rect(x, y, bubble_w, height, p.outgoing if mine else p.incoming,
               radius=18 if phone else 8)
        for number, line in enumerate(lines):
            c.text(x + pad_x, y + pad_y + number * line_h, body_w, line, px, p.text,
                   align="para")
        time_y = y + height - pad_y - time_px * 1.25
        c.text(x + pad_x, time_y, body_w - (px * 1.1 if mine else 0), when, time_px,
               p.muted, align="end")
        if mine:
            _tick(c, x + pad_x + body_w - px * 0.95, time_y + time_px * 0.25, px, p.accent)
        shot.messages.append(text)
        if planted is not None:
            shot.planted.append(planted)
        y += height + gap
