"""Reading pictures with the real engine, through the command line a person uses."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import threading
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from evidence_app.core.errors import Cancelled, OcrFailed, OcrUnavailable
from evidence_app.ocr import engine as ocr_engine
from evidence_app.ocr.picture import prepare
from evidence_app.workflows.ocr import read_picture
from tests.cli.util import added_ids, assert_one_line_error, init_vault, ok
from tests.ocr.conftest import draw_lines, needs_engine

WALLET = "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"
LINES = ["Send the money to this wallet:", WALLET, "or call +44 7911 123456"]


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size in a few bytes (a decompression bomb's first step)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0"))


def test_a_hostile_picture_meets_one_decoder_with_a_limit():
    with pytest.raises(OcrFailed) as bomb:
        prepare(_png_header_only(60_000, 60_000))
    assert bomb.value.reason == "too_big"
    with pytest.raises(OcrFailed) as broken:
        prepare(draw_lines(["cut short"])[:200])
    assert broken.value.reason == "not_a_picture"
    with pytest.raises(OcrFailed) as text:
        prepare(b"%PDF-1.7 not a picture")
    assert text.value.reason == "not_a_picture"


def test_a_cut_out_screenshot_is_read_on_white_and_small_text_enlarged():
    ready = prepare(draw_lines(["transparent"], mode="RGBA"))
    grey = Image.open(io.BytesIO(ready.image))
    assert grey.mode == "L"
    assert grey.getpixel((1, 1)) == 255
    assert ready.scale == 2.0
    assert grey.width == ready.width * 2


@needs_engine
def test_the_engine_reads_from_memory_and_leaves_no_file(tmp_path, monkeypatch):
    spare = tmp_path / "tmp"
    spare.mkdir()
    monkeypatch.setenv("TMPDIR", str(spare))
    ocr_engine.find_engine.cache_clear()
    engine = ocr_engine.require(["eng"])
    reading = read_picture(draw_lines(LINES), engine, ["eng"])
    assert WALLET in reading.text.replace(" ", "") or "TQn9Y2" in reading.text
    assert "+44 7911 123456" in reading.text
    assert reading.settings.scale == 2.0
    assert list(spare.iterdir()) == []  # the picture never went through a temp file


@needs_engine
def test_cancel_stops_the_engine_at_once():
    engine = ocr_engine.require(["eng"])
    big = draw_lines(LINES * 30, size=14, width=2000)
    asked = threading.Event()
    threading.Timer(0.3, asked.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        read_picture(big, engine, ["eng"], cancel=asked.is_set)
    assert time.monotonic() - started < 1.5


def test_a_missing_engine_or_language_is_said_with_the_command_that_adds_it(monkeypatch):
    monkeypatch.setattr(ocr_engine, "find_engine", lambda: None)
    with pytest.raises(OcrUnavailable) as none:
        ocr_engine.require(["tha", "eng"])
    assert none.value.reason == "no_engine"
    fake = ocr_engine.Engine(command="tesseract", version="5.3.0",
                             languages=frozenset({"eng"}))
    monkeypatch.setattr(ocr_engine, "find_engine", lambda: fake)
    with pytest.raises(OcrUnavailable) as lacking:
        ocr_engine.require(["tha", "eng"])
    assert lacking.value.languages == ["tha"]
    from evidence_app.messages import describe

    said = describe(lacking.value)
    assert "ไทย" in said
    assert "tesseract-ocr-tha" in said
    assert "\n" not in said


def test_languages_are_the_apps_the_chosen_and_english():
    assert ocr_engine.engine_languages("th", ["my", "th"]) == ["tha", "mya", "eng"]
    assert ocr_engine.engine_languages("zh_CN") == ["chi_sim", "eng"]
    assert ocr_engine.engine_languages("en", ["xx"]) == ["eng"]


@needs_engine
def test_add_reads_the_picture_and_records_how(tmp_path: Path, reading_on):
    vault = tmp_path / "v"
    init_vault(vault)
    picture = tmp_path / "chat.png"
    picture.write_bytes(draw_lines(LINES))
    before = hashlib.sha256(picture.read_bytes()).hexdigest()
    result = ok("--vault", str(vault), "add", str(picture))
    assert added_ids(result.stdout) == {"1": "chat.png"}
    assert "words read" in result.stdout
    items = {i["id"]: i for i in json.loads(ok("--vault", str(vault), "list",
                                               "--json").stdout)}
    assert [i["kind"] for i in items.values()] == ["original", "ocr_boxes", "ocr_text"]
    assert items["1"]["sha256"] == before  # the picture is the picture as handed in
    shown = json.loads(ok("--vault", str(vault), "show", "3", "--json").stdout)
    source = shown["source"]
    assert source["engine"] == "Tesseract"
    assert source["engine_version"]
    assert source["languages"] == ["eng"]
    assert source["settings"] == {"oem": 1, "psm": 3, "scale": 2.0, "contrast": True,
                                  "languages": ["eng"]}
    assert len(source["passes"]) == 2  # on the contrast-set picture, then as it is
    assert source["picture"] == "1"
    assert source["picture_sha256"] == before
    assert source["boxes_item"] == "2"
    text = json.loads(ok("--vault", str(vault), "ocr", "--show", "1", "--json").stdout)
    assert "+44 7911 123456" in text[0]["text"]
    again = ok("--vault", str(vault), "ocr")
    assert "already read" in again.stdout
    assert len(json.loads(ok("--vault", str(vault), "list", "--json").stdout)) == 3


@needs_engine
def test_reading_can_be_turned_off_and_asked_for_later(tmp_path: Path):
    vault = tmp_path / "v"
    init_vault(vault)
    picture = tmp_path / "chat.png"
    picture.write_bytes(draw_lines(LINES[:1]))
    note = tmp_path / "note.txt"
    note.write_text("not a picture")
    ok("--vault", str(vault), "add", str(picture), str(note))  # settings: reading off
    assert len(json.loads(ok("--vault", str(vault), "list", "--json").stdout)) == 2
    refused = assert_one_line_error(
        ok_or_fail("--vault", str(vault), "ocr", "2"), "not a picture")
    assert "Item 2" in refused
    read = ok("--vault", str(vault), "ocr", "--read-in", "de", "1")
    assert "words read" in read.stdout
    items = json.loads(ok("--vault", str(vault), "list", "--json").stdout)
    assert [i["kind"] for i in items] == ["original", "original", "ocr_boxes", "ocr_text"]
    shown = json.loads(ok("--vault", str(vault), "show", "4", "--json").stdout)
    assert shown["source"]["languages"] == ["eng", "deu"]


def ok_or_fail(*args: str):
    from tests.helpers import run_cli

    return run_cli(*args)


@needs_engine
def test_a_picture_the_engine_cannot_read_is_said_and_the_rest_goes_on(tmp_path: Path,
                                                                       reading_on):
    vault = tmp_path / "v"
    init_vault(vault)
    good = tmp_path / "good.png"
    good.write_bytes(draw_lines(LINES[:1]))
    bad = tmp_path / "bomb.png"
    bad.write_bytes(_png_header_only(60_000, 60_000))
    result = ok_or_fail("--vault", str(vault), "add", str(bad), str(good))
    assert result.returncode == 0, result.stderr  # both added; reading one failed, said
    assert "too big to read" in result.stderr
    assert "bomb.png" in result.stderr
    kinds = [i["kind"] for i in json.loads(ok("--vault", str(vault), "list",
                                                "--json").stdout)]
    assert kinds == ["original", "original", "ocr_boxes", "ocr_text"]
    assert "Traceback" not in result.stderr


def test_without_an_engine_add_still_adds_and_says_it_once(tmp_path: Path, reading_on):
    vault = tmp_path / "v"
    init_vault(vault)
    picture = tmp_path / "chat.png"
    picture.write_bytes(draw_lines(LINES[:1]))
    result = ok("--vault", str(vault), "add", str(picture),
                env={"EVIDENCE_APP_TESSERACT": str(tmp_path / "no-such-program"),
                     "PATH": str(tmp_path)})
    assert added_ids(result.stdout) == {"1": "chat.png"}
    assert result.stderr.count("Tesseract") == 1
    assert "is not installed" in result.stderr


@needs_engine
def test_a_picture_sent_in_a_chat_is_read_when_the_chat_is_imported(tmp_path: Path,
                                                                      reading_on):
    import zipfile

    vault = tmp_path / "v"
    init_vault(vault)
    export = tmp_path / "WhatsApp Chat with Sam.zip"
    with zipfile.ZipFile(export, "w") as zf:
        zf.writestr("WhatsApp Chat with Sam.txt",
                    "31/12/2023, 23:50 - Sam Fiction: pay here\n"
                    "31/12/2023, 23:51 - Sam Fiction: IMG-20231231-WA0001.png (file attached)\n"
                    "31/12/2023, 23:52 - Alex: ok\n")
        zf.writestr("IMG-20231231-WA0001.png", draw_lines(LINES))
    done = ok("--vault", str(vault), "import-chat", str(export), "--me", "Alex", "--json")
    summary = json.loads(done.stdout)  # stdout stays one JSON document
    (picture_id,) = summary["media_ids"]
    items = json.loads(ok("--vault", str(vault), "list", "--json").stdout)
    readings = [i for i in items if i["kind"] == "ocr_text"]
    assert len(readings) == 1
    shown = json.loads(ok("--vault", str(vault), "show", readings[0]["id"], "--json").stdout)
    assert shown["source"]["picture"] == picture_id
