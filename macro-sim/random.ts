/**
 * A tiny seeded PRNG (mulberry32, public domain, Tommy Ettinger 2017) for reproducible calibration
 * and benchmark data inside the pure layer. Not for cryptography.
 */

/** A seeded generator of uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [lo, hi] from `rand`. */
export function randInt(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

/**
 * `[B, K]` unsigned inputs in [0, 2^bits − 1] with `zeroFraction` zeros on average (MODEL §2's default
 * input generator: each input is 0 with probability `zeroFraction`, otherwise uniform in [1, Qx]).
 */
export function randomInputs(rand: () => number, batch: number, K: number, bits: number, zeroFraction = 0.5): Int32Array {
  const qx = 2 ** bits - 1;
  const out = new Int32Array(batch * K);
  for (let i = 0; i < out.length; i++) out[i] = rand() < zeroFraction ? 0 : randInt(rand, 1, qx);
  return out;
}
