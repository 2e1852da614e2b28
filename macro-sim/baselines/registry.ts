/**
 * The baselines of MODEL §6 as one registry, priced through one function: a baseline is another
 * energy table over the same workload (Accelergy's habit, ../shared/STYLE.md). `dense-imc` and
 * `bitmask-imc` are the same macro with the dense and bitmask formats: their counts, cycles and energy
 * are derived in closed form from the matrix's nonzeros and the inputs' bit planes
 * (../closed-form-counts.ts, held equal to encode + simulate by a property test; `pricing: 'engine'`
 * runs the engine instead). `asic` (EIE-like sparse), `systolic-asic` (TPU-like dense INT8), `fpga` and
 * `mobile-gpu` price counts taken from the integer matrix and inputs: its nonzeros and the padding zeros
 * of every layout they use, counted once for all of them (relative-index.ts `workloadCounts`).
 * Every caller (a layer run, a network) reads the list from here; none writes it out again.
 */
import { bandOf, ENERGY_BAND_FACTOR, type Band } from '../uncertainty.js';
import { extractNonzeros } from '../../formats/csc.js';
import { FORMATS } from '../../formats/registry.js';
import type { CscMatrix, IntMatrix } from '../../formats/types.js';
import { checkMatrix, checkOptions } from '../../formats/validate.js';
import { imcCounts } from '../closed-form-counts.js';
import type { MacroConfig } from '../config.js';
import type { EnergyResult } from '../energy.js';
import { simulate } from '../engine.js';
import type { InputPacks } from '../input-packs.js';
import type { Metrics } from '../metrics.js';
import type { SimInputs } from '../result.js';
import { asicBaseline, EIE_INDEX_BITS, EIE_PES } from './asic.js';
import { ESE_INDEX_BITS, fpgaBaseline } from './fpga.js';
import { mobileGpuBaseline } from './mobile-gpu.js';
import { type PaddingLayout, workloadCounts } from './relative-index.js';
import { systolicBaseline } from './systolic.js';
import type { BaselineResult, BaselineWorkload } from './types.js';

/** A baseline priced by running the macro itself in another format. */
export interface ImcBaseline {
  readonly name: 'dense-imc' | 'bitmask-imc';
  readonly kind: 'imc';
  readonly format: 'dense' | 'bitmask';
}

/** A baseline priced from counted events of the workload. */
export interface CountedBaseline {
  readonly name: BaselineResult['name'];
  readonly kind: 'counted';
  readonly price: (w: BaselineWorkload) => BaselineResult;
  /** The EIE/ESE layouts whose exact padding zeros `price` reads (counted once for all baselines). */
  readonly paddingLayouts?: readonly PaddingLayout[];
}

/** One registry entry. */
export type Baseline = ImcBaseline | CountedBaseline;

/** Every baseline, in report order. */
export const BASELINES: readonly Baseline[] = [
  { name: 'dense-imc', kind: 'imc', format: 'dense' },
  { name: 'bitmask-imc', kind: 'imc', format: 'bitmask' },
  { name: 'asic', kind: 'counted', price: asicBaseline, paddingLayouts: [{ indexBits: EIE_INDEX_BITS, processingElements: EIE_PES }] },
  { name: 'systolic-asic', kind: 'counted', price: systolicBaseline },
  { name: 'fpga', kind: 'counted', price: fpgaBaseline, paddingLayouts: [{ indexBits: ESE_INDEX_BITS, processingElements: 1 }] },
  { name: 'mobile-gpu', kind: 'counted', price: mobileGpuBaseline },
];

/** Source line of the IMC baselines. */
export const IMC_BASELINE_SOURCE = 'this simulator, same macro and energy table (macro-sim/energy-table.ts)';

/** One priced baseline, as reports show it. */
export interface BaselineRow {
  readonly name: string;
  readonly energyPj: number;
  readonly breakdownPj: Record<string, number>;
  readonly topsPerWattDense: number;
  readonly topsPerWattEffective: number;
  readonly storageBits: number;
  /** null where the baseline has no timing model. */
  readonly latencyNs: number | null;
  /** Chip area at 28 nm, mm², where the baseline's sources give one (see BaselineResult.areaMm2). */
  readonly areaMm2?: number;
  /**
   * Calibration band of `energyPj` (macro-sim/uncertainty.ts) for the IMC baselines, which are this
   * simulator; the counted baselines carry their single published cross-check in their docs instead.
   */
  readonly bandPj?: Band;
  readonly source: string;
  readonly detail?: Record<string, number>;
}

/** The macro run the IMC baselines need: the inputs (and their packing) and the macro. */
export interface ImcContext {
  readonly inputs: SimInputs;
  readonly config: MacroConfig;
  readonly inputPacks?: InputPacks;
  /**
   * `counts` (default): closed-form counts (../closed-form-counts.ts, which itself runs the engine
   * where an accumulator overflow is possible); `engine`: encode each format and simulate it. The
   * numbers are identical (tested); `engine` is the slow reference.
   */
  readonly pricing?: 'counts' | 'engine';
  /**
   * The caller's own runs of the IMC baselines' formats on this very matrix, inputs and macro (a
   * layer run that includes `dense` or `bitmask` among its formats, each the layer alone, not
   * pre-loaded): their figures are the baseline's (the closed-form counts equal the engine's, tested),
   * so they are taken as they are instead of being priced again.
   */
  readonly simulated?: Partial<Record<ImcBaseline['format'], ImcRun>>;
}

/** What an IMC baseline row reports of a run of its format: the engine's figures, or the closed-form counts'. */
export interface ImcRun {
  readonly energy: EnergyResult;
  readonly metrics: Metrics;
  readonly latencyNs: number;
  /** The encoded matrix's total storage bits. */
  readonly storageBits: number;
}

/**
 * Price the baselines of one workload. With `imc`, every baseline (the IMC ones price the workload's
 * matrix `w.q` in their format on `imc.config`); without it, the counted ones only — for callers whose
 * inputs are not one matrix of vectors (a network: its IMC runs are formats). The matrix is scanned
 * at most once (not at all when `w.nonzeros` holds its nonzeros); the counted baselines share its
 * nonzero count and padding zeros ({@link workloadCounts}).
 *
 * @example priceBaselines(workload, { inputs, config }).map((b) => b.name) // ['dense-imc', 'bitmask-imc', 'asic', 'systolic-asic', 'fpga', 'mobile-gpu']
 */
export function priceBaselines(w: BaselineWorkload, imc?: ImcContext): BaselineRow[] {
  return priceSome(w, imc, true);
}

/**
 * The IMC baselines of {@link priceBaselines} only (`dense-imc`, `bitmask-imc`, in report order): for
 * callers that keep the counted ones apart, since those do not depend on the macro (a sweep over
 * macro geometries prices them once per preparation). `priceBaselines(w, imc)` is
 * `[...priceImcBaselines(w, imc), ...priceBaselines(w)]`: the registry lists the IMC ones first.
 */
export function priceImcBaselines(w: BaselineWorkload, imc: ImcContext): BaselineRow[] {
  return priceSome(w, imc, false);
}

function priceSome(w: BaselineWorkload, imc: ImcContext | undefined, withCounted: boolean): BaselineRow[] {
  const rows: BaselineRow[] = [];
  const layouts = BASELINES.flatMap((b) => (b.kind === 'counted' ? b.paddingLayouts ?? [] : []));
  let nonzeros: CscMatrix | undefined; // of w.q: given, or extracted once by the first IMC baseline
  let counted: BaselineWorkload | undefined; // w with the shared counts, made at the first counted baseline
  for (const b of BASELINES) {
    if (b.kind === 'counted') {
      if (!withCounted) continue;
      if (counted === undefined) {
        const base = w.nonzeros === undefined && nonzeros !== undefined ? { ...w, nonzeros } : w;
        const counts = w.counts ?? workloadCounts(base, layouts);
        counted = counts === undefined ? base : { ...base, counts };
      }
      const r = b.price(counted);
      rows.push({
        name: r.name,
        energyPj: r.energyPj,
        breakdownPj: r.breakdownPj,
        topsPerWattDense: r.topsPerWattDense,
        topsPerWattEffective: r.topsPerWattEffective,
        storageBits: r.storageBits,
        latencyNs: r.latencyNs ?? null,
        ...(r.areaMm2 === undefined ? {} : { areaMm2: r.areaMm2 }),
        source: r.source,
        ...(r.detail ? { detail: r.detail } : {}),
      });
    } else if (imc) {
      if (!w.q) throw new RangeError(`priceBaselines: the ${b.name} baseline needs the workload's matrix (w.q)`);
      let r = imc.simulated?.[b.format];
      if (r === undefined) {
        if (imc.pricing !== 'engine' && nonzeros === undefined) nonzeros = w.nonzeros ?? imcNonzeros(w.q, w.valueBits, imc.config.rows);
        r = imc.pricing === 'engine' ? imcByEngine(b.format, w, imc) : imcByCounts(b.format, w, imc, nonzeros!);
      }
      rows.push({
        name: b.name,
        energyPj: r.energy.totalPj,
        bandPj: bandOf(r.energy.totalPj, ENERGY_BAND_FACTOR),
        breakdownPj: { ...r.energy.breakdownPj },
        topsPerWattDense: r.metrics.topsPerWattDense,
        topsPerWattEffective: r.metrics.topsPerWattEffective,
        storageBits: r.storageBits,
        latencyNs: r.latencyNs,
        source: IMC_BASELINE_SOURCE,
      });
    }
  }
  return rows;
}

/** The nonzeros of `q` for the IMC baselines: the encoders' own checks, in their order, then one scan. */
function imcNonzeros(q: IntMatrix, valueBits: number, rows: number): CscMatrix {
  checkMatrix(q);
  checkOptions({ valueBits, segmentRows: rows });
  return extractNonzeros(q, valueBits);
}

/** An IMC baseline from closed-form counts (../closed-form-counts.ts). */
function imcByCounts(format: ImcBaseline['format'], w: BaselineWorkload, imc: ImcContext, nonzeros: CscMatrix): ImcRun {
  const c = imcCounts(format, w.q!, w.valueBits, imc.inputs, imc.config, { nonzeros, ...(imc.inputPacks ? { inputPacks: imc.inputPacks } : {}) });
  return { energy: c.energy, metrics: c.metrics, latencyNs: c.timing.latencyNs, storageBits: c.storage.totalBits };
}

/** An IMC baseline by encoding its format and running the engine (the slow reference of imcByCounts). */
function imcByEngine(format: ImcBaseline['format'], w: BaselineWorkload, imc: ImcContext): ImcRun {
  const enc = FORMATS[format].encode(w.q!, {}, { valueBits: w.valueBits, segmentRows: imc.config.rows });
  const sim = simulate(enc, imc.inputs, imc.config, imc.inputPacks ? { inputPacks: imc.inputPacks } : {});
  return { energy: sim.energy, metrics: sim.metrics, latencyNs: sim.timing.latencyNs, storageBits: enc.storage.totalBits };
}
