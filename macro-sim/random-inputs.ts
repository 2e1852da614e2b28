/**
 * MODEL §2's seeded random inputs, used by `imc-sim run` without `--inputs`, by sweeps and by the
 * calibration runs, so every simulated workload draws from one documented generator.
 */
import { ConfigError } from '../errors.js';
import { RNG_NAME, Xoshiro128ss } from './rng.js';

/** Seed used when none is given. */
export const DEFAULT_INPUT_SEED = 1;
/** The generator {@link randomInputs} uses, for reports. */
export const RANDOM_INPUTS_GENERATOR = RNG_NAME;

/** Throw ConfigError `BAD_ZERO_FRACTION` unless `zeroFraction` is in [0, 1]. */
export function checkZeroFraction(zeroFraction: number): void {
  if (!(typeof zeroFraction === 'number' && zeroFraction >= 0 && zeroFraction <= 1)) {
    throw new ConfigError('BAD_ZERO_FRACTION', `the zero fraction of random inputs must be in [0, 1]; got ${zeroFraction}`);
  }
}

/** Throw ConfigError `BAD_SEED` unless `seed` is an integer in [0, 2^64) (a number: a safe integer). */
export function checkSeed(seed: number | bigint): void {
  if (typeof seed === 'number' ? !Number.isSafeInteger(seed) || seed < 0 : typeof seed !== 'bigint' || seed < 0n || seed >= 1n << 64n) {
    throw new ConfigError('BAD_SEED', `the seed must be an integer from 0 to 2^64 - 1; got ${seed}`);
  }
}

/**
 * Seeded pseudo-random unsigned inputs `[batch, K]` (row-major: `x[b*K + k]`), MODEL §2.
 *
 * Exactly `z = rhe(zeroFraction · batch·K)` entries are zero, placed by Knuth's selection sampling
 * (TAOCP vol. 2, §3.4.2, Algorithm S): at flat position `i` with `z'` zeros still to place, the entry is
 * zero iff `nextBelow(batch·K - i) < z'` — every `z`-subset equally likely, one pass. Every other entry
 * is uniform in `[1, Qx]`, `Qx = 2^bits - 1`, as `1 + nextBelow(Qx)` drawn right after its position's
 * selection draw. Generator: {@link RANDOM_INPUTS_GENERATOR} seeded with `seed`; identical on every
 * platform.
 * @example randomInputs(2, 4, 4, 0.5, 1) // 8 values in [0, 15], exactly 4 of them zero
 */
export function randomInputs(
  batch: number,
  K: number,
  bits: number,
  zeroFraction = 0.5,
  seed: number | bigint = DEFAULT_INPUT_SEED,
): Int32Array {
  if (!Number.isInteger(bits) || bits < 1 || bits > 16) {
    throw new ConfigError('BAD_INPUT_BITS', `input bits must be an integer from 1 to 16; got ${bits}`);
  }
  if (!Number.isInteger(batch) || batch < 1 || !Number.isInteger(K) || K < 1) {
    throw new ConfigError('BAD_INPUT_SHAPE', `random inputs need a positive integer batch and K; got batch ${batch}, K ${K}`);
  }
  checkZeroFraction(zeroFraction);
  checkSeed(seed);
  const n = batch * K;
  if (n > 4294967296) {
    throw new ConfigError('BAD_INPUT_SHAPE', `random inputs are limited to 2^32 values; batch·K is ${n}`);
  }
  const Qx = 2 ** bits - 1;
  const rng = Xoshiro128ss.fromSeed(seed);
  const out = new Int32Array(n);
  // z = rhe(zeroFraction · n): Math.round rounds ties up; step back to the even neighbour.
  const zf = zeroFraction * n;
  let zerosLeft = Math.round(zf);
  if (zerosLeft - zf === 0.5 && zerosLeft % 2 !== 0) zerosLeft -= 1;
  for (let i = 0; i < n; i++) {
    if (rng.nextBelow(n - i) < zerosLeft) zerosLeft--; // out[i] stays 0
    else out[i] = 1 + rng.nextBelow(Qx);
  }
  return out;
}
