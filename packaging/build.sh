#!/usr/bin/env bash
# Build the Restorer desktop bundle (PyInstaller, one folder) from the current virtual environment.
#
#   packaging/build.sh [--distpath DIR] [--workpath DIR] [--archive] [--clean]
#
#   --distpath DIR  where dist/Restorer/ goes (default: <repo>/dist)
#   --workpath DIR  PyInstaller's scratch folder (default: <repo>/build/pyinstaller); keeping it makes
#                   a rebuild after a small change much faster
#   --archive       also pack the folder as Restorer-<version>-<os>-<arch>.tar.gz beside it
#   --clean         empty the PyInstaller cache and the work folder first
#
# The Python used is $PYTHON, else the active virtual environment ($VIRTUAL_ENV), else <repo>/.venv.
# PyInstaller is installed into that environment when it is missing. The torch in that environment
# decides the bundle: a CPU torch gives a CPU bundle (CUDA libraries are left out), a CUDA torch
# gives a (much larger) GPU bundle. See docs/PACKAGING.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIST="$ROOT/dist"
WORK="$ROOT/build/pyinstaller"
ARCHIVE=0
CLEAN=()
while [ $# -gt 0 ]; do
  case "$1" in
    --distpath) DIST=$2; shift 2 ;;
    --workpath) WORK=$2; shift 2 ;;
    --archive) ARCHIVE=1; shift ;;
    --clean) CLEAN=(--clean); shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ -z "${PYTHON:-}" ]; then
  if [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then
    PYTHON="$VIRTUAL_ENV/bin/python"
  elif [ -x "$ROOT/.venv/bin/python" ]; then
    PYTHON="$ROOT/.venv/bin/python"
  elif [ -x "$ROOT/.venv/Scripts/python.exe" ]; then  # Git Bash on Windows
    PYTHON="$ROOT/.venv/Scripts/python.exe"
  else
    echo "build.sh: no virtual environment found: create one (python3 -m venv .venv && .venv/bin/pip install -e .)" \
         "or set PYTHON=/path/to/python" >&2
    exit 2
  fi
fi

if ! "$PYTHON" -c "import restorer, torch, PySide6" 2>/dev/null; then
  echo "build.sh: $PYTHON cannot import restorer, torch and PySide6; install the app first: pip install -e ." >&2
  exit 2
fi
if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
  echo "build.sh: installing PyInstaller into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
  "$PYTHON" -m pip install --quiet "pyinstaller>=6.10"
fi

VERSION=$("$PYTHON" -c "import restorer; print(restorer.__version__)")
echo "build.sh: Restorer $VERSION with $("$PYTHON" -c 'import PyInstaller, torch; print(f"PyInstaller {PyInstaller.__version__}, torch {torch.__version__}")')"
START=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --log-level "${PYI_LOG_LEVEL:-WARN}" "${CLEAN[@]}" \
  --distpath "$DIST" --workpath "$WORK" "$ROOT/packaging/restorer.spec"

OUT="$DIST/Restorer"
if [ -d "$OUT" ]; then
  # What a person who unpacked the folder needs beside the programs.
  cp "$ROOT/packaging/install-desktop.sh" "$OUT/install-desktop.sh"
  chmod +x "$OUT/install-desktop.sh"
fi
ELAPSED=$(( $(date +%s) - START ))

# A quick check that the frozen CLI starts at all.
if [ -x "$OUT/restorer" ]; then
  "$OUT/restorer" --version
elif [ -x "$OUT/restorer.exe" ]; then
  "$OUT/restorer.exe" --version
fi

if [ "$ARCHIVE" = 1 ]; then
  PLATFORM=$("$PYTHON" -c "import platform, sys; print(f'{sys.platform}-{platform.machine().lower()}')")
  TARBALL="$DIST/Restorer-$VERSION-$PLATFORM.tar.gz"
  tar -C "$DIST" -czf "$TARBALL" Restorer
  echo "build.sh: archive $TARBALL ($(du -sh "$TARBALL" | cut -f1))"
fi

echo "build.sh: built in ${ELAPSED}s"
echo "build.sh: output folder $OUT"
echo "build.sh: size $(du -sh "$OUT" | cut -f1) ($(du -sm "$OUT" | cut -f1) MiB)"
