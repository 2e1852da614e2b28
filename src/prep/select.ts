/**
 * Selection of the `count` smallest magnitudes with MODEL §3's tie rule — the kernel under every
 * pruning rule (float64 keys; {@link smallestCutFloat32} selects on a float32 tensor's own bits).
 *
 * Order: by `|v|` ascending, then by index **descending**; the first `count` entries in that order are
 * selected (pruned). Equivalently, among equal magnitudes the **lower index is kept**.
 *
 * The selected set is `{ i : |v_i| < t }` plus the `ties` highest-indexed entries with `|v_i| = t`,
 * where `t` is the `count`-th smallest magnitude (rank `count - 1`) and
 * `ties = count - #{ |v_i| < t }`. Finding `t` is a selection problem, solved in expected O(n):
 * - large ranges: a 65,536-bucket histogram over bits 62..47 of `|v|` (sign bit masked off the
 *   IEEE-754 high word: for non-negative doubles the bit pattern orders like the value), a second
 *   65,536-bucket pass over bits 46..31 when the chosen bucket is itself large (trained weights
 *   crowd a few exponents), then a quickselect among the values of the sub-bucket holding rank `count - 1`;
 * - smaller ranges: quickselect on a scratch copy of `|v|`.
 * The quickselect partitions three ways (Dijkstra's Dutch national flag), so runs of equal values —
 * all the zeros of an already-sparse matrix — cost one pass instead of degrading to O(n²).
 * Tiny ranges (≤ {@link RANK_LIMIT}) use a direct O(n²) rank count, cheapest for N:m groups.
 */

/** The result of {@link smallestCut}: prune every `|v| < threshold`, plus the `ties` highest-indexed `|v| = threshold`. */
export interface Cut {
  readonly threshold: number;
  readonly ties: number;
}

/** Ranges up to this length use the O(n²) rank count. */
export const RANK_LIMIT = 32;
/** Ranges from this length on use the histogram pass. */
export const HISTOGRAM_MIN = 1 << 16;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;

/** Reused for the many small selections (nm groups, bcr tiles); big ones get a fresh array that the GC can take back. */
let scratch = new Float64Array(1024);
function getScratch(n: number): Float64Array {
  if (n > HISTOGRAM_MIN) return new Float64Array(n);
  if (scratch.length < n) scratch = new Float64Array(HISTOGRAM_MIN);
  return scratch;
}

/**
 * Threshold and tie count selecting the `count` smallest `|values[off .. off+len)|` (ties: higher
 * index first). `count ≤ 0` selects nothing (threshold -1), `count ≥ len` everything (threshold ∞).
 * Values must be finite or the order is undefined.
 * @example smallestCut(Float64Array.of(3, -1, 1, 2), 0, 4, 2) // → { threshold: 1, ties: 2 } (the two |1|s)
 */
export function smallestCut(values: Float64Array, off: number, len: number, count: number): Cut {
  const c = smallestCutDetail(values, off, len, count);
  return { threshold: c.threshold, ties: c.ties };
}

/** A {@link Cut} with the number of entries whose magnitude equals the threshold. */
export interface CutDetail extends Cut {
  /** `#{ i : |v_i| = threshold }` (≥ `ties`; 0 when the cut selects nothing or everything). */
  readonly equal: number;
}

/**
 * {@link smallestCut} that also counts the entries equal to the threshold, so that a caller walking
 * the values in index order can keep the first `equal - ties` of them without locating the cut.
 * @param hist the 65,536-bucket histogram of bits 62..47 of `|v|` over the range, when the caller
 *   already built it in a pass of its own (used only for `len ≥ 65,536`)
 * @example smallestCutDetail(Float64Array.of(3, -1, 1, 2), 0, 4, 2) // → { threshold: 1, ties: 2, equal: 2 }
 */
export function smallestCutDetail(values: Float64Array, off: number, len: number, count: number, hist?: Uint32Array): CutDetail {
  if (count <= 0) return { threshold: -1, ties: 0, equal: 0 };
  if (count >= len) return { threshold: Infinity, ties: 0, equal: 0 };
  const rank = count - 1;
  let below = 0; // entries known to be < t before the quickselect
  let a: Float64Array;
  let n: number;
  let r = rank;
  if (len >= HISTOGRAM_MIN) {
    const u32 = new Uint32Array(values.buffer, values.byteOffset + off * 8, len * 2);
    const h = hist ?? histogram64(values, off, len);
    let b = 0;
    while (below + h[b]! <= rank) below += h[b++]!;
    n = h[b]!;
    a = getScratch(n);
    gatherBucket64(values, u32, off, len, b, a);
    r = rank - below;
    if (n >= HISTOGRAM_MIN) {
      // A crowded bucket (its values share bits 62..47 only): refine once on bits 46..31 — the low
      // 15 bits of the high word and the top bit of the low word — and keep just the sub-bucket
      // holding rank r, in place. Same monotone key, so entries of lower sub-buckets are all < t.
      const ua = new Uint32Array(a.buffer, a.byteOffset, n * 2);
      const h2 = new Uint32Array(65536);
      for (let i = 0; i < n; i++) h2[((ua[2 * i + HI]! & 0x7fff) << 1) | (ua[2 * i + LO]! >>> 31)]++;
      let b2 = 0, below2 = 0;
      while (below2 + h2[b2]! <= r) below2 += h2[b2++]!;
      let c2 = 0;
      for (let i = 0; i < n; i++) {
        if ((((ua[2 * i + HI]! & 0x7fff) << 1) | (ua[2 * i + LO]! >>> 31)) === b2) a[c2++] = a[i]!;
      }
      n = c2;
      r -= below2;
      below += below2;
    }
  } else {
    n = len;
    a = getScratch(n);
    for (let i = 0; i < n; i++) a[i] = Math.abs(values[off + i]!);
  }
  const t = quickselect(a, n, r);
  return { threshold: t, ties: count - below - lessCount, equal: equalCount };
}

/**
 * The 65,536-bucket histogram of bits 62..47 of `|v|` over `values[off .. off+len)` (the high words
 * seen as uint32; sign masked off), added into `hist` — level 1 of {@link smallestCutDetail}.
 */
export function histogram64(values: Float64Array, off: number, len: number, hist: Uint32Array = new Uint32Array(65536)): Uint32Array {
  const u32 = new Uint32Array(values.buffer, values.byteOffset + off * 8, len * 2);
  for (let i = 0, h = HI; i < len; i++, h += 2) hist[(u32[h]! & 0x7fffffff) >>> 15]++;
  return hist;
}

/** `|v|` of the values whose bits 62..47 fall in bucket `b`, in index order, into `a`. */
function gatherBucket64(values: Float64Array, u32: Uint32Array, off: number, len: number, b: number, a: Float64Array): void {
  let c = 0;
  for (let i = 0, h = HI; i < len; i++, h += 2) {
    if ((u32[h]! & 0x7fffffff) >>> 15 === b) a[c++] = Math.abs(values[off + i]!);
  }
}

/**
 * The cut of {@link smallestCutDetail} for **float32** values, given as their bit patterns (a
 * `Uint32Array` view of the `Float32Array`): float32 widens to float64 exactly, so the threshold,
 * tie count and equal count are those of the widened values. Two 16- and 15-bit histogram passes
 * over `|v|`'s 31 bits pin the threshold's bit pattern exactly — no scratch copy, no quickselect.
 * @param hist the 65,536-bucket histogram of bits 30..15 of `|v|`, when the caller already built it
 * @example
 * const f = Float32Array.of(3, -1, 1, 2);
 * smallestCutFloat32(new Uint32Array(f.buffer), 2) // → { threshold: 1, ties: 2, equal: 2 }
 */
export function smallestCutFloat32(bits: Uint32Array, count: number, hist?: Uint32Array): CutDetail {
  const len = bits.length;
  if (count <= 0) return { threshold: -1, ties: 0, equal: 0 };
  if (count >= len) return { threshold: Infinity, ties: 0, equal: 0 };
  const rank = count - 1;
  const h = hist ?? histogram32(bits);
  let b = 0, below = 0;
  while (below + h[b]! <= rank) below += h[b++]!;
  const h2 = subHistogram32(bits, b);
  let b2 = 0;
  while (below + h2[b2]! <= rank) below += h2[b2++]!;
  return { threshold: float32FromBits((b << 15) | b2), ties: count - below, equal: h2[b2]! };
}

/** One float32 reinterpreted from its bits (`F32_BITS[0] = u; F32_VALUE[0]`). */
const F32_VALUE = new Float32Array(1);
const F32_BITS = new Uint32Array(F32_VALUE.buffer);

/**
 * The float32 number whose bit pattern is `u`, widened to float64.
 * @example float32FromBits(0x3f800000) // → 1
 */
export function float32FromBits(u: number): number {
  F32_BITS[0] = u;
  return F32_VALUE[0]!;
}

/** The 65,536-bucket histogram of bits 30..15 of `|v|` (sign masked off) for float32 bit patterns, added into `hist`. */
export function histogram32(bits: Uint32Array, hist: Uint32Array = new Uint32Array(65536)): Uint32Array {
  const n = bits.length;
  for (let i = 0; i < n; i++) hist[(bits[i]! & 0x7fffffff) >>> 15]++;
  return hist;
}

/** The 32,768-bucket histogram of bits 14..0 of the entries whose bits 30..15 are `b`. */
function subHistogram32(bits: Uint32Array, b: number): Uint32Array {
  const h2 = new Uint32Array(32768);
  const n = bits.length;
  for (let i = 0; i < n; i++) {
    const u = bits[i]! & 0x7fffffff;
    if (u >>> 15 === b) h2[u & 0x7fff]++;
  }
  return h2;
}

/**
 * Set `mark[markOff + i] = 1` for the `count` smallest `|keys[off + i]|`, `0 ≤ i < len`, ties toward
 * the higher index (so the lower index is kept). Other marks are left untouched.
 * @param markOff where the marks of this range start (default `off`: marks indexed like the keys)
 * @example
 * const mark = new Uint8Array(4); markSmallest(Float64Array.of(2, 1, 2, 2), 0, 4, 2, mark); mark // → [0, 1, 0, 1]
 */
export function markSmallest(
  keys: Float64Array,
  off: number,
  len: number,
  count: number,
  mark: Uint8Array,
  markOff: number = off,
): void {
  if (count <= 0) return;
  if (count >= len) {
    mark.fill(1, markOff, markOff + len);
    return;
  }
  if (len <= RANK_LIMIT) {
    // Entry r is selected iff fewer than `count` entries come before it in the pruning order.
    for (let r = 0; r < len; r++) {
      const v = Math.abs(keys[off + r]!);
      let before = 0;
      for (let s = 0; s < len; s++) {
        const u = Math.abs(keys[off + s]!);
        if (u < v || (u === v && s > r)) before++;
      }
      if (before < count) mark[markOff + r] = 1;
    }
    return;
  }
  const { threshold, ties } = smallestCut(keys, off, len, count);
  for (let i = 0; i < len; i++) if (Math.abs(keys[off + i]!) < threshold) mark[markOff + i] = 1;
  for (let i = len - 1, left = ties; left > 0; i--) {
    if (Math.abs(keys[off + i]!) === threshold) {
      mark[markOff + i] = 1;
      left--;
    }
  }
}

/** Number of entries `< t` in the quickselect's array at its return (all of them lie left of the answer). */
let lessCount = 0;
/** Number of entries `= t` in the quickselect's array at its return (all of them lie in its last range). */
let equalCount = 0;
/** xorshift32 state for pivot choice: any pivot gives the same answer; randomness only guards the running time. */
let pivotState = 0x9e3779b9;

/**
 * The value at sorted position `r` of `a[0 .. n)` (reorders `a`); sets {@link lessCount} and {@link equalCount}.
 * Three-way partition: `[lo, lt) < p`, `[lt, gt] = p`, `(gt, hi] > p`. Everything left of `lo` is
 * smaller than the answer and everything right of `hi` larger, so at the end `lessCount` = index of
 * the first entry equal to it and {@link equalCount} = the entries equal to it.
 */
function quickselect(a: Float64Array, n: number, r: number): number {
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    pivotState ^= pivotState << 13;
    pivotState ^= pivotState >>> 17;
    pivotState ^= pivotState << 5;
    const p = a[lo + ((pivotState >>> 0) % (hi - lo + 1))]!;
    let lt = lo, i = lo, gt = hi;
    while (i <= gt) {
      const v = a[i]!;
      if (v < p) {
        a[i++] = a[lt]!;
        a[lt++] = v;
      } else if (v > p) {
        a[i] = a[gt]!;
        a[gt--] = v;
      } else i++;
    }
    if (r < lt) hi = lt - 1;
    else if (r > gt) lo = gt + 1;
    else {
      lessCount = lt;
      equalCount = gt - lt + 1;
      return p;
    }
  }
  lessCount = lo;
  equalCount = 1;
  return a[lo]!;
}
