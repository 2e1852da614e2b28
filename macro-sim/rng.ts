/**
 * The seeded generator behind reproducible random inputs (MODEL §2: "the seed and the generator are
 * reported").
 *
 * **xoshiro128\*\*** 1.1 (D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 47(4), 2021; reference C at https://prng.di.unimi.it/xoshiro128starstar.c), a 32-bit
 * generator with 128 bits of state. The state is seeded, as the authors recommend, from the seed by
 * **SplitMix64** (https://prng.di.unimi.it/splitmix64.c): two outputs, each split low word first.
 * Everything is exact 32-bit integer arithmetic (`Math.imul`, `>>>`) plus BigInt for the seeding,
 * so the stream is identical on every platform and Node version.
 * `fixtures/make-prep-goldens.py` re-implements it in Python; the tests compare the two.
 */

/** Name of the generator, for reports. */
export const RNG_NAME = 'xoshiro128** (state seeded by SplitMix64)';

const MASK64 = (1n << 64n) - 1n;

/** xoshiro128** over a 4-word state. Create with {@link Xoshiro128ss.fromSeed}. */
export class Xoshiro128ss {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  private constructor(s: Uint32Array) {
    this.s0 = s[0]! | 0;
    this.s1 = s[1]! | 0;
    this.s2 = s[2]! | 0;
    this.s3 = s[3]! | 0;
  }

  /**
   * Seed from a non-negative integer (up to 2^64 - 1; a Number must be a safe integer).
   * @example Xoshiro128ss.fromSeed(1).nextUint32() // same value on every platform
   */
  static fromSeed(seed: number | bigint): Xoshiro128ss {
    let x = BigInt(seed) & MASK64;
    const st = new Uint32Array(4);
    for (let w = 0; w < 2; w++) {
      // SplitMix64 step (Steele, Lea, Flood 2014; constants from splitmix64.c)
      x = (x + 0x9e3779b97f4a7c15n) & MASK64;
      let z = x;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
      z = z ^ (z >> 31n);
      st[2 * w] = Number(z & 0xffffffffn);
      st[2 * w + 1] = Number(z >> 32n);
    }
    // An all-zero state is the one fixed point of xoshiro; SplitMix64 never yields two zero outputs
    // in a row, but guard anyway.
    if ((st[0]! | st[1]! | st[2]! | st[3]!) === 0) st[0] = 1;
    return new Xoshiro128ss(st);
  }

  /** Next output, an integer in [0, 2^32). */
  nextUint32(): number {
    const s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    let n2 = s2 ^ s0;
    let n3 = s3 ^ s1;
    const n1 = s1 ^ n2;
    const n0 = s0 ^ n3;
    n2 ^= t;
    n3 = (n3 << 11) | (n3 >>> 21);
    this.s0 = n0;
    this.s1 = n1;
    this.s2 = n2;
    this.s3 = n3;
    return result;
  }

  /** Uniform float in [0, 1) with 32 random bits (for test and benchmark data). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * Uniform integer in `[0, n)` for `1 ≤ n ≤ 2^32`, exactly uniform: draws ≥ the largest multiple of
   * `n` below 2^32 are rejected and redrawn, then `u mod n`.
   */
  nextBelow(n: number): number {
    const limit = 4294967296 - (4294967296 % n);
    let u = this.nextUint32();
    while (u >= limit) u = this.nextUint32();
    return u % n;
  }
}
