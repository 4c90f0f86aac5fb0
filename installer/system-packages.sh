#!/bin/sh
# The system packages in installer/system-packages.txt: the one list `make test` and `.ci/run`
# both use.
#
#   system-packages.sh --list     print the package names
#   system-packages.sh --missing  print the ones not installed (Debian/Ubuntu)
#   system-packages.sh --install  install the missing ones with apt-get (CI, as root)
#   system-packages.sh --check    what `make test` runs: nothing when all are there; else
#                                 install them when it can (root, or sudo without a
#                                 password, with apt-get); else say in one sentence what to
#                                 run, and exit 2 (MISSING_OK=1: say it, and go on)
set -eu
list="$(dirname "$0")/system-packages.txt"

packages() { sed -e 's/#.*//' "$list" | awk 'NF { print $1 }'; }
commands() { sed -e 's/#.*//' "$list" | awk 'NF && $2 != "-" { print $2 }'; }

missing_packages() {
    # shellcheck disable=SC2046  # one word per package
    installed=$(dpkg-query -W -f='${Package} ${Status}\n' $(packages) 2>/dev/null |
                awk '$NF == "installed" { print $1 }' | sed 's/:.*//')
    for package in $(packages); do
        echo "$installed" | grep -qx -- "$package" || echo "$package"
    done
}

missing_commands() {
    for command in $(commands); do
        command -v "$command" >/dev/null 2>&1 || echo "$command"
    done
}

install_missing() {  # install_missing [sudo -n]: apt-get update + install $missing, quietly
    # shellcheck disable=SC2086  # one word per package
    "$@" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
        "$@" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends $missing >/dev/null
}

give_up() {  # give_up SENTENCE: say it; stop unless MISSING_OK=1
    if [ "${MISSING_OK:-}" = 1 ]; then
        echo "make test: $1; going on without them (MISSING_OK=1): tests that need them skip or fail." >&2
        exit 0
    fi
    echo "make test: $1 (or run \`make test MISSING_OK=1\` to test without them)." >&2
    exit 2
}

case "${1:---check}" in
--list)
    packages ;;
--missing)
    missing_packages ;;
--install)
    missing=$(missing_packages | tr '\n' ' ')
    if [ -n "$missing" ]; then
        install_missing
    fi ;;
--check)
    if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
        absent=$(missing_commands | tr '\n' ' ' | sed 's/ $//')
        [ -z "$absent" ] && exit 0
        give_up "this is not a Debian or Ubuntu system and these commands are missing: $absent; install the packages that provide them with your system's package manager (Debian names in installer/system-packages.txt), and the Qt libraries listed there"
    fi
    missing=$(missing_packages | tr '\n' ' ' | sed 's/ $//')
    [ -z "$missing" ] && exit 0
    if [ "$(id -u)" = 0 ]; then
        echo "make test: installing the missing system packages: $missing" >&2
        install_missing && exit 0
    elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
        echo "make test: installing the missing system packages with sudo: $missing" >&2
        install_missing sudo -n && exit 0
    fi
    give_up "the system packages $missing are missing; install them with \`sudo apt-get install -y --no-install-recommends $missing\`" ;;
*)
    echo "usage: $0 [--list | --missing | --install | --check]" >&2
    exit 64 ;;
esac
