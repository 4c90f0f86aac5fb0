"""Smoke tests of the BUILT app (`make dist`): the folder a victim unpacks, not the source.

Skipped unless dist/evidence-app/evidence-app exists; installer/smoke_test.sh builds it and
runs these (`pytest -m dist tests/dist`). Each run gets a clean environment with only what a
person's session would have, so nothing from the test set-up (log dir, fast KDF, XDG
folders) hides a write to HOME.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from evidence_app import __version__
from evidence_app.paths import PORTABLE_DATA, PORTABLE_MARKER
from tests.helpers import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
BUILT = Path(os.environ.get("EVIDENCE_APP_DIST", ROOT / "dist" / "evidence-app"))
EXE = BUILT / "evidence-app"

pytestmark = [
    pytest.mark.dist,
    pytest.mark.skipif(not EXE.is_file(), reason=f"no built app at {EXE} (run `make dist`)"),
]

# Lines Qt prints on stderr that are not errors: the offscreen platform cannot pass size
# hints to a window manager it does not have, and a session without XDG_RUNTIME_DIR.
HARMLESS_STDERR = (
    re.compile(r"^This plugin does not support propagateSizeHints\(\)$"),
    re.compile(r"^QStandardPaths: XDG_RUNTIME_DIR not set"),
)


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """A person's environment: HOME, PATH, a language; no XDG_*, TMPDIR or test settings."""
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "LANG": "C.UTF-8", "LANGUAGE": "en", "QT_QPA_PLATFORM": "offscreen"}
    env.update(extra)
    return env


def run(exe: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env,
                          timeout=180, check=False)


def round_trip(exe: Path, work: Path, env: dict[str, str], vault: Path | None) -> Path:
    """init, add, seal (plain zip), verify with the real KDF; returns the sealed bundle."""
    env = {**env, "EVIDENCE_APP_PASSPHRASE": PASSPHRASE}
    where = ["--vault", str(vault)] if vault else []
    evidence = work / "screenshot-note.txt"
    evidence.write_text("Message from the offender, 23 Nov, 11:02.\n", "utf-8")
    out = work / "sealed"
    for args in (["init", "--no-timestamps"], ["add", str(evidence)],
                 ["seal", "--out", str(out), "--no-encryption"]):
        done = run(exe, *where, *args, env=env)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
    bundles = sorted(out.glob("evidence-*.zip"))
    assert len(bundles) == 1, list(out.iterdir())
    assert sorted(p.suffix for p in out.glob("*.receipt.*")) == [".pdf", ".txt"]
    checked = run(exe, "verify", str(bundles[0]), env=env)
    assert checked.returncode == 0, (checked.stdout, checked.stderr)
    assert "VERIFIED" in checked.stdout
    return bundles[0]


def gui_for_a_while(exe: Path, env: dict[str, str], seconds: float = 4.0) -> str:
    """Start the desktop app, let it run, end it with SIGTERM; returns its stderr."""
    proc = subprocess.Popen([str(exe)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(seconds)
        assert proc.poll() is None, f"the app quit by itself: {proc.communicate()}"
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    # The app unwinds on SIGTERM (temporary files removed) and exits with the shell's
    # convention for "stopped by a signal": 128 + its number.
    assert proc.returncode == 128 + signal.SIGTERM, (proc.returncode, err)
    return err


def unexpected_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if line.strip() and not any(p.search(line) for p in HARMLESS_STDERR)]


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_version_is_the_packages(tmp_path: Path) -> None:
    done = run(EXE, "--version", env=clean_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"evidence-app {__version__}"


def test_bundled_resources_are_there() -> None:
    res = BUILT / "_internal" / "evidence_app" / "resources"
    assert list(res.glob("locale/*/LC_MESSAGES/evidence_app.mo")), "compiled catalogues"
    assert (res / "icons" / "evidence-app.svg").is_file()
    assert (res / "evidence-app.desktop").is_file()
    shipped = ROOT / "resources" / "fonts"
    assert files_under(res / "fonts") == files_under(shipped)  # fonts, licences, README
    qt = BUILT / "_internal" / "PySide6" / "Qt"
    plugins = {p.name for p in (qt / "plugins" / "platforms").iterdir()}
    assert {"libqxcb.so", "libqoffscreen.so", "libqwayland.so"} <= plugins
    assert list((qt / "plugins" / "imageformats").glob("libqsvg*"))
    assert list((qt / "plugins" / "printsupport").iterdir())
    assert (qt / "translations" / "qtbase_de.qm").is_file()
    assert (BUILT / "install.sh").is_file()
    assert (BUILT / "_internal" / "tesseract" / "tesseract").is_file()
    tessdata = BUILT / "_internal" / "tesseract" / "tessdata"
    assert len(list(tessdata.glob("*.traineddata"))) == 14


def test_cli_round_trip(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    round_trip(EXE, tmp_path, clean_env(home), tmp_path / "vault")


def test_pictures_are_read_by_the_engine_in_the_build(tmp_path: Path) -> None:
    """No system engine on PATH: the words are read by the one the build carries, in the
    app's language and in Thai, whose data it carries too."""
    from tests.ocr.conftest import draw_lines

    home = tmp_path / "home"
    home.mkdir()
    env = {**clean_env(home, PATH=str(tmp_path / "empty")), "EVIDENCE_APP_PASSPHRASE":
           PASSPHRASE}
    vault = ["--vault", str(tmp_path / "vault")]
    picture = tmp_path / "chat.png"
    picture.write_bytes(draw_lines(["Pay to +44 7911 123456 today"]))
    assert run(EXE, *vault, "init", "--no-timestamps", env=env).returncode == 0
    added = run(EXE, *vault, "add", str(picture), env=env)
    assert added.returncode == 0, added.stderr
    assert "words read" in added.stdout, (added.stdout, added.stderr)
    shown = run(EXE, *vault, "ocr", "--show", "1", env=env)
    assert "+44 7911 123456" in shown.stdout, shown.stdout
    thai = run(EXE, *vault, "ocr", "--read-in", "th", "1", env=env)
    assert thai.returncode == 0, thai.stderr
    assert "words read" in thai.stdout


def test_report_fonts_come_from_the_bundle(tmp_path: Path) -> None:
    """The receipt PDF embeds our bundled fonts, so it renders the same on any computer."""
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        pytest.skip("pdffonts (poppler-utils) not installed")
    home = tmp_path / "home"
    home.mkdir()
    env = clean_env(home, XDG_DATA_DIRS=str(tmp_path / "none"), EVIDENCE_APP_SYSTEM_FONTS="0")
    bundle = round_trip(EXE, tmp_path, env, tmp_path / "vault")
    receipt = bundle.with_name(bundle.stem + ".receipt.pdf")
    listed = subprocess.run([pdffonts, str(receipt)], capture_output=True, text=True,
                            check=True).stdout
    assert re.search(r"\+NotoSans\s", listed), listed  # fpdf2 names it by its family


def test_gui_starts_with_no_system_fonts(tmp_path: Path) -> None:
    """On a machine whose only font is Latin (here: fontconfig sees one copy of our mono
    font), the first start shows every language name from the bundled fonts, and Qt prints
    nothing: no "OpenType support missing" for the Khmer name."""
    home, fonts = tmp_path / "home", tmp_path / "system-fonts"
    home.mkdir()
    fonts.mkdir()
    shutil.copy(BUILT / "_internal/evidence_app/resources/fonts/NotoSansMono-Regular.ttf",
                fonts)
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"<?xml version='1.0'?>\n<fontconfig><dir>{fonts}</dir>"
                    f"<cachedir>{tmp_path}/fc-cache</cachedir></fontconfig>\n", "utf-8")
    err = gui_for_a_while(EXE, clean_env(home, FONTCONFIG_FILE=str(conf)))
    assert unexpected_lines(err) == [], err


def test_gui_starts_offscreen_without_errors(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = clean_env(home)
    err = gui_for_a_while(EXE, env)
    assert unexpected_lines(err) == [], err
    logs = list(home.rglob("evidence-app.log"))
    assert logs, files_under(home)
    text = logs[0].read_text("utf-8")
    assert "ERROR" not in text, text
    assert "Traceback" not in text, text


def test_gui_window_appears_on_a_real_x_server(tmp_path: Path) -> None:
    """Under Xvfb with the xcb plugin (what a Linux desktop uses), the start window shows."""
    xvfb_run, xwininfo = shutil.which("xvfb-run"), shutil.which("xwininfo")
    if not (xvfb_run and xwininfo):
        pytest.skip("xvfb-run and xwininfo (xvfb, x11-utils) not installed")
    home = tmp_path / "home"
    home.mkdir()
    env = clean_env(home)
    env.pop("QT_QPA_PLATFORM")
    script = tmp_path / "look.sh"
    script.write_text(
        f'"{EXE}" 2>"{tmp_path}/err" & pid=$!\n'
        "for _i in $(seq 60); do\n"
        '  if xwininfo -root -tree | grep -q "\\"Evidence Locker\\": (\\"evidence-app\\""; then\n'
        '    echo WINDOW; break; fi\n'
        "  sleep 0.5\n"
        "done\n"
        'kill -TERM "$pid"; wait "$pid"\n', "utf-8")
    done = subprocess.run([xvfb_run, "-a", "sh", str(script)], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert "WINDOW" in done.stdout, (done.stdout, done.stderr)
    err = (tmp_path / "err").read_text("utf-8")
    assert unexpected_lines(err) == [], err


def test_portable_mode_writes_nothing_under_home(tmp_path: Path) -> None:
    """A copy on a 'stick' with the marker: vault, settings, logs, Qt's files and temp files
    stay beside it; HOME and the host's temp folder are untouched."""
    stick = tmp_path / "stick" / "EvidenceLocker"
    shutil.copytree(BUILT, stick, symlinks=False)  # FAT sticks have no symlinks
    (stick / PORTABLE_MARKER).write_text("portable\n", "utf-8")
    home, host_tmp, work = tmp_path / "home", tmp_path / "host-tmp", tmp_path / "work"
    for folder in (home, host_tmp, work):
        folder.mkdir()
    env = clean_env(home, TMPDIR=str(host_tmp), TEMP=str(host_tmp), TMP=str(host_tmp))
    exe = stick / "evidence-app"

    round_trip(exe, work, env, vault=None)  # the default vault: beside the program
    err = gui_for_a_while(exe, env)
    assert unexpected_lines(err) == [], err

    assert files_under(home) == []
    assert files_under(host_tmp) == []
    data = stick / PORTABLE_DATA
    assert (data / "vault").is_dir(), files_under(data)
    assert list((data / "logs").glob("evidence-app.log*")), files_under(data)


def test_linux_install_script_installs_for_this_user_only(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["sh", str(BUILT / "install.sh")], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    target = home / ".local/lib/evidence-locker/evidence-app"
    entry = (home / ".local/share/applications/evidence-app.desktop").read_text("utf-8")
    assert f'Exec="{target}"' in entry
    icons = home / ".local/share/icons/hicolor"
    assert (icons / "48x48/apps/evidence-app.png").is_file()
    assert (icons / "scalable/apps/evidence-app.svg").is_file()
    version = run(home / ".local/bin/evidence-app", "--version", env=clean_env(home))
    assert version.stdout.strip() == f"evidence-app {__version__}"

    done = subprocess.run(["sh", str(target.parent / "install.sh"), "--uninstall"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert not target.parent.exists()
    assert not (home / ".local/bin/evidence-app").exists()
    assert not list(icons.rglob("evidence-app.*"))


def test_portable_flag_without_marker(tmp_path: Path) -> None:
    """`--portable` does what the marker does, for a copy that has no marker file."""
    stick = tmp_path / "stick" / "EvidenceLocker"
    shutil.copytree(BUILT, stick, symlinks=True)
    home = tmp_path / "home"
    home.mkdir()
    env = {**clean_env(home), "EVIDENCE_APP_PASSPHRASE": PASSPHRASE}
    done = run(stick / "evidence-app", "--portable", "init", "--no-timestamps", env=env)
    assert done.returncode == 0, done.stderr
    assert (stick / PORTABLE_DATA / "vault").is_dir()
    assert files_under(home) == []
