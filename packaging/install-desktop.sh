#!/usr/bin/env bash
# Add Restorer to the Linux desktop for the current user: the application menu entry, "Open with
# Restorer" for photos (JPEG, PNG, TIFF, BMP, WebP), the icon, and the AppStream metadata.
# Nothing outside ~/.local/share (or $XDG_DATA_HOME) is touched; no root needed.
#
#   ./install-desktop.sh               install (or update)
#   ./install-desktop.sh --exec PATH   use PATH as the program to start (default: found automatically)
#   ./install-desktop.sh --uninstall   remove what an earlier install added
#
# Works from the unpacked bundle (where build.sh puts a copy next to restorer-gui) and from a source
# checkout (packaging/install-desktop.sh, with restorer-gui installed by pip in a venv).
set -euo pipefail

APP_ID=org.restorer.Restorer
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATA_HOME=${XDG_DATA_HOME:-$HOME/.local/share}
EXEC=""
ACTION=install
while [ $# -gt 0 ]; do
  case "$1" in
    --exec) EXEC=$2; shift 2 ;;
    --uninstall) ACTION=uninstall; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-desktop.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

APPS="$DATA_HOME/applications"
METAINFO="$DATA_HOME/metainfo"
ICONS="$DATA_HOME/icons/hicolor"

refresh_caches() {
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$APPS" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$ICONS/index.theme" ]; then
    gtk-update-icon-cache -q -f -t "$ICONS" || true
  fi
  touch "$ICONS" 2>/dev/null || true  # icon themes rescan a folder whose time changed
}

if [ "$ACTION" = uninstall ]; then
  rm -f "$APPS/$APP_ID.desktop" "$METAINFO/$APP_ID.metainfo.xml"
  rm -f "$ICONS"/*/apps/"$APP_ID".png "$ICONS/scalable/apps/$APP_ID.svg"
  refresh_caches
  echo "Restorer was removed from the desktop menu (the program files themselves were not touched)."
  exit 0
fi

# Where the desktop files are: the bundle's _internal/resources, or the checkout's resources/.
RESOURCES=""
for candidate in "$HERE/_internal/resources" "$HERE/resources" "$HERE/../resources"; do
  if [ -f "$candidate/linux/$APP_ID.desktop" ]; then
    RESOURCES=$(cd "$candidate" && pwd)
    break
  fi
done
if [ -z "$RESOURCES" ]; then
  echo "install-desktop.sh: cannot find resources/linux/$APP_ID.desktop next to this script" >&2
  exit 1
fi

# Which program the menu entry starts: an absolute path, so it works even when it is not on PATH.
if [ -z "$EXEC" ]; then
  if [ -x "$HERE/restorer-gui" ]; then
    EXEC="$HERE/restorer-gui"
  elif command -v restorer-gui >/dev/null 2>&1; then
    EXEC=$(command -v restorer-gui)
  elif [ -x "$HERE/../.venv/bin/restorer-gui" ]; then
    EXEC=$(cd "$HERE/../.venv/bin" && pwd)/restorer-gui
  else
    echo "install-desktop.sh: cannot find the restorer-gui program; pass it with --exec PATH" >&2
    exit 1
  fi
fi
case "$EXEC" in
  /*) ;;
  *) EXEC="$(cd "$(dirname "$EXEC")" && pwd)/$(basename "$EXEC")" ;;
esac
if [ ! -x "$EXEC" ]; then
  echo "install-desktop.sh: $EXEC is not an executable program" >&2
  exit 1
fi

# The Desktop Entry spec quotes an argument holding spaces or special characters with "..."
# (and escapes ", `, $ and \ inside it); sed's replacement additionally needs \, & and | escaped.
quoted=$EXEC
case "$EXEC" in
  *[[:space:]\"\'\`\$\\\<\>\~\|\&\;\*\?\#\(\)]*)
    quoted=$(printf '%s' "$EXEC" | sed -e 's/[\\"`$]/\\&/g')
    quoted="\"$quoted\"" ;;
esac
quoted=${quoted//%/%%}  # a literal % is written %% in Exec
sed_exec=$(printf '%s' "$quoted" | sed -e 's/[\\&|]/\\&/g')
sed_try=$(printf '%s' "$EXEC" | sed -e 's/[\\&|]/\\&/g')

mkdir -p "$APPS" "$METAINFO"
sed -e "s|^Exec=restorer-gui|Exec=$sed_exec|" -e "s|^TryExec=.*|TryExec=$sed_try|" \
  "$RESOURCES/linux/$APP_ID.desktop" > "$APPS/$APP_ID.desktop.tmp"
mv "$APPS/$APP_ID.desktop.tmp" "$APPS/$APP_ID.desktop"
chmod 644 "$APPS/$APP_ID.desktop"
cp "$RESOURCES/linux/$APP_ID.metainfo.xml" "$METAINFO/$APP_ID.metainfo.xml"

count=0
for png in "$RESOURCES"/icons/hicolor/*/apps/"$APP_ID".png; do
  size_dir=$(basename "$(dirname "$(dirname "$png")")")
  mkdir -p "$ICONS/$size_dir/apps"
  cp "$png" "$ICONS/$size_dir/apps/$APP_ID.png"
  count=$((count + 1))
done
if [ -f "$RESOURCES/icons/restorer.svg" ]; then
  mkdir -p "$ICONS/scalable/apps"
  cp "$RESOURCES/icons/restorer.svg" "$ICONS/scalable/apps/$APP_ID.svg"
fi

refresh_caches
echo "Restorer was added to the desktop menu:"
echo "  menu entry  $APPS/$APP_ID.desktop  (starts $EXEC)"
echo "  icons       $count sizes under $ICONS"
echo "  metadata    $METAINFO/$APP_ID.metainfo.xml"
echo "Right-click a photo and choose \"Open With\" > Restorer. To undo: $0 --uninstall"
