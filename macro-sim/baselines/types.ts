/**
 * Shared shapes of the non-IMC baselines (MODEL §6): `asic` (EIE-like sparse), `systolic-asic`
 * (TPU-like dense INT8), `fpga` (ESE-like sparse or Spagnolo dense) and `mobile-gpu` (Tegra K1,
 * measured). Each baseline is an energy table over events counted from the same workload the macro
 * runs; each reports energy, TOPS/W (MODEL §7 definitions: both dense and effective, whatever op count
 * its published figure was quoted in — the `source` text says which), storage bits, area where its
 * sources give one, and its sources. Constants and verdicts: ../../docs/MODEL-NOTES.md (Baselines).
 */
import { ConfigError } from '../../errors.js';
import type { CscMatrix, IntMatrix } from '../../formats/types.js';
import { efficiencyMetrics } from '../metrics.js';

/** The workload every baseline prices: one integer matrix `[K, N]` times `B` input vectors. */
export interface BaselineWorkload {
  /** K: fan-in (rows). */
  readonly rows: number;
  /** N: outputs (columns). */
  readonly cols: number;
  /** B: input vectors. */
  readonly batch: number;
  /** Nonzero weights of the final integer matrix. */
  readonly nnz: number;
  /** Weight bits b_w. */
  readonly valueBits: number;
  /** Input bits b_x. */
  readonly inputBits: number;
  /** Fraction of input bits that are 1 (optional data statistic; unused by the current baselines). */
  readonly inputOnesFraction?: number;
  /**
   * Nonzero input elements over the whole batch (`≤ B·K`). Zero-skipping baselines (EIE, ESE) only
   * walk the weights of nonzero inputs. Absent: every input is taken as nonzero.
   */
  readonly nonzeroInputs?: number;
  /**
   * The integer matrix itself. When present, storage overheads that depend on where the nonzeros are
   * (EIE/ESE relative-index padding zeros) are counted exactly; otherwise their expected value for
   * uniformly scattered nonzeros is used. Its `rows`, `cols` and nonzero count must match the workload.
   */
  readonly q?: IntMatrix;
  /**
   * The nonzeros of the integer matrix (formats/csc.ts `extractNonzeros`) when the caller already has
   * them (weight preparation extracts them once): the exact counts are then read from them instead of
   * scanning `q`. Trusted to describe `q`: their shape and count are checked, not every position.
   */
  readonly nonzeros?: CscMatrix;
  /**
   * Counts of the matrix shared by baselines priced together, made once by `workloadCounts`
   * (relative-index.ts; `priceBaselines` does it) for this very workload. Absent: each baseline counts.
   */
  readonly counts?: WorkloadCounts;
}

/** Where the nonzeros of a `[K, N]` matrix are: a CscMatrix without its values. */
export type NonzeroPositions = Pick<CscMatrix, 'rows' | 'cols' | 'nnz' | 'colPtr' | 'rowIdx'>;

/** Exact counts of a workload's matrix, from one pass over its nonzeros (`workloadCounts`, relative-index.ts). */
export interface WorkloadCounts {
  /** Nonzeros of the matrix. */
  readonly nnz: number;
  /** Exact EIE/ESE padding zeros of each layout counted, by `paddingKey(indexBits, processingElements)`. */
  readonly padding: ReadonlyMap<string, number>;
}

/** Result of one baseline on one workload. */
export interface BaselineResult {
  readonly name: 'asic' | 'systolic-asic' | 'fpga' | 'mobile-gpu';
  /** Total energy, pJ (= Σ breakdownPj). */
  readonly energyPj: number;
  /** Energy per counted event class, pJ. */
  readonly breakdownPj: Record<string, number>;
  /** 2·K·N·B / energyPj (MODEL §7). */
  readonly topsPerWattDense: number;
  /** 2·nnz·B / energyPj (MODEL §7). */
  readonly topsPerWattEffective: number;
  /** Bits the baseline stores the weights in (values + indices + padding + pointers). */
  readonly storageBits: number;
  readonly latencyNs?: number;
  /**
   * Silicon area of the modelled chip at 28 nm, mm², where its sources give one (EIE: 64 × 0.638 mm²
   * at 45 nm, normalised by `scaleTo28nm('area', 45)`; TPU v1: die ≤ 331 mm² at 28 nm). Absent otherwise.
   */
  readonly areaMm2?: number;
  /** Citation(s) of the constants, and the op count (dense or effective) each published figure was quoted in. */
  readonly source: string;
  /** Counted events and derived quantities (e.g. `bram36`, `entriesRead`). */
  readonly detail?: Record<string, number>;
}

/**
 * Check a workload (throws ConfigError naming the first bad field and how to fix it) and return the
 * number of nonzero inputs to use (`B·K` when not given).
 */
export function checkWorkload(w: BaselineWorkload): number {
  const positive: Array<[string, number]> = [
    ['rows', w.rows], ['cols', w.cols], ['batch', w.batch], ['valueBits', w.valueBits], ['inputBits', w.inputBits],
  ];
  for (const [name, v] of positive) {
    if (!Number.isInteger(v) || v < 1) {
      throw new ConfigError('BASELINE_WORKLOAD', `baseline workload ${name} must be a positive integer; got ${v}`);
    }
  }
  const cells = w.rows * w.cols;
  if (!Number.isInteger(w.nnz) || w.nnz < 0 || w.nnz > cells) {
    throw new ConfigError('BASELINE_WORKLOAD', `baseline workload nnz must be an integer in [0, K·N = ${cells}]; got ${w.nnz}`);
  }
  const maxIn = w.batch * w.rows;
  const nzIn = w.nonzeroInputs ?? maxIn;
  if (!Number.isInteger(nzIn) || nzIn < 0 || nzIn > maxIn) {
    throw new ConfigError('BASELINE_WORKLOAD', `baseline workload nonzeroInputs must be an integer in [0, B·K = ${maxIn}]; got ${nzIn}`);
  }
  for (const m of [w.q, w.nonzeros]) {
    if (m !== undefined && (m.rows !== w.rows || m.cols !== w.cols)) {
      throw new ConfigError('BASELINE_WORKLOAD',
        `baseline workload matrix is ${m.rows}x${m.cols} but rows x cols is ${w.rows}x${w.cols}; pass the matrix the workload describes`);
    }
  }
  if (w.q !== undefined || w.nonzeros !== undefined) {
    const nz = w.counts?.nnz ?? w.nonzeros?.nnz ?? countNonzeros(w.q!.data);
    if (nz !== w.nnz) {
      throw new ConfigError('BASELINE_WORKLOAD', `baseline workload nnz is ${w.nnz} but its matrix has ${nz} nonzeros; pass the matrix's own count`);
    }
  }
  return nzIn;
}

/** Nonzero values of `d` (the scan `checkWorkload` falls back to without shared counts). */
function countNonzeros(d: Int16Array): number {
  let nz = 0;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) nz++;
  return nz;
}

/**
 * Assemble a result: total energy from the breakdown and the MODEL §7 TOPS/W figures
 * (1 TOPS/W = 1 op/pJ; one MAC = 2 ops).
 */
export function makeResult(
  name: BaselineResult['name'],
  w: BaselineWorkload,
  breakdownPj: Record<string, number>,
  storageBits: number,
  source: string,
  detail: Record<string, number>,
  latencyNs?: number,
  areaMm2?: number,
): BaselineResult {
  let energyPj = 0;
  for (const k of Object.keys(breakdownPj)) energyPj += breakdownPj[k]!;
  const { topsPerWattDense, topsPerWattEffective } = efficiencyMetrics(w.rows, w.cols, w.nnz, w.batch, energyPj);
  const result: BaselineResult = {
    name,
    energyPj,
    breakdownPj,
    topsPerWattDense,
    topsPerWattEffective,
    storageBits,
    source,
    detail,
    ...(latencyNs === undefined ? {} : { latencyNs }),
    ...(areaMm2 === undefined ? {} : { areaMm2 }),
  };
  return result;
}
