#!/usr/bin/env bash
# Build the native addon (addon.cc and one source per op family: conv.cc, elementwise.cc, batch_norm.cc, pooling.cc,
# optimizer.cc, softmax_regression.cc) into lib/native/build/dnnl_conv.node (the name .ci/setup.sh and lib/kernels/native.ts expect).
# Needs g++, Node's headers (node_api.h) and Debian's libdnnl-dev (oneDNN 2.x). Skipped when the addon is newer
# than every source. With --optional, a failed build prints why and exits 0: the library then uses its wasm kernels.
set -uo pipefail
cd "$(dirname "$0")"
optional=0
[ "${1:-}" = "--optional" ] && optional=1
fail() {
  echo "native: not built: $1" >&2
  echo "native: training falls back to the wasm kernels (slower); install g++ and libdnnl-dev, then run: bash lib/native/build.sh" >&2
  [ "$optional" = 1 ] && exit 0
  exit 1
}
out=build/dnnl_conv.node
sources=(addon.cc conv.cc elementwise.cc batch_norm.cc pooling.cc optimizer.cc softmax_regression.cc)
fresh=1
for f in "${sources[@]}" addon.h build.sh; do [ -f "$out" ] && [ "$out" -nt "$f" ] || fresh=0; done
[ "$fresh" = 1 ] && exit 0
command -v "${CXX:-g++}" >/dev/null 2>&1 || fail "no C++ compiler (${CXX:-g++})"
node_include=$(node -p "require('path').resolve(process.execPath, '../../include/node')")
[ -f "$node_include/node_api.h" ] || node_include="$(npm config get nodedir 2>/dev/null)/include/node"
[ -f "$node_include/node_api.h" ] || fail "Node's headers (node_api.h) not found next to $(command -v node) or in npm's nodedir"
[ -f /usr/include/oneapi/dnnl/dnnl.hpp ] || [ -n "${DNNL_INCLUDE:-}" ] || fail "oneDNN headers not found (Debian: apt-get install libdnnl-dev)"
mkdir -p build
tmp=build/dnnl_conv.tmp.node
extra_include=${DNNL_INCLUDE:+-I$DNNL_INCLUDE}
extra_lib=${DNNL_LIB:+-L$DNNL_LIB}
# -ffp-contract=off: no fused multiply-adds, so element-wise results equal tfjs's op-by-op float32 ones.
if ! "${CXX:-g++}" -std=c++17 -O3 -ffp-contract=off -fPIC -shared -fopenmp -DNODE_GYP_MODULE_NAME=dnnl_conv -I"$node_include" $extra_include \
    "${sources[@]}" $extra_lib -ldnnl -o "$tmp" 2>build/compile.log; then
  tail -20 build/compile.log >&2
  rm -f "$tmp"
  fail "compilation failed (log: lib/native/build/compile.log)"
fi
if ! node -e "require(process.argv[1])" "$PWD/$tmp" 2>build/load.log; then
  cat build/load.log >&2
  rm -f "$tmp"
  fail "the built addon does not load"
fi
mv "$tmp" "$out"
echo "native: built lib/native/build/dnnl_conv.node ($(node -p "JSON.stringify(require(process.argv[1]).info())" "$PWD/$out"))"
