#!/usr/bin/env bash
# The project's Python virtual environment (.venv) and a pip that never stalls on an unreachable index.
# Source it, then:
#   simclr_venv            create .venv (Debian's /usr/bin/python3 when present, else python3 on PATH) if missing
#   simclr_pip ARGS...     run .venv's pip with ARGS and the index options below (install, download, ...)
# Index choice: pip's own configuration when the public index (or a configured index-url) answers. When it does
# not, and pip's configuration lists file:// indexes (an offline mirror, as on our build machines), those become
# the only indexes, so pip does not retry the unreachable one for minutes. No machine path is written here: the
# file:// indexes are read from `pip config list`.

SIMCLR_VENV="${SIMCLR_VENV:-$PWD/.venv}"

simclr_venv() {
  if [ -x "$SIMCLR_VENV/bin/python" ]; then return 0; fi
  local py=/usr/bin/python3
  [ -x "$py" ] || py="$(command -v python3)"
  echo "setup: creating the Python environment $SIMCLR_VENV ($("$py" --version 2>&1))…" >&2
  "$py" -m venv "$SIMCLR_VENV"
}

# Prints the pip index options, one per line (nothing when pip's configuration should be used as it is).
simclr_pip_index_args() {
  local config
  config="$("$SIMCLR_VENV/bin/python" -m pip config list 2>/dev/null || true)"
  local index_url
  index_url="$(printf '%s\n' "$config" | sed -n "s/^[a-z:]*\.index-url='\(.*\)'$/\1/p" | head -n1)"
  local probe="${index_url:-https://pypi.org/simple/}"
  case "$probe" in file://*) return 0 ;; esac
  if "$SIMCLR_VENV/bin/python" - "$probe" <<'PROBE' 2>/dev/null; then return 0; fi
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=8).close()
PROBE
  # Unreachable: keep only the file:// indexes pip is configured with.
  local urls
  urls="$(printf '%s\n' "$config" | sed -n "s/^[a-z:]*\.\(extra-\)\{0,1\}index-url='\(.*\)'$/\2/p" | tr ' ' '\n' | grep '^file://' | awk '!seen[$0]++' || true)"
  if [ -z "$urls" ]; then
    echo "setup: $probe is unreachable and pip has no file:// index configured; pip will try anyway" >&2
    return 0
  fi
  local first=1 url
  while IFS= read -r url; do
    if [ "$first" = 1 ]; then printf -- '--index-url\n%s\n' "$url"; first=0; else printf -- '--extra-index-url\n%s\n' "$url"; fi
  done <<<"$urls"
}

simclr_pip() {
  simclr_venv
  if [ -z "${SIMCLR_PIP_INDEX_ARGS+set}" ]; then
    SIMCLR_PIP_INDEX_ARGS="$(simclr_pip_index_args)"
    export SIMCLR_PIP_INDEX_ARGS
  fi
  local -a index_args=()
  if [ -n "$SIMCLR_PIP_INDEX_ARGS" ]; then mapfile -t index_args <<<"$SIMCLR_PIP_INDEX_ARGS"; fi
  local command="$1"; shift
  "$SIMCLR_VENV/bin/python" -m pip "$command" --disable-pip-version-check "${index_args[@]}" "$@"
}
