#!/usr/bin/env bash
# The TensorFlow engine: @tensorflow/tfjs-node(-gpu) 4.22.0 built from source against the C library inside a current
# TensorFlow wheel, instead of the libtensorflow 2.9.1 its own installer downloads from Google's storage (unreachable
# from our machines; CUDA 11.2 / cuDNN 8.1 only).
#
#   bash .ci/setup-tensorflow.sh [--optional] [--gpu] [--force]
#
#   (default)   CPU: `tensorflow-cpu` wheel → @tensorflow/tfjs-node (verified on Debian 12 x86_64).
#   --gpu       GPU: `tensorflow` wheel (Linux x86_64, CUDA 12) → @tensorflow/tfjs-node-gpu. UNVERIFIED: no GPU
#               machine could be used to test it (see README "The TensorFlow engine").
#   --optional  a step that cannot be done (no wheel, no compiler) prints why and exits 0: the library then runs
#               on wasm + oneDNN as without this script. Ignored under SIMCLR_REQUIRE_TENSORFLOW=1 (CI).
#   --force     rebuild even when the cached build looks current.
#   env SIMCLR_TENSORFLOW_VERSION (default 2.21.0) picks the wheel's version.
#
# Steps, each skipped when done:
#   1. the wheel, downloaded with pip (.ci/python-env.sh: the project venv; pip's configured file:// indexes only,
#      when the public index is unreachable) into a temporary folder;
#   2. libtensorflow_cc.so.2 + libtensorflow_framework.so.2 taken from it, stripped, into .tensorflow/<flavor>-<version>/lib
#      (gitignored; ~630 MB), the wheel and C headers deleted once the binding is built;
#   3. the npm package put into node_modules with `npm install --no-save --ignore-scripts` (its install script
#      would download); `npm ci` removes it again, which is why setup.sh calls this script after every npm ci;
#   4. its binding compiled (node-pre-gyp --build-from-source, npm's own node-gyp, Node's headers; ~15 s) once, kept
#      next to the libraries, and copied into the package after each reinstall; the package's deps/ is a link to
#      .tensorflow/<flavor>-<version>;
#   5. checked: `require` of the package must load and report the TensorFlow version.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

optional=0 gpu=0 force=0
for arg in "$@"; do
  case "$arg" in
    --optional) optional=1 ;;
    --gpu) gpu=1 ;;
    --force) force=1 ;;
    *) echo "usage: bash .ci/setup-tensorflow.sh [--optional] [--gpu] [--force]" >&2; exit 2 ;;
  esac
done

# CI (.ci/run) requires the engine: there a failure stops setup instead of being reported and passed over.
[ "${SIMCLR_REQUIRE_TENSORFLOW:-0}" = 1 ] && optional=0
tf_version=${SIMCLR_TENSORFLOW_VERSION:-2.21.0}
tfjs_version=4.22.0
if [ "$gpu" = 1 ]; then
  flavor=gpu wheel_name=tensorflow package=@tensorflow/tfjs-node-gpu
else
  flavor=cpu wheel_name=tensorflow-cpu package=@tensorflow/tfjs-node
fi
cache=.tensorflow/$flavor-$tf_version            # libraries (lib/) and the built binding, kept across npm ci
pkg_dir=node_modules/$package
binding_rel=lib/napi-v8/tfjs_binding.node          # where tfjs-node looks for it (N-API 8 on Node >= 16)
cached_binding=$cache/tfjs_binding-$tfjs_version.node

fail() {
  echo "tensorflow: not set up: $1" >&2
  echo "tensorflow: $package is not built; without a TensorFlow build the library runs on wasm + oneDNN (README \"The TensorFlow engine\")" >&2
  [ "$optional" = 1 ] && exit 0
  exit 1
}

# The check used both to skip the work and to confirm it: load the package and print TensorFlow's version.
loads() {
  TF_CPP_MIN_LOG_LEVEL=2 node -e "
    const tf = require('$package');
    const version = tf.backend().binding.TF_Version;
    if (!version) process.exit(3);
    console.log(version);" 2>"$root/.tensorflow/load.log"
}

mkdir -p .tensorflow
if [ "$force" = 0 ] && [ -f "$pkg_dir/$binding_rel" ] && [ -f "$cache/lib/libtensorflow_cc.so.2" ] && version=$(loads); then
  exit 0
fi
[ -f node_modules/@tensorflow/tfjs-core/package.json ] || fail "node_modules is missing: run npm ci (or bash .ci/setup.sh) first"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) fail "only Linux x86_64 is supported by this script (found $(uname -s)-$(uname -m))" ;;
esac

# 1-2. The TensorFlow C library, once per flavor and version.
if [ "$force" = 1 ] || [ ! -f "$cache/lib/libtensorflow_cc.so.2" ] || [ ! -f "$cached_binding" ]; then
  tmp=$(mktemp -d "$root/.tensorflow/build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  # shellcheck source=python-env.sh
  source .ci/python-env.sh
  echo "tensorflow: downloading the $wheel_name $tf_version wheel with pip…"
  if ! simclr_pip download --no-deps --only-binary=:all: -d "$tmp/wheel" "$wheel_name==$tf_version" >"$tmp/pip.log" 2>&1; then
    tail -5 "$tmp/pip.log" >&2
    fail "pip could not download $wheel_name==$tf_version (no index offers it for this Python and platform)"
  fi
  wheel=$(ls "$tmp"/wheel/*.whl 2>/dev/null | head -n1)
  [ -n "$wheel" ] || fail "pip reported success but left no wheel"
  echo "tensorflow: extracting the C library and headers from $(basename "$wheel")…"
  # The C API headers plus the few they include (tf_tstring.h → ctstring.h, tf_status.h → xla/tsl/c/tsl_status.h).
  if ! "$SIMCLR_VENV/bin/python" - "$wheel" "$tmp/deps" <<'EXTRACT'; then
import os, shutil, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
libs = {'tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'}
header_dirs = ('tensorflow/include/tensorflow/c/', 'tensorflow/include/xla/tsl/c/')
header_files = ('ctstring.h', 'ctstring_internal.h')
found = set()
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name in libs:
            target = os.path.join(out, 'lib', os.path.basename(name)); found.add(name)
        elif name.endswith('.h') and (name.startswith(header_dirs) or (name.startswith('tensorflow/include/') and os.path.basename(name) in header_files)):
            target = os.path.join(out, 'include', name[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(name) as src, open(target, 'wb') as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
missing = libs - found
if missing:
    sys.exit(f'the wheel has no {", ".join(sorted(missing))}')
EXTRACT
    fail "could not extract the C library from $(basename "$wheel")"
  fi
  rm -rf "$tmp/wheel"
  # The binding links -ltensorflow -ltensorflow_framework; libtensorflow_cc.so.2 exports the whole C API.
  ln -s libtensorflow_cc.so.2 "$tmp/deps/lib/libtensorflow.so"
  ln -s libtensorflow_cc.so.2 "$tmp/deps/lib/libtensorflow.so.2"
  ln -s libtensorflow_framework.so.2 "$tmp/deps/lib/libtensorflow_framework.so"
  if command -v strip >/dev/null 2>&1; then
    strip --strip-unneeded "$tmp/deps/lib/libtensorflow_cc.so.2" "$tmp/deps/lib/libtensorflow_framework.so.2" \
      || echo "tensorflow: strip failed; keeping the unstripped libraries" >&2
  fi
  rm -rf "$cache"   # only now: a failed download or extraction leaves a working build in place
  mkdir -p "$cache"
  mv "$tmp/deps/lib" "$cache/lib"
  mv "$tmp/deps/include" "$cache/include"   # removed again once the binding is built
fi

# 3. The npm package (its install script would download libtensorflow 2.9.1: never run it).
if [ ! -f "$pkg_dir/package.json" ] || [ "$(node -p "require('./$pkg_dir/package.json').version")" != "$tfjs_version" ]; then
  echo "tensorflow: installing $package@$tfjs_version into node_modules (npm install --no-save --ignore-scripts)…"
  npm install --no-save --ignore-scripts --no-audit --no-fund "$package@$tfjs_version" >"$root/.tensorflow/npm.log" 2>&1 \
    || { tail -5 "$root/.tensorflow/npm.log" >&2; fail "npm install $package@$tfjs_version failed (log: .tensorflow/npm.log)"; }
fi
# npm install --no-save re-adds the optional @tensorflow/tfjs-node-gpu that npm ci dropped (its download failed),
# now without a binding; a package that cannot load must not shadow the one built here.
for other in @tensorflow/tfjs-node @tensorflow/tfjs-node-gpu; do
  if [ "$other" != "$package" ] && [ -d "node_modules/$other" ] && [ ! -e "node_modules/$other/$binding_rel" ]; then
    rm -rf "node_modules/$other"
  fi
done
rm -rf "$pkg_dir/deps"
ln -s "$(realpath --relative-to="$pkg_dir" "$cache")" "$pkg_dir/deps"

# 4. The binding, compiled once per flavor/version and copied back after each npm ci.
if [ ! -f "$cached_binding" ]; then
  command -v "${CXX:-g++}" >/dev/null 2>&1 || fail "no C++ compiler (${CXX:-g++}); Debian: apt-get install g++"
  command -v make >/dev/null 2>&1 || fail "no make"
  nodedir=$(node -p "require('path').resolve(process.execPath, '../..')")
  [ -f "$nodedir/include/node/node_api.h" ] || nodedir=$(npm config get nodedir 2>/dev/null)
  [ -f "$nodedir/include/node/node_api.h" ] || fail "Node's headers (include/node/node_api.h) not found next to $(command -v node) or in npm's nodedir"
  node_gyp=$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js   # npm's own
  [ -f "$node_gyp" ] || node_gyp=$(command -v node-gyp || true)
  pre_gyp=$(node -p "require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp', {paths: ['$root/$pkg_dir']})" 2>/dev/null) \
    || fail "@mapbox/node-pre-gyp (a dependency of $package) is not installed"
  [ -n "$node_gyp" ] && [ -f "$node_gyp" ] || fail "node-gyp not found (npm's bundled copy or on PATH)"
  echo "tensorflow: compiling the binding (node-pre-gyp --build-from-source)…"
  if ! (cd "$pkg_dir" && npm_config_node_gyp="$node_gyp" node "$pre_gyp" \
        install --build-from-source --nodedir="$nodedir" >"$root/.tensorflow/build.log" 2>&1); then
    tail -20 "$root/.tensorflow/build.log" >&2
    fail "the binding did not compile (log: .tensorflow/build.log)"
  fi
  [ -f "$pkg_dir/$binding_rel" ] || fail "node-pre-gyp finished but $pkg_dir/$binding_rel is missing (log: .tensorflow/build.log)"
  cp "$pkg_dir/$binding_rel" "$cached_binding"
  rm -rf "$pkg_dir"/build "$pkg_dir"/build-tmp-napi-v* "$cache/include"
else
  mkdir -p "$pkg_dir/$(dirname "$binding_rel")"
  cp "$cached_binding" "$pkg_dir/$binding_rel"
fi

# 5. It must load.
if ! version=$(loads); then
  tail -5 .tensorflow/load.log >&2
  fail "$package does not load (log: .tensorflow/load.log)"
fi
echo "tensorflow: $package $tfjs_version runs on TensorFlow $version ($flavor build; $(du -sh "$cache" | cut -f1) in $cache)"
