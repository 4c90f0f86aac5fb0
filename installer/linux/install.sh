#!/bin/sh
# Install Evidence Locker for this user only (no root, nothing outside your home folder):
#   ~/.local/lib/evidence-locker/          the program folder (a copy of this one)
#   ~/.local/bin/evidence-app              a link to start it from a terminal
#   ~/.local/share/applications/           the menu entry (evidence-app.desktop)
#   ~/.local/share/icons/hicolor/          its icon
# Run it from the unpacked folder:  ./install.sh          (or ./install.sh --uninstall)
# It never touches a vault: yours stays in ~/.local/share/evidence-app until you delete it.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
target=$HOME/.local/lib/evidence-locker
bin_dir=$HOME/.local/bin
apps_dir=$data_home/applications
icons_dir=$data_home/icons/hicolor
resources=_internal/evidence_app/resources

refresh_menus() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$apps_dir" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t "$icons_dir" 2>/dev/null || true
    fi
}

uninstall() {
    rm -rf "$target"
    rm -f "$bin_dir/evidence-app" "$apps_dir/evidence-app.desktop"
    find "$icons_dir" -name 'evidence-app.png' -path '*/apps/*' -exec rm -f {} + 2>/dev/null || true
    rm -f "$icons_dir/scalable/apps/evidence-app.svg"
    refresh_menus
    echo "Evidence Locker was removed. Your vault (if any) was left where it is."
}

if [ "${1:-}" = "--uninstall" ]; then
    uninstall
    exit 0
fi

if [ ! -x "$here/evidence-app" ] || [ ! -d "$here/$resources" ]; then
    echo "Please run install.sh from the unpacked Evidence Locker folder." >&2
    exit 1
fi

# The program: copied beside the old one, then swapped in, so a failed copy changes nothing.
mkdir -p "$(dirname "$target")" "$bin_dir" "$apps_dir"
rm -rf "$target.new"
mkdir "$target.new"
for entry in "$here"/* "$here"/.[!.]*; do
    [ -e "$entry" ] || continue
    case $(basename "$entry") in
        EvidenceLockerData|evidence-locker-portable.txt) continue ;;  # a stick's own data
    esac
    cp -R "$entry" "$target.new/"
done
rm -rf "$target.old"
if [ -d "$target" ]; then mv "$target" "$target.old"; fi
mv "$target.new" "$target"
rm -rf "$target.old"
ln -sf "$target/evidence-app" "$bin_dir/evidence-app"

# Menu entry with the full path, because ~/.local/bin is not always on a desktop's PATH.
sed -e "s|^Exec=.*|Exec=\"$target/evidence-app\"|" \
    -e "s|^TryExec=.*|TryExec=$target/evidence-app|" \
    "$target/$resources/evidence-app.desktop" > "$apps_dir/evidence-app.desktop"
chmod 644 "$apps_dir/evidence-app.desktop"

# Icons: every PNG size, and the SVG for desktops that scale.
for png in "$target/$resources"/icons/hicolor/*/apps/evidence-app.png; do
    size=$(basename "$(dirname "$(dirname "$png")")")
    mkdir -p "$icons_dir/$size/apps"
    cp "$png" "$icons_dir/$size/apps/evidence-app.png"
done
mkdir -p "$icons_dir/scalable/apps"
cp "$target/$resources/icons/evidence-app.svg" "$icons_dir/scalable/apps/evidence-app.svg"
refresh_menus

echo "Evidence Locker is installed. Start it from your applications menu,"
echo "or type: $bin_dir/evidence-app"
