/**
 * MODEL §7 metrics, implemented literally (exact definitions).
 */

/** Work and efficiency figures of one run. */
export interface Metrics {
  /** K · N · B. */
  readonly macsDense: number;
  /** nnz · B. */
  readonly macsEffective: number;
  /** 2 · macsDense / energyPj (ops per pJ = TOPS/W). */
  readonly topsPerWattDense: number;
  /** 2 · macsEffective / energyPj. */
  readonly topsPerWattEffective: number;
}

/**
 * TOPS/W of `macs` multiply-accumulates for `energyPj` (MODEL §7: one MAC = 2 ops, and 1 op/pJ =
 * 1 TOPS/W): `2 · macs / energyPj`. The one definition every figure in the project uses (engine,
 * layer and model totals, networks, baselines). Work done for no energy (an all-zero layer in a
 * sparse format stores and computes nothing) is `Infinity` (`null` in JSON); no work is 0.
 *
 * @example topsPerWatt(1000, 100) // 20
 */
export function topsPerWatt(macs: number, energyPj: number): number {
  if (macs === 0) return 0;
  return energyPj > 0 ? (2 * macs) / energyPj : Infinity;
}

/**
 * The MODEL §7 work/efficiency metrics of a K × N matrix with `nnz` nonzeros on `batch` vectors.
 *
 * @example efficiencyMetrics(256, 32, 1000, 64, 1e6).topsPerWattDense // 2·256·32·64/1e6 = 1.048576
 */
export function efficiencyMetrics(K: number, N: number, nnz: number, batch: number, energyPj: number): Metrics {
  return workMetrics(K * N * batch, nnz * batch, energyPj);
}

/** The MODEL §7 metrics of counted work: `macsDense`, `macsEffective` and their TOPS/W for `energyPj`. */
export function workMetrics(macsDense: number, macsEffective: number, energyPj: number): Metrics {
  return {
    macsDense,
    macsEffective,
    topsPerWattDense: topsPerWatt(macsDense, energyPj),
    topsPerWattEffective: topsPerWatt(macsEffective, energyPj),
  };
}

/** Area-normalised figures of one run (the macro area is that of the run's format, `area.ts`). */
export interface AreaMetrics {
  /** Dense-equivalent throughput per area: `2 · macsDense / latencyNs / 1000 / areaMm2` (TOPS/mm²). */
  readonly topsPerMm2: number;
  /**
   * Nonzero weights the macros hold per mm² at this format's compression: `nnz / loads · M·G / areaMm2`
   * (a load holds nnz / loads of them on average; M·G loads stay resident).
   */
  readonly effectiveWeightsPerMm2: number;
  /**
   * Dense-equivalent storage density in Mb (2^20 bits) per mm²: `K·N·b_w / loads · M·G / 2^20 / areaMm2`
   * — the dense matrix bits the resident compressed loads stand for (Yan et al.'s 1.041 Mb/mm² is this
   * figure for a dense macro).
   */
  readonly denseEquivalentMbPerMm2: number;
}

/**
 * Dense-equivalent throughput per area, TOPS/mm²: `2 · macsDense / latencyNs / 1000 / areaMm2` (0 with no time).
 * @example topsPerMm2(1e6, 1000, 0.5) // 4
 */
export function topsPerMm2(macsDense: number, latencyNs: number, areaMm2: number): number {
  return latencyNs > 0 ? (2 * macsDense) / latencyNs / 1000 / areaMm2 : 0;
}

/**
 * The {@link AreaMetrics} of a K × N matrix (`nnz` nonzeros, `b_w` bits) mapped to `loads` loads on
 * macros holding `residentLoads` loads, run in `latencyNs`, on `areaMm2`.
 * @example areaMetrics({ macsDense: 1e6, latencyNs: 1000, K: 256, N: 32, nnz: 8192, valueBits: 8, loads: 1, residentLoads: 1, areaMm2: 0.5 }).topsPerMm2 // 4
 */
export function areaMetrics(a: {
  macsDense: number; latencyNs: number; K: number; N: number; nnz: number; valueBits: number; loads: number; residentLoads: number; areaMm2: number;
}): AreaMetrics {
  const perLoad = a.loads === 0 ? 0 : a.residentLoads / a.loads;
  return {
    topsPerMm2: topsPerMm2(a.macsDense, a.latencyNs, a.areaMm2),
    effectiveWeightsPerMm2: (a.nnz * perLoad) / a.areaMm2,
    denseEquivalentMbPerMm2: (a.K * a.N * a.valueBits * perLoad) / 2 ** 20 / a.areaMm2,
  };
}

/** `latencyNs = cycles · 1000 / clockMHz`. */
export function latencyNsOf(cycles: number, clockMHz: number): number {
  return (cycles * 1000) / clockMHz;
}

/** `utilization = valid entries / (loads · L · R)` (0 when there are no loads). */
export function utilizationOf(validEntries: number, loads: number, slotsPerLoad: number, rows: number): number {
  return loads === 0 ? 0 : validEntries / (loads * slotsPerLoad * rows);
}

/**
 * `sqnrDb = 10 · log10(Σ ref² / Σ (ref − ŷ)²)`: `ref` = x · W in float64 on the original weights,
 * `approx` = the dequantized simulated outputs. Infinity when they are equal; throws RangeError on
 * a length mismatch (a programming error, not a user error).
 *
 * @example sqnrDb(new Float64Array([3, 4]), new Float64Array([3, 4.1])) // 10·log10(25 / 0.01) ≈ 33.98
 */
export function sqnrDb(ref: Float64Array, approx: Float64Array): number {
  if (ref.length !== approx.length) throw new RangeError(`sqnrDb: ref has ${ref.length} values, approx ${approx.length}`);
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const d = r - approx[i]!;
    signal += r * r;
    noise += d * d;
  }
  return 10 * Math.log10(signal / noise);
}
