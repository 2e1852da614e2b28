/**
 * Exact widening of the narrow float formats to float32.
 *
 * Every value of binary16, bfloat16, float8 e4m3fn and float8 e5m2 is exactly representable in
 * binary32 (fewer exponent and mantissa bits), so widening loses nothing. Bit layouts:
 *
 *     binary16 (IEEE 754-2008)      s eeeee mmmmmmmmmm        bias 15, e=31: inf (m=0) / NaN
 *     bfloat16 (Google Brain)       s eeeeeeee mmmmmmm        the top 16 bits of a binary32
 *     float8 e4m3fn (OCP FP8 spec)  s eeee mmm                bias 7, no infinities, NaN = s.1111.111
 *     float8 e5m2 (OCP FP8 spec)    s eeeee mm                bias 15, e=31: inf (m=0) / NaN
 *
 * Sources: IEEE 754-2008 §3.6; "OCP 8-bit Floating Point Specification (OFP8)" rev 1.0 (2023) table 1,
 * which is what `torch.float8_e4m3fn` / `torch.float8_e5m2` and safetensors `F8_E4M3` / `F8_E5M2` use.
 * Decoding goes through lookup tables (65,536 or 256 entries, built once on first use) so the hot
 * loop is one indexed load per element.
 */

/** Decode one binary16 bit pattern (for building the table and for tests). */
export function halfBitsToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24; // subnormal: m/1024 · 2^-14
  if (e === 31) return m === 0 ? s * Infinity : NaN;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

/** Decode one float8 e4m3fn bit pattern. */
export function e4m3BitsToNumber(b: number): number {
  const s = b & 0x80 ? -1 : 1;
  const e = (b >> 3) & 0xf;
  const m = b & 7;
  if (e === 15 && m === 7) return NaN; // the only non-finite pattern; max finite is 448
  if (e === 0) return s * m * 2 ** -9; // subnormal: m/8 · 2^-6
  return s * (1 + m / 8) * 2 ** (e - 7);
}

/** Decode one float8 e5m2 bit pattern. */
export function e5m2BitsToNumber(b: number): number {
  const s = b & 0x80 ? -1 : 1;
  const e = (b >> 2) & 0x1f;
  const m = b & 3;
  if (e === 31) return m === 0 ? s * Infinity : NaN;
  if (e === 0) return s * m * 2 ** -16; // subnormal: m/4 · 2^-14
  return s * (1 + m / 4) * 2 ** (e - 15);
}

let halfTable: Float32Array | undefined;
let e4m3Table: Float32Array | undefined;
let e5m2Table: Float32Array | undefined;

function table(n: number, f: (bits: number) => number): Float32Array {
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) t[i] = f(i);
  return t;
}

/** Widen binary16 bit patterns to float32 (exact). */
export function widenFloat16(src: Uint16Array): Float32Array {
  const t = (halfTable ??= table(65536, halfBitsToNumber));
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = t[src[i]!]!;
  return out;
}

/** Widen bfloat16 bit patterns to float32 (exact: they are the high half of the float32 pattern). */
export function widenBfloat16(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < src.length; i++) bits[i] = src[i]! << 16;
  return out;
}

/** Widen float8 e4m3fn bytes to float32 (exact). */
export function widenFloat8E4m3(src: Uint8Array): Float32Array {
  const t = (e4m3Table ??= table(256, e4m3BitsToNumber));
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = t[src[i]!]!;
  return out;
}

/** Widen float8 e5m2 bytes to float32 (exact). */
export function widenFloat8E5m2(src: Uint8Array): Float32Array {
  const t = (e5m2Table ??= table(256, e5m2BitsToNumber));
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = t[src[i]!]!;
  return out;
}
