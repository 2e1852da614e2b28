/**
 * The input transposition the plain references and the JS float kernel share: `[B, K]` row-major
 * inputs to `[K, B]` row-major, so that the inner loop over the B input vectors is contiguous.
 */

/** `[B, K]` row-major → `[K, B]` row-major, as float64. */
export function transposeInputs(x: ArrayLike<number>, batch: number, K: number): Float64Array {
  const xT = new Float64Array(K * batch);
  for (let b = 0; b < batch; b++) {
    const row = b * K;
    for (let k = 0; k < K; k++) xT[k * batch + b] = x[row + k]!;
  }
  return xT;
}
