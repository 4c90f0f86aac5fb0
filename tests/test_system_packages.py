"""One list of system packages (installer/system-packages.txt) for `make test` and CI.

`make test` on a fresh machine must not half-pass with the tools it drives (age, poppler,
Xvfb) missing: it installs them when it can, and otherwise stops with one sentence that
names the exact command. The script is run here with stand-ins for dpkg-query, apt-get,
id and sudo, so no test touches the real system.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "installer" / "system-packages.sh"
LIST = ROOT / "installer" / "system-packages.txt"
NOT_INSTALLED = ("age", "poppler-utils")


def listed() -> list[str]:
    lines = (line.split("#")[0].split() for line in LIST.read_text("utf-8").splitlines())
    return [words[0] for words in lines if words]


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["/bin/sh", str(SCRIPT), *args], env=env, capture_output=True,
                          text=True, timeout=30, check=False)


def stand_ins(tmp_path: Path, uid: int, sudo_works: bool = False) -> dict[str, str]:
    """PATH with a dpkg-query that lacks NOT_INSTALLED, an apt-get that only notes its
    arguments (in apt.log), an `id -u` of `uid`, and a sudo that works or asks."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    missing = "|".join(NOT_INSTALLED)
    scripts = {
        "dpkg-query": 'shift 2\nfor p in "$@"; do case "$p" in ' + missing +
                      ') echo "no $p" >&2;; *) echo "$p install ok installed";; esac; done',
        "apt-get": f'echo "$*" >> "{tmp_path}/apt.log"',
        "id": f"echo {uid}",
        "sudo": '[ "$1" = -n ] && shift; ' + ('exec "$@"' if sudo_works else "exit 1"),
    }
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text("#!/bin/sh\n" + body + "\n", "utf-8")
        path.chmod(0o755)
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}


def apt_calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "apt.log"
    return log.read_text("utf-8").splitlines() if log.exists() else []


def test_ci_and_make_test_use_the_same_list() -> None:
    names = listed()
    assert run(dict(os.environ), "--list").stdout.split() == names
    assert not [n for n in names if n.startswith(("fonts-", "ttf-"))], "fonts ship with us"
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "installer/system-packages.sh --install" in ci
    assert "apt-get install" not in ci, "a second list in .ci/run"
    assert not [n for n in names if len(n) > 6 and n in ci], "a package named in .ci/run"
    make = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout
    checks = [line for line in make.splitlines() if "system-packages.sh" in line]
    assert checks, make
    assert checks[0].endswith("installer/system-packages.sh --check"), make
    assert make.index("system-packages.sh") < make.index("pytest")


def test_a_missing_package_is_named_with_the_exact_command_and_stops(tmp_path: Path) -> None:
    env = stand_ins(tmp_path, uid=1000)
    done = run(env, "--check")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr  # one sentence
    assert "`sudo apt-get install -y --no-install-recommends age poppler-utils`" in lines[0]
    assert apt_calls(tmp_path) == []

    going_on = run({**env, "MISSING_OK": "1"}, "--check")
    assert going_on.returncode == 0
    assert "age poppler-utils" in going_on.stderr


def test_root_or_sudo_installs_only_what_is_missing(tmp_path: Path) -> None:
    as_root = tmp_path / "root"
    as_root.mkdir()
    assert run(stand_ins(as_root, uid=0), "--check").returncode == 0
    assert apt_calls(as_root) == ["update -qq", "install -y -qq --no-install-recommends "
                                  "age poppler-utils"]
    with_sudo = tmp_path / "sudo"
    with_sudo.mkdir()
    assert run(stand_ins(with_sudo, uid=1000, sudo_works=True), "--check").returncode == 0
    assert apt_calls(with_sudo)[-1].endswith("--no-install-recommends age poppler-utils")


def test_nothing_happens_when_everything_is_installed(tmp_path: Path) -> None:
    env = stand_ins(tmp_path, uid=0)
    (tmp_path / "bin" / "dpkg-query").write_text(
        '#!/bin/sh\nshift 2\nfor p in "$@"; do echo "$p install ok installed"; done\n')
    done = run(env, "--check")
    assert (done.returncode, done.stderr, apt_calls(tmp_path)) == (0, "", [])


def test_without_apt_it_names_the_missing_commands(tmp_path: Path) -> None:
    """macOS, Fedora...: no dpkg-query; the commands the tests run are checked instead."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("sed", "awk", "tr", "grep", "dirname", "make", "openssl", "unzip"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    done = run({"PATH": str(bin_dir), "HOME": str(tmp_path)}, "--check")
    assert done.returncode == 2
    assert "not a Debian or Ubuntu system" in done.stderr
    assert "age" in done.stderr.split("missing:")[1]
    assert "pdftotext" in done.stderr
    assert " openssl" not in done.stderr.split("missing:")[1].split(";")[0]
