/**
 * SQNR of simulated integer outputs against the float reference (MODEL §7), dequantizing on the fly.
 */

/**
 * `sqnrDb(ref, ŷ)` with ŷ[b, j] = y[b, j] · sx · s_w[j] (per-tensor: one s_w), without materialising
 * ŷ (a `[B, N]` array per point and format in a sweep). Same operations in the same order as
 * `sqnrDb` (macro-sim/metrics.ts) over the dequantized array, so the result is bit-identical (tested).
 */
export function dequantizedSqnrDb(ref: Float64Array, y: Float64Array, scales: Float64Array, sx: number, B: number, N: number): number {
  if (ref.length !== y.length || y.length !== B * N) throw new RangeError(`dequantizedSqnrDb: ref has ${ref.length} values, outputs ${y.length}, B·N = ${B * N}`);
  const perTensor = scales.length === 1;
  let signal = 0;
  let noise = 0;
  for (let b = 0; b < B; b++) {
    const row = b * N;
    for (let j = 0; j < N; j++) {
      const r = ref[row + j]!;
      const d = r - y[row + j]! * sx * (perTensor ? scales[0]! : scales[j]!);
      signal += r * r;
      noise += d * d;
    }
  }
  return 10 * Math.log10(signal / noise);
}
