#!/usr/bin/env bash
# JupyterLab for the workbook: JupyterLab 4 and plotly's JupyterLab extension (jupyterlab-plotly, shipped inside the
# `plotly` Python package) in the project's virtual environment (.venv, see .ci/python-env.sh), and the workbook's
# kernel registered for it. Idempotent and quick when done; called by .ci/setup.sh. `npm run lab` opens the workbook.
#
# The kernel spec is notebooks/kernel/jupyter/kernels/tslab/kernel.json, committed: its command is
# `{resource_dir}/../../../bin/tslab-kernel`, a path relative to the spec itself, so it has no absolute path in it.
# Registering it writes the same spec into the venv (.venv/share/jupyter/kernels/tslab) with the command relative to
# that folder: the checkout can be moved or cloned with its .venv and the kernel still starts. Earlier setups registered `tslab` and `jslab` with this
# checkout's absolute path in the user's or the system's Jupyter folders, which shadow the venv's: those are removed.
set -euo pipefail
cd "$(dirname "$0")/.."
JUPYTERLAB_VERSION=4.6.4   # the version the JupyterLab browser test (tests/jupyterlab) runs against
PLOTLY_VERSION=7.1.0       # its jupyterlab-plotly renders application/vnd.plotly.v1+json, also in untrusted notebooks
source .ci/python-env.sh
simclr_venv
PY="$SIMCLR_VENV/bin/python"

installed() { "$PY" -c "import importlib.metadata as m, sys; sys.exit(0 if m.version('$1') == '$2' else 1)" 2>/dev/null; }
if ! installed jupyterlab "$JUPYTERLAB_VERSION" || ! installed plotly "$PLOTLY_VERSION"; then
  echo "setup: installing JupyterLab $JUPYTERLAB_VERSION and plotly $PLOTLY_VERSION (jupyterlab-plotly) into $SIMCLR_VENV…"
  simclr_pip install --quiet "jupyterlab==$JUPYTERLAB_VERSION" "plotly==$PLOTLY_VERSION"
fi

# Register the kernel: the committed spec, its command re-pointed relative to the venv's copy of it (a plain folder, no
# symlink, so the relative path means the same to every tool); stale registrations of this project's wrapper elsewhere
# are removed.
"$PY" - "$PWD/notebooks/kernel/jupyter/kernels/tslab" "$PWD/notebooks/kernel/bin/tslab-kernel" <<'PYTHON'
import json, os, shutil, sys
from jupyter_core.paths import jupyter_path
spec_dir, wrapper_path = sys.argv[1], sys.argv[2]
kernels = os.path.join(sys.prefix, 'share', 'jupyter', 'kernels')
target = os.path.join(kernels, 'tslab')
spec = json.load(open(os.path.join(spec_dir, 'kernel.json')))
spec['argv'][0] = '{resource_dir}/' + os.path.relpath(wrapper_path, target)
try:
    current = json.load(open(os.path.join(target, 'kernel.json')))
except (OSError, ValueError):
    current = None
if current != spec or os.path.islink(target):
    if os.path.islink(target) or os.path.isfile(target):
        os.remove(target)
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, 'kernel.json'), 'w') as out:
        json.dump(spec, out, indent=1)
        out.write('\n')
    print(f"setup: registered the {spec['display_name']} kernel for {sys.prefix} (runs {spec['argv'][0]})")
# Old registrations (tslab install --binary=<absolute path>/notebooks/kernel/bin/tslab-kernel): tslab and jslab in the
# user's or the system's folders. They would shadow the venv's spec (user folder first) or add a stray JavaScript kernel.
wrapper = os.path.join('notebooks', 'kernel', 'bin', 'tslab-kernel')
for folder in jupyter_path('kernels'):
    if os.path.realpath(folder) == os.path.realpath(kernels):
        continue
    for name in ('tslab', 'jslab'):
        spec_file = os.path.join(folder, name, 'kernel.json')
        try:
            argv = json.load(open(spec_file)).get('argv', [])
        except (OSError, ValueError):
            continue
        if argv and str(argv[0]).endswith(wrapper):
            try:
                shutil.rmtree(os.path.join(folder, name))
                print(f'setup: removed the old kernel registration {os.path.join(folder, name)} (runs {argv[0]})')
            except OSError as error:
                print(f'setup: the old kernel registration {os.path.join(folder, name)} shadows the workbook kernel and could not be removed: {error}', file=sys.stderr)
PYTHON
