"""import-chat through the real command line."""

from __future__ import annotations

import json

from tests.chats.conftest import ASSETS
from tests.helpers import run_cli


def _vault(tmp_path):
    path = tmp_path / "vault"
    done = run_cli("--vault", str(path), "init", "--no-timestamps")
    assert done.returncode == 0, done.stderr
    return str(path)


def test_import_chat_json_output(tmp_path, whatsapp_zip):
    vault = _vault(tmp_path)
    done = run_cli("--vault", vault, "import-chat", str(whatsapp_zip), "--me", "Pat Sample",
                   "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["format"] == "whatsapp_zip"
    assert data["messages"] == 7
    assert data["system_messages"] == 2
    assert data["participants"] == ["Lee Invented", "Pat Sample"]
    assert data["attachments"] == 2
    assert data["unparsed_lines"] == 0
    assert data["original_ids"] == ["1"]
    assert data["transcript_id"]
    listed = json.loads(run_cli("--vault", vault, "list", "--json").stdout)
    kinds = sorted(i["kind"] for i in listed)
    assert kinds == ["chat_media", "original", "transcript", "transcript", "transcript"]


def test_me_unclear_without_terminal_names_the_choices(tmp_path):
    vault = _vault(tmp_path)
    done = run_cli("--vault", vault, "import-chat", str(ASSETS / "whatsapp/ios_en/_chat.txt"))
    assert done.returncode == 1
    assert "--me" in done.stderr
    assert "Lee Invented, Pat Sample" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_and_html_exports_get_clear_messages(tmp_path):
    vault = _vault(tmp_path)
    done = run_cli("--vault", vault, "import-chat", str(ASSETS / "not_a_chat.txt"))
    assert done.returncode == 1
    assert "Supported: WhatsApp" in done.stderr
    done = run_cli("--vault", vault, "import-chat", str(ASSETS / "telegram/html/messages.html"))
    assert done.returncode == 1
    assert "Machine-readable JSON" in done.stderr


def test_human_output_and_format_choice(tmp_path):
    vault = _vault(tmp_path)
    done = run_cli("--vault", vault, "import-chat", "--format", "telegram",
                   str(ASSETS / "telegram/single/result.json"))
    assert done.returncode == 0, done.stderr
    assert "Imported telegram_json: 7 messages" in done.stdout
    assert "lines could not be understood" in done.stderr
