/**
 * Whether the TensorFlow engine (tfjs-node built by .ci/setup-tensorflow.sh) can run here, for the tests that need
 * it. Not a test file. Without it the tests say why and pass, except under SIMCLR_REQUIRE_TENSORFLOW=1 (CI),
 * where a missing engine fails them.
 */
import * as assert from 'uvu/assert';
import { loadNativeTensorflow, NativeLoadResult } from '../../lib/backend/tensorflow';

export const TENSORFLOW_REQUIRED = process.env.SIMCLR_REQUIRE_TENSORFLOW === '1';

/** The TensorFlow version the setup script builds against (SIMCLR_TENSORFLOW_VERSION overrides it there too). */
export const EXPECTED_TENSORFLOW_VERSION = process.env.SIMCLR_TENSORFLOW_VERSION || '2.21.0';

let cached: NativeLoadResult | undefined;

/** Loads tfjs-node once (the active backend is left as it was); true when it runs, else logs or fails as above. */
export function tensorflowOrSkip(what: string): boolean {
  cached ??= loadNativeTensorflow();
  if (cached.ok) return true;
  if (TENSORFLOW_REQUIRED) assert.unreachable(`SIMCLR_REQUIRE_TENSORFLOW=1 but the TensorFlow engine is unavailable: ${cached.reason}`);
  console.log(`  (skipped ${what}: ${cached.reason}; run bash .ci/setup-tensorflow.sh)`);
  return false;
}
