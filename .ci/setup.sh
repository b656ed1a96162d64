#!/usr/bin/env bash
# Idempotent setup for a fresh machine: Debian packages, npm packages, the built library, JupyterLab and the tslab kernel.
# Each step is skipped when already done, so `npm test` and `npm run workbook` can call it every time.
# SIMCLR_SKIP_APT=1 skips the Debian packages (install them yourself; see README "Requirements").
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=0
for pkg in dataset-fashion-mnist python3-torch python3-venv g++ libdnnl-dev jupyter-nbconvert python3-nbclient python3-jupyter-kernel-test chromium mesa-vulkan-drivers; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt=1
done
# lavapipe must come from bookworm-backports (Mesa >= 24): Debian 12's Mesa 22 gives Dawn no adapter.
if dpkg -s mesa-vulkan-drivers >/dev/null 2>&1; then
  case "$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)" in 22.*|23.*) need_apt=1 ;; esac
fi
if [ "$need_apt" = 1 ]; then
  if [ "${SIMCLR_SKIP_APT:-0}" = 1 ]; then
    echo "setup: SIMCLR_SKIP_APT=1, not installing Debian packages (some tests will skip or fail)" >&2
  elif command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1; }; then
    echo "setup: installing Debian packages (apt)…"
    bash .ci/install-system.sh
  else
    echo "setup: cannot install Debian packages here (no apt-get or no root/sudo); see README Requirements" >&2
  fi
fi

# npm packages (and the `prepare` build of lib/) when node_modules is missing or older than the lockfile.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci…"
  npm ci --no-audit --no-fund
fi
# The oneDNN convolution addon (lib/native): all cores for convolutions on wasm. Optional: without it (no g++ or
# libdnnl-dev) the library runs its single-threaded wasm kernels. Skipped when already built.
bash lib/native/build.sh --optional
# The TensorFlow engine: @tensorflow/tfjs-node built against the tensorflow-cpu wheel's C library (npm ci removes it;
# this puts it back from .tensorflow/ in seconds). Optional: without pip's wheel or a compiler the library runs as above.
bash .ci/setup-tensorflow.sh --optional
# The compiled library (lib/dist) is what notebooks and scripts import as 'simclr-workbench'.
if [ ! -f lib/dist/index.js ] || [ -n "$(find lib -name '*.ts' -not -path 'lib/dist/*' -newer lib/dist/index.js -print -quit)" ]; then
  npm run --silent build
fi
# npm links workspace bins before `prepare` builds lib/dist, so on a fresh clone `simclr` is not linked yet.
if [ ! -e node_modules/.bin/simclr ]; then
  npm rebuild simclr-workbench --ignore-scripts >/dev/null
fi

# JupyterLab + jupyterlab-plotly in .venv and the TypeScript (tslab) kernel registered for it (see the script). Without
# it the workbook still runs headless (npm run workbook uses Debian's nbconvert and the committed kernel spec).
if ! bash .ci/setup-jupyterlab.sh; then
  echo "setup: JupyterLab could not be installed into .venv (see above); \`npm run lab\` will not work" >&2
  if [ "${SIMCLR_REQUIRE_JUPYTERLAB:-0}" = 1 ]; then exit 1; fi
fi
