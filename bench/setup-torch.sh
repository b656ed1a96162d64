#!/usr/bin/env bash
# PyTorch 2.x (CPU) for the benchmark's reference, in the project venv (.venv), with pip's configured indexes
# (only the file:// ones when the public index is unreachable; see .ci/python-env.sh). Not part of CI: the test
# suite's golden fixtures come from Debian's python3-torch 1.13. bench/reference.ts prefers this venv when it has torch.
#   bash bench/setup-torch.sh            # torch 2.13 (SIMCLR_TORCH_VERSION overrides), CPU build, plus numpy
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/python-env.sh
version=${SIMCLR_TORCH_VERSION:-2.13.0}
if "$SIMCLR_VENV/bin/python" -c "import sys, torch; sys.exit(0 if torch.__version__.startswith('$version') else 1)" 2>/dev/null; then
  echo "bench: torch $version already in $SIMCLR_VENV"
  exit 0
fi
echo "bench: installing torch $version (CPU) and numpy into $SIMCLR_VENV…"
# The CPU-only wheel is torch==X+cpu on PyTorch's own index; a plain X from PyPI pulls CUDA packages.
simclr_pip install "torch==$version" numpy
"$SIMCLR_VENV/bin/python" -c "import torch; print('bench: torch', torch.__version__, 'threads', torch.get_num_threads())"
