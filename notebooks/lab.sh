#!/usr/bin/env bash
# Opens the workbook in JupyterLab (installed by .ci/setup-jupyterlab.sh into the project's .venv), with the
# TypeScript (tslab) kernel. `npm run lab` runs setup first; extra arguments go to JupyterLab
# (e.g. `npm run lab -- --no-browser --port 8890`).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${SIMCLR_VENV:-$PWD/.venv}"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import jupyterlab' 2>/dev/null; then
  echo "JupyterLab is not installed in $VENV: run \`npm run setup\` (or bash .ci/setup-jupyterlab.sh)" >&2
  exit 1
fi
export PATH="$VENV/bin:$PWD/node_modules/.bin:$PATH"   # the kernel is a Node script (#!/usr/bin/env node)
export PYDEVD_DISABLE_FILE_VALIDATION=1
# `python -m jupyterlab`, not .venv/bin/jupyter-lab: the venv's scripts hold its absolute path, the module does not.
exec "$VENV/bin/python" -m jupyterlab --notebook-dir="$PWD/notebooks" "$@"
