/**
 * The O(n²) definition of the Pareto front, kept beside ./pareto.ts to test its fast paths against:
 * row i survives iff no row j is ≤ in every objective and < in at least one (all minimised).
 */

/** Indices of the non-dominated rows of the row-major `[n, d]` matrix `values` (all objectives minimised), ascending. */
export function nonDominatedRowsReference(values: Float64Array, n: number, d: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let dominated = false;
    for (let j = 0; j < n && !dominated; j++) {
      if (j === i) continue;
      let allLe = true;
      let someLt = false;
      for (let o = 0; o < d; o++) {
        const a = values[j * d + o]!;
        const b = values[i * d + o]!;
        if (a > b) allLe = false;
        if (a < b) someLt = true;
      }
      dominated = allLe && someLt;
    }
    if (!dominated) out.push(i);
  }
  return out;
}
