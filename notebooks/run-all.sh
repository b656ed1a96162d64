#!/usr/bin/env bash
# Execute every workbook notebook top to bottom with Jupyter's own tools (nbconvert → nbclient → tslab kernel),
# writing executed notebooks and HTML exports to $SIMCLR_WORKBOOK_OUT (default out/workbook).
# Stops at the first failing cell, printing that cell's error. Usage: bash notebooks/run-all.sh [notebook ...]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${SIMCLR_WORKBOOK_OUT:-out/workbook}"
TIMEOUT="${SIMCLR_CELL_TIMEOUT:-1800}"
mkdir -p "$OUT"
export PATH="$PWD/node_modules/.bin:$PATH"
# The workbook kernel's spec, committed in this checkout (it runs notebooks/kernel/bin/tslab-kernel by a path relative
# to itself): first on JUPYTER_PATH, so this checkout's kernel runs whatever else is registered on the machine.
export JUPYTER_PATH="$PWD/notebooks/kernel/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export PYDEVD_DISABLE_FILE_VALIDATION=1        # silences debugpy's "frozen modules" warning in the logs
export SIMCLR_SCALE="${SIMCLR_SCALE:-cpu}"      # cpu (default) or gpu: read by every notebook through workbookScale()

if [ "$#" -gt 0 ]; then notebooks=("$@"); else notebooks=(notebooks/[0-9]*.ipynb); fi
total_start=$(date +%s)
for nb in "${notebooks[@]}"; do
  name="$(basename "$nb" .ipynb)"
  start=$(date +%s)
  echo "▶ $name (scale: $SIMCLR_SCALE)"
  log="$OUT/$name.log"
  status=0
  /usr/bin/python3 -m jupyter nbconvert --to notebook --execute \
    --ExecutePreprocessor.kernel_name=tslab --ExecutePreprocessor.timeout="$TIMEOUT" \
    --output-dir "$OUT" --output "$name" "$nb" >"$log" 2>&1 || status=$?
  grep -v -e 'frozen modules' -e 'PYDEVD' -e 'Debugger warning' -e 'make the debugger' -e 'to python to disable' "$log" || true
  if [ "$status" != 0 ]; then echo "✗ $name failed (the failing cell's error is above)" >&2; exit 1; fi
  /usr/bin/python3 -m jupyter nbconvert --to html --output-dir "$OUT" "$OUT/$name.ipynb" >/dev/null 2>&1
  echo "✓ $name: $(( $(date +%s) - start )) s → $OUT/$name.ipynb, $OUT/$name.html"
done
echo "workbook done in $(( $(date +%s) - total_start )) s"
