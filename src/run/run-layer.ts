/**
 * The run of one layer (`imc-sim run`, sweeps, library): a prepared layer + inputs → for each
 * format, encode, simulate on the macro, check the outputs against the plain integer product, and
 * report storage, mapping, timing, energy and metrics (MODEL §4–7); then the baselines of MODEL §6
 * (macro-sim/baselines/registry.ts) over the same integer matrix and inputs.
 */
import { AREA_BAND_FACTOR, bandOf, ENERGY_BAND_FACTOR, type Band } from '../../macro-sim/uncertainty.js';
import { FormatError, SimulationError } from '../../errors.js';
import type { StorageFigures } from '../../formats/types.js';
import { priceBaselines, type BaselineRow, type ImcContext } from '../../macro-sim/baselines/registry.js';
import type { BaselineWorkload } from '../../macro-sim/baselines/types.js';
import type { MacroConfig } from '../../macro-sim/config.js';
import { simulate } from '../../macro-sim/engine.js';
import type { EventCounts } from '../../macro-sim/events.js';
import { InputPacks } from '../../macro-sim/input-packs.js';
import type { SimResult } from '../../macro-sim/result.js';
import type { TimingResult } from '../../macro-sim/timing.js';
import { encodePrepared, isEncoded, storageJson, type EncodedLayer, type InfeasibleEncoding } from '../encode/encode-layer.js';
import type { PreparedInputs } from '../prep/inputs.js';
import type { PreparedWeights } from '../prep/prepare.js';
import { floatProduct, integerProduct, sameOutputs } from '../reference/products.js';
import { dequantizedSqnrDb } from '../reference/sqnr.js';

export type { BaselineRow };

/** One format simulated on the macro: the objects of `run --json`. */
export interface FormatRun {
  format: string;
  storage: StorageFigures;
  mapping: SimResult['mapping'];
  timing: TimingResult;
  /** `bandPj`: the calibration band [E / F, E · F] (macro-sim/uncertainty.ts, from held-out errors). */
  energy: { totalPj: number; breakdownPj: Record<string, number>; bandPj: Band };
  metrics: { macsDense: number; macsEffective: number; topsPerWattDense: number; topsPerWattEffective: number; sqnrDb: number | null };
  events: EventCounts;
  /** The macros' area laid out for this format (mm², per component) and the area-normalised figures. */
  area: SimResult['area'] & { bandMm2: Band };
  /** Simulated outputs equal the plain integer product qx · q, element by element. */
  outputsExact: boolean;
}

/**
 * A format that cannot hold this matrix or cannot run on this macro (e.g. an N:m violation, a slot
 * wider than the array): reported as a row with its reason, as Timeloop reports an infeasible
 * design point, so one bad format does not hide the others. A run with a single format throws.
 * The same shape as an encoding that failed.
 */
export type InfeasibleFormat = InfeasibleEncoding;

/** Whether a format row ran. */
export function isFeasible(f: FormatRun | InfeasibleFormat): f is FormatRun {
  return (f as InfeasibleFormat).ok !== false;
}

/** Options of {@link runPrepared}. */
export interface RunLayerOptions {
  /** Format specs (`'coo,rl:4'` or an array). */
  readonly formats: string | readonly string[];
  readonly macro: MacroConfig;
  /** Compute the MODEL §6 baselines (default true). */
  readonly baselines?: boolean;
  /** Compute SQNR against the float product on the original weights (default true; costs a dense K·N·B product). */
  readonly sqnr?: boolean;
  /** Keep each format's integer outputs in the result (for `--dump-outputs`). */
  readonly keepOutputs?: boolean;
  /** The layer already encoded with `encodePrepared` (segment capacity = macro rows); default: encode here. */
  readonly encoded?: EncodedLayer;
  /**
   * Model context, per format (same order as `formats`): the index of this layer's first load in the
   * model's load sequence (`mapModel(...).firstLoad`), so that only the model's first M loads count as
   * pre-loaded. Default: the layer alone (0).
   */
  readonly firstLoads?: readonly number[];
  /**
   * Precomputed reference products for these weights and inputs ({@link layerReferences}); sweeps
   * reuse them across the points that share a preparation. Default: computed here.
   */
  readonly references?: LayerReferences;
  /**
   * `inputs.q` checked and packed for the engine (`new InputPacks({ data: inputs.q, batch })`, see
   * macro-sim/input-packs.ts); sweeps keep one per inputs across points. Default: one made here,
   * shared by this run's formats and baselines.
   */
  readonly inputPacks?: InputPacks;
  /**
   * How to price the baselines, given this run's own IMC-baseline runs (its `dense` / `bitmask`
   * formats, when it has them and the layer is not pre-loaded): sweeps take the rows from a cache
   * shared by the points. Default: {@link layerBaselines} (unless `baselines` is false).
   */
  readonly baselinePricer?: (simulated: SimulatedImc) => readonly BaselineRow[];
}

/** A layer run's own runs of the IMC baselines' formats (see `ImcContext.simulated`). */
export type SimulatedImc = NonNullable<ImcContext['simulated']>;

/** The baseline workload of a prepared layer and its inputs (MODEL §6): counts from the preparation's nonzeros. */
export function baselineWorkload(prepared: PreparedWeights, inputs: PreparedInputs, inputBits: number): BaselineWorkload {
  let nonzeroInputs = 0;
  for (let i = 0; i < inputs.q.length; i++) if (inputs.q[i] !== 0) nonzeroInputs++;
  return {
    rows: prepared.K, cols: prepared.N, batch: inputs.batch, nnz: prepared.nnz, valueBits: prepared.weightBits, inputBits, nonzeroInputs,
    q: prepared.q, nonzeros: prepared.nonzeros, // the scan weight preparation already made: the baselines count from it
  };
}

/**
 * The baselines of a layer run, in report order: the IMC ones (this macro, these inputs) and the
 * counted ones (which depend on the macro only through its input bits).
 */
export function layerBaselines(prepared: PreparedWeights, inputs: PreparedInputs, macro: MacroConfig, inputPacks?: InputPacks, simulated: SimulatedImc = {}): BaselineRow[] {
  const simIn = { data: inputs.q, batch: inputs.batch };
  return priceBaselines(baselineWorkload(prepared, inputs, macro.inputBits), { inputs: simIn, config: macro, simulated, ...(inputPacks ? { inputPacks } : {}) });
}

/** The two references a run is checked and scored against. */
export interface LayerReferences {
  /** `qx · q`, the plain integer product: simulated outputs must equal it exactly. */
  readonly exact: Float64Array;
  /** `x · W` in float64 on the original weights (the SQNR reference), or null to skip SQNR. */
  readonly float: Float64Array | null;
}

/** Compute the references of a layer run (`float` only when `sqnr` is not false). */
export function layerReferences(prepared: PreparedWeights, inputs: PreparedInputs, sqnr = true): LayerReferences {
  return {
    exact: integerProduct(prepared.nonzeros, inputs.q, inputs.batch),
    float: sqnr ? floatProduct(prepared.floatColumns, inputs.x, inputs.batch) : null,
  };
}

/** A simulated layer. */
export interface LayerRun {
  readonly prepared: PreparedWeights;
  readonly inputs: PreparedInputs;
  /** The encodings the formats ran on (one per format, in order). */
  readonly encoded: EncodedLayer;
  readonly formats: Array<FormatRun | InfeasibleFormat>;
  readonly baselines: BaselineRow[];
  /** Integer outputs `[B, N]` of the first format when `keepOutputs` (all formats agree when exact). */
  readonly outputs?: Float64Array;
}

/** Simulate a prepared layer in each format, check exactness, and price the baselines. */
export function runPrepared(prepared: PreparedWeights, inputs: PreparedInputs, opts: RunLayerOptions): LayerRun {
  const cfg = opts.macro;
  const B = inputs.batch;
  const encoded = opts.encoded ?? encodePrepared(prepared, opts.formats, cfg.rows);
  const { exact, float: ref } = opts.references ?? layerReferences(prepared, inputs, opts.sqnr !== false);
  const simIn = { data: inputs.q, batch: B };
  const inputPacks = opts.inputPacks ?? new InputPacks(simIn);

  let outputs: Float64Array | undefined;
  const simulated: { -readonly [F in keyof SimulatedImc]: SimulatedImc[F] } = {};
  const n = encoded.encodings.length;
  const formats = encoded.encodings.map((e, i): FormatRun | InfeasibleFormat => {
    if (!isEncoded(e)) return e;
    const enc = e.encoded, canonical = e.format;
    let sim;
    try {
      sim = simulate(enc, simIn, cfg, { firstLoad: opts.firstLoads?.[i] ?? 0, inputPacks });
    } catch (err) {
      if (n === 1 || !(err instanceof SimulationError)) throw err;
      return { format: canonical, ok: false, reason: err.message, code: err.code };
    }
    if (opts.keepOutputs && outputs === undefined) outputs = sim.outputs;
    // The IMC baselines are these formats' runs of the layer alone: reuse them (canonical `dense` / `bitmask`: no parameters).
    if ((canonical === 'dense' || canonical === 'bitmask') && (opts.firstLoads?.[i] ?? 0) === 0) {
      simulated[canonical] = { energy: sim.energy, metrics: sim.metrics, latencyNs: sim.timing.latencyNs, storageBits: enc.storage.totalBits };
    }
    return {
      format: canonical,
      storage: storageJson(enc.storage),
      mapping: sim.mapping,
      timing: {
        cycles: sim.timing.cycles,
        latencyNs: sim.timing.latencyNs,
        writeCycles: sim.timing.writeCycles,
        decodeCycles: sim.timing.decodeCycles,
        fillCycles: sim.timing.fillCycles,
        computeCycles: sim.timing.computeCycles,
      },
      energy: { totalPj: sim.energy.totalPj, breakdownPj: { ...sim.energy.breakdownPj }, bandPj: bandOf(sim.energy.totalPj, ENERGY_BAND_FACTOR) },
      metrics: {
        ...sim.metrics,
        sqnrDb: ref ? finiteOrNull(dequantizedSqnrDb(ref, sim.outputs, prepared.scales, inputs.scale, B, prepared.N)) : null,
      },
      events: sim.events,
      area: { ...sim.area, bandMm2: bandOf(sim.area.totalMm2, AREA_BAND_FACTOR) },
      outputsExact: sameOutputs(sim.outputs, exact),
    };
  });
  if (!formats.some(isFeasible)) {
    throw new FormatError('NO_FEASIBLE_FORMAT', `no format can run this layer: ${formats.map((f) => `${f.format}: ${(f as InfeasibleFormat).reason}`).join(' | ')}`);
  }

  const baselines: BaselineRow[] = opts.baselines === false ? [] : opts.baselinePricer ? [...opts.baselinePricer(simulated)] : layerBaselines(prepared, inputs, cfg, inputPacks, simulated);
  return { prepared, inputs, encoded, formats, baselines, ...(outputs ? { outputs } : {}) };
}

/** JSON cannot carry ±Infinity (an exact match has infinite SQNR): report null and say so in docs. */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
