/**
 * The baselines of MODEL §6 as one registry, priced through one function: a baseline is another
 * energy table over the same workload (Accelergy's habit, ../shared/STYLE.md). `dense-imc` and
 * `bitmask-imc` are the same macro with the dense and bitmask formats (their counts come from the
 * engine); `asic` (EIE-like sparse), `systolic-asic` (TPU-like dense INT8), `fpga` and `mobile-gpu` price counts taken from the integer matrix and inputs.
 * Every caller (a layer run, a network) reads the list from here; none writes it out again.
 */
import { bandOf, ENERGY_BAND_FACTOR, type Band } from '../uncertainty.js';
import { FORMATS } from '../../formats/registry.js';
import type { MacroConfig } from '../config.js';
import { simulate } from '../engine.js';
import type { InputPacks } from '../input-packs.js';
import type { SimInputs } from '../result.js';
import { asicBaseline } from './asic.js';
import { fpgaBaseline } from './fpga.js';
import { mobileGpuBaseline } from './mobile-gpu.js';
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
}

/** One registry entry. */
export type Baseline = ImcBaseline | CountedBaseline;

/** Every baseline, in report order. */
export const BASELINES: readonly Baseline[] = [
  { name: 'dense-imc', kind: 'imc', format: 'dense' },
  { name: 'bitmask-imc', kind: 'imc', format: 'bitmask' },
  { name: 'asic', kind: 'counted', price: asicBaseline },
  { name: 'systolic-asic', kind: 'counted', price: systolicBaseline },
  { name: 'fpga', kind: 'counted', price: fpgaBaseline },
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
}

/**
 * Price the baselines of one workload. With `imc`, every baseline (the IMC ones simulate the
 * workload's matrix `w.q` in their format on `imc.config`); without it, the counted ones only —
 * for callers whose inputs are not one matrix of vectors (a network: its IMC runs are formats).
 *
 * @example priceBaselines(workload, { inputs, config }).map((b) => b.name) // ['dense-imc', 'bitmask-imc', 'asic', 'systolic-asic', 'fpga', 'mobile-gpu']
 */
export function priceBaselines(w: BaselineWorkload, imc?: ImcContext): BaselineRow[] {
  const rows: BaselineRow[] = [];
  for (const b of BASELINES) {
    if (b.kind === 'counted') {
      const r = b.price(w);
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
      const enc = FORMATS[b.format].encode(w.q, {}, { valueBits: w.valueBits, segmentRows: imc.config.rows });
      const sim = simulate(enc, imc.inputs, imc.config, imc.inputPacks ? { inputPacks: imc.inputPacks } : {});
      rows.push({
        name: b.name,
        energyPj: sim.energy.totalPj,
        bandPj: bandOf(sim.energy.totalPj, ENERGY_BAND_FACTOR),
        breakdownPj: { ...sim.energy.breakdownPj },
        topsPerWattDense: sim.metrics.topsPerWattDense,
        topsPerWattEffective: sim.metrics.topsPerWattEffective,
        storageBits: enc.storage.totalBits,
        latencyNs: sim.timing.latencyNs,
        source: IMC_BASELINE_SOURCE,
      });
    }
  }
  return rows;
}
