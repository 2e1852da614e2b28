/**
 * Calibration with a held-out set (MODEL §5, issue 10): run every published operating point of
 * `calibration-points.ts` on its macro preset, fit the free constants on the `fit` points by least
 * squares, and report the error of every point — fitted and held-out separately.
 *
 * **The run of an efficiency point.** A dense-format matrix of `K = R` rows and `N = L · M` columns
 * (L = floor(C / b_w): one resident load per macro, no writes, as in a macro measurement), weights
 * with exactly `weightSparsity · K · N` zeros and the rest uniform over the nonzero b_w-bit values,
 * B = 64 input vectors with exactly `inputZeroFraction · B · K` zeros and the rest uniform over the
 * nonzero b_x-bit values (signed or not), xoshiro128** seeds 1 (weights) and 2 (inputs). Modelled
 * TOPS/W = `topsPerWattDense` at the point's VDD and clock. A published figure of another node is
 * normalised to 28 nm first (`tech-scaling.ts`); a gain point compares two runs on the same macro.
 *
 * **The fit.** Energy is linear in the adder-tree data energy θ = adderTreeDataBitFj: E_p(θ) = A_p +
 * F_p · θ (one run with the tree at 0 gives A_p, the event counts give F_p). Least squares on the
 * relative error, Σ_p ((E_p(θ) − E*_p) / E*_p)², closed form, θ ≥ 0. The data-independent tree
 * energy stays at 0 (see energy-table.ts), so the data dependence is a prediction the held-out
 * sparsity gain checks, not a fit. The alpha-power-law V_th is fitted on shmoo points; areas are not
 * fitted.
 */
import { FORMATS } from '../formats/registry.js';
import type { IntMatrix } from '../formats/types.js';
import { macroArea } from './area.js';
import { CALIBRATION_POINTS, type CalibrationPoint, type FrequencyPoint, type OperatingPoint, type PointRole } from './calibration-points.js';
import { resolveMacroConfig, type MacroConfig } from './config.js';
import { DEFAULT_ENERGY_TABLE, ENERGY_REFERENCE_VDD } from './energy-table.js';
import { simulate } from './engine.js';
import { PRESETS, type PresetName } from './presets.js';
import { Xoshiro128ss } from './rng.js';
import type { SimResult } from './result.js';
import { areaAt28, efficiencyAt28 } from './tech-scaling.js';
import { bandFactor } from './uncertainty.js';
import { ALPHA_POWER, ALPHA_VTH_V, maxClockAt } from './voltage.js';

/** Options of a calibration run. */
export interface CalibrationOptions {
  /** Input vectors per run (default 64). */
  readonly batch?: number;
  /** PRNG seed of the weights (inputs use seed + 1; default 1). */
  readonly seed?: number;
  /** Energy-table overrides applied to every preset (e.g. a candidate θ of the fit). */
  readonly energy?: Readonly<Record<string, number>>;
  /** Area-table overrides applied to every preset. */
  readonly area?: Readonly<Record<string, number>>;
  /** Alpha-power-law threshold voltage to model frequency points with (default the stored fit). */
  readonly thresholdV?: number;
  /**
   * Report the rows with the constants this fit gives instead of the stored ones (calibrating your own
   * macro's points: the fitted tree energy and V_th are then what the rows show). Default false: the
   * rows show the model as shipped.
   */
  readonly applyFit?: boolean;
}

/** One row of the calibration table (`imc-sim calibrate --json`). */
export interface CalibrationRow {
  readonly id: string;
  readonly macro: string;
  readonly metric: CalibrationPoint['metric'];
  readonly role: PointRole;
  readonly tag: string;
  /** Node of the published figure, nm. */
  readonly nodeNm: number;
  /** The figure as published (at `nodeNm`). */
  readonly publishedAsReported: number;
  /** The published figure normalised to 28 nm (what the model is compared with). */
  readonly published: number;
  readonly modelled: number;
  /** (modelled − published) / published × 100. */
  readonly errorPct: number;
  /** TOPS/W rows: the same two figures under their own names. */
  readonly publishedTopsPerWatt?: number;
  readonly modelledTopsPerWatt?: number;
  /** Area rows: the same two figures under their own names (mm², 28 nm). */
  readonly publishedAreaMm2?: number;
  readonly modelledAreaMm2?: number;
  /** Efficiency and gain rows: the operating point (gain rows: of the numerator). */
  readonly operating?: OperatingPoint;
  /** Gain rows: the operating point of the denominator. */
  readonly baseline?: OperatingPoint;
  /** Frequency rows: the supply of the shmoo point. */
  readonly vdd?: number;
  readonly source: string;
  readonly assumed?: string;
}

/** Error statistics of one role over one kind of figure. */
export interface ErrorSummary {
  readonly points: number;
  readonly macros: number;
  /** Largest |errorPct|. */
  readonly worstPct: number;
  /** Root mean square of errorPct. */
  readonly rmsPct: number;
}

/** The whole calibration: rows, fitted constants and the fitted / held-out error summaries. */
export interface CalibrationReport {
  readonly rows: CalibrationRow[];
  /** The constants a fresh fit gives (the stored ones equal them; the test suite checks it). */
  readonly fitted: { readonly adderTreeFaBitFj: number; readonly adderTreeDataBitFj: number; readonly thresholdV: number; readonly alpha: number };
  readonly energy: { readonly fit: ErrorSummary; readonly heldOut: ErrorSummary };
  readonly area: { readonly fit: ErrorSummary; readonly heldOut: ErrorSummary };
  readonly clock: { readonly fit: ErrorSummary; readonly heldOut: ErrorSummary };
  /** Multiplicative bands from the held-out errors (uncertainty.ts stores them). */
  readonly bands: { readonly energyFactor: number; readonly areaFactor: number; readonly relativeFactor: number };
}

/**
 * The six error summaries of a report in report order, each with its label: energy, area and clock,
 * fitted then held-out. Reports (text, markdown) list them from here.
 */
export function errorSummaries(report: CalibrationReport): Array<[label: string, summary: ErrorSummary]> {
  const out: Array<[string, ErrorSummary]> = [];
  for (const [kind, s] of [['energy (TOPS/W and gains)', report.energy], ['area', report.area], ['max clock', report.clock]] as const) {
    out.push([`${kind}, fitted`, s.fit], [`${kind}, held-out`, s.heldOut]);
  }
  return out;
}

/**
 * The band factors of calibration rows: exp(RMS ln error) over the held-out TOPS/W rows (energy) and
 * the held-out area rows (area). Energy ∝ 1 / TOPS/W, so its ratio is published / modelled.
 */
export function bandFactors(rows: readonly CalibrationRow[]): { energyFactor: number; areaFactor: number; relativeFactor: number } {
  const held = rows.filter((r) => r.role === 'held-out');
  return {
    relativeFactor: bandFactor(held.filter((r) => r.metric === 'efficiencyGain').map((r) => [r.published, r.modelled] as const)),
    energyFactor: bandFactor(held.filter((r) => r.metric === 'topsPerWatt').map((r) => [r.published, r.modelled] as const)),
    areaFactor: bandFactor(held.filter((r) => r.metric === 'areaMm2').map((r) => [r.modelled, r.published] as const)),
  };
}

/** The macro config of an operating point on a preset (with table overrides). */
export function pointConfig(macro: PresetName, op: OperatingPoint, options: CalibrationOptions = {}, macroParams: Readonly<Record<string, unknown>> = {}): MacroConfig {
  return resolveMacroConfig({
    ...macroParams,
    inputBits: op.inputBits, signedInputs: op.signedInputs, vdd: op.vdd, clockMHz: op.clockMHz,
    ...(options.energy ? { energy: options.energy } : {}), ...(options.area ? { area: options.area } : {}),
  }, macro);
}

/** `n` values with exactly round(fraction · n) zeros (positions uniform), the rest uniform over `nonzero`. */
function sparseValues(n: number, zeroFraction: number, rng: Xoshiro128ss, nonzero: (rng: Xoshiro128ss) => number): Int32Array {
  const out = new Int32Array(n);
  let zerosLeft = Math.round(zeroFraction * n);
  for (let i = 0; i < n; i++) {
    if (rng.nextBelow(n - i) < zerosLeft) zerosLeft--;
    else out[i] = nonzero(rng);
  }
  return out;
}

/** A uniform nonzero value of a b-bit range: signed [−2^(b−1), 2^(b−1) − 1] \ {0} or unsigned [1, 2^b − 1]. */
function nonzeroOf(bits: number, signed: boolean): (rng: Xoshiro128ss) => number {
  if (!signed) return (rng) => 1 + rng.nextBelow(2 ** bits - 1);
  const lo = -(2 ** (bits - 1));
  const n = 2 ** bits - 1; // values lo..hi without 0
  return (rng) => {
    const v = lo + rng.nextBelow(n);
    return v >= 0 ? v + 1 : v;
  };
}

/**
 * Run one operating point on a preset (see the file comment) and return the simulation.
 * @example calibrationRun('yan-28nm', CALIBRATION_POINTS[1].operating).metrics.topsPerWattDense
 */
export function calibrationRun(macro: PresetName, op: OperatingPoint, options: CalibrationOptions = {}, macroParams: Readonly<Record<string, unknown>> = {}): SimResult {
  const config = pointConfig(macro, op, options, macroParams);
  const seed = options.seed ?? 1;
  const K = config.rows;
  const N = Math.floor(config.bitColumns / op.weightBits) * config.macros;
  // Weights are two's complement b_w-bit values: the symmetric MODEL §2 range [−Q, Q] without 0.
  const Q = 2 ** (op.weightBits - 1) - 1;
  const w = sparseValues(K * N, op.weightSparsity, Xoshiro128ss.fromSeed(seed), (rng) => {
    const v = rng.nextBelow(2 * Q) - Q;
    return v >= 0 ? v + 1 : v;
  });
  const q: IntMatrix = { rows: K, cols: N, data: Int16Array.from(w) };
  const enc = FORMATS.dense.encode(q, {}, { valueBits: op.weightBits, segmentRows: config.rows });
  const batch = options.batch ?? 64;
  const x = sparseValues(batch * K, op.inputZeroFraction, Xoshiro128ss.fromSeed(seed + 1), nonzeroOf(op.inputBits, op.signedInputs));
  return simulate(enc, { data: x, batch }, config);
}

/** The published figure of a point, normalised to 28 nm. */
function publishedAt28(p: CalibrationPoint): number {
  if (p.metric === 'topsPerWatt') return efficiencyAt28(p.published, nodeOf(p));
  if (p.metric === 'areaMm2') return areaAt28(p.published, nodeOf(p));
  return p.published;
}

/** Node of a point's published figure. */
function nodeOf(p: CalibrationPoint): number {
  return p.nodeNm ?? PRESETS[p.macro as PresetName]?.nodeNm ?? 28;
}

/** The anchor of a macro's frequency points: its fit point at the highest VDD. */
function frequencyAnchor(macro: string, points: readonly CalibrationPoint[]): FrequencyPoint {
  const fits = points.filter((q): q is FrequencyPoint => q.metric === 'maxClockMHz' && q.macro === macro && q.role === 'fit');
  if (fits.length === 0) throw new RangeError(`calibration: macro ${macro} has no fit frequency point`);
  return fits.reduce((a, b) => (b.vdd > a.vdd ? b : a));
}

/** Modelled figure of a point. */
function modelledOf(p: CalibrationPoint, options: CalibrationOptions, points: readonly CalibrationPoint[] = CALIBRATION_POINTS): number {
  if (p.metric === 'maxClockMHz') {
    const a = frequencyAnchor(p.macro, points);
    return maxClockAt(p.vdd, a.vdd, a.published, options.thresholdV ?? ALPHA_VTH_V);
  }
  if (p.metric === 'topsPerWatt') return calibrationRun(p.macro, p.operating, options, p.macroParams).metrics.topsPerWattDense;
  if (p.metric === 'efficiencyGain') {
    return calibrationRun(p.macro, p.operating, options, p.macroParams).metrics.topsPerWattDense / calibrationRun(p.macro, p.baseline, options, p.macroParams).metrics.topsPerWattDense;
  }
  const inputBits = resolveMacroConfig(p.macroParams ?? {}, p.macro).inputBits;
  const config = pointConfig(p.macro, { weightBits: p.weightBits, inputBits, signedInputs: false, vdd: 0.9, clockMHz: 100, inputZeroFraction: 0, weightSparsity: 0 }, options, p.macroParams);
  return macroArea(config, { format: 'dense', valueBits: p.weightBits, entryBits: p.weightBits, indexFieldBits: 0, params: {} }, config.area).totalMm2;
}

/** Rows of every point (or of `points`). */
export function calibrationRows(options: CalibrationOptions = {}, points: readonly CalibrationPoint[] = CALIBRATION_POINTS): CalibrationRow[] {
  return points.map((p) => {
    const published = publishedAt28(p);
    const modelled = modelledOf(p, options, points);
    const row: CalibrationRow = {
      id: p.id, macro: p.macro, metric: p.metric, role: p.role, tag: p.tag, nodeNm: nodeOf(p),
      publishedAsReported: p.published, published, modelled, errorPct: ((modelled - published) / published) * 100,
      ...(p.metric === 'topsPerWatt' ? { publishedTopsPerWatt: published, modelledTopsPerWatt: modelled, operating: p.operating } : {}),
      ...(p.metric === 'areaMm2' ? { publishedAreaMm2: published, modelledAreaMm2: modelled } : {}),
      ...(p.metric === 'efficiencyGain' ? { operating: p.operating, baseline: p.baseline } : {}),
      ...(p.metric === 'maxClockMHz' ? { vdd: p.vdd } : {}),
      source: p.source,
      ...(p.assumed ? { assumed: p.assumed } : {}),
    };
    return row;
  });
}

function summary(rows: readonly CalibrationRow[]): ErrorSummary {
  if (rows.length === 0) return { points: 0, macros: 0, worstPct: 0, rmsPct: 0 };
  let worst = 0, sq = 0;
  for (const r of rows) {
    worst = Math.max(worst, Math.abs(r.errorPct));
    sq += r.errorPct ** 2;
  }
  return { points: rows.length, macros: new Set(rows.map((r) => r.macro)).size, worstPct: worst, rmsPct: Math.sqrt(sq / rows.length) };
}

/** One run's energy as an affine function of θ: A + F1·θ1 + F2·θ2 (pJ). */
function energyTerms(macro: PresetName, op: OperatingPoint, options: CalibrationOptions, macroParams?: Readonly<Record<string, unknown>>): { A: number; F1: number; F2: number; macs: number } {
  const r = calibrationRun(macro, op, { ...options, energy: { ...(options.energy ?? {}), adderTreeFaBitFj: 0, adderTreeDataBitFj: 0 } }, macroParams);
  const dyn = (op.vdd / ENERGY_REFERENCE_VDD) ** 2;
  return { A: r.energy.totalPj, F1: (r.events.adderTreeFaBits * dyn) / 1000, F2: (r.events.adderTreeDataBits * dyn) / 1000, macs: r.metrics.macsDense };
}

/**
 * Least-squares fit of the adder-tree data energy `adderTreeDataBitFj` (fJ per toggle-level at 0.9 V)
 * on the `fit` efficiency and gain points, with the data-independent `adderTreeFaBitFj` held at its
 * table value (0: a combinational tree switches only where its inputs toggle, as ZigZag-IMC prices it).
 * Each point gives a residual affine in θ: an efficiency point `(E(θ) − E*) / E*` (E* = 2·MACs /
 * published TOPS/W); a gain point `(E_base(θ) − G·E_op(θ)) / (G·E_op(θ₀))` (G the published gain,
 * θ₀ the stored value). θ = −Σ c·f / Σ f², clamped at 0.
 */
export function fitEnergyConstants(options: CalibrationOptions = {}, points: readonly CalibrationPoint[] = CALIBRATION_POINTS): { adderTreeFaBitFj: number; adderTreeDataBitFj: number } {
  const t0 = { ...DEFAULT_ENERGY_TABLE, ...(options.energy ?? {}) };
  const fixed = t0.adderTreeFaBitFj;
  let sff = 0, scf = 0;
  const add = (c: number, f: number): void => { sff += f * f; scf += c * f; };
  for (const p of points) {
    if (p.role !== 'fit') continue;
    if (p.metric === 'topsPerWatt') {
      const t = energyTerms(p.macro, p.operating, options, p.macroParams);
      const target = (2 * t.macs) / publishedAt28(p);
      add((t.A + t.F1 * fixed) / target - 1, t.F2 / target);
    } else if (p.metric === 'efficiencyGain') {
      const o = energyTerms(p.macro, p.operating, options, p.macroParams);
      const b = energyTerms(p.macro, p.baseline, options, p.macroParams);
      const G = p.published;
      const scale = G * (o.A + o.F1 * fixed + o.F2 * t0.adderTreeDataBitFj);
      add((b.A + b.F1 * fixed - G * (o.A + o.F1 * fixed)) / scale, (b.F2 - G * o.F2) / scale);
    }
  }
  // No fit point: nothing to fit, the table's value stands.
  if (sff === 0) return { adderTreeFaBitFj: fixed, adderTreeDataBitFj: t0.adderTreeDataBitFj };
  return { adderTreeFaBitFj: fixed, adderTreeDataBitFj: Math.max(0, -scf / sff) };
}

/**
 * Fit the alpha-power-law threshold voltage on the `fit` frequency points (α fixed at
 * {@link ALPHA_POWER}): the V_th at which `f(V_lo) / f(V_hi)` of the two fit points equals the
 * published ratio (bisection: a higher V_th slows the low-voltage point more).
 */
export function fitThresholdVoltage(points: readonly CalibrationPoint[] = CALIBRATION_POINTS): number {
  const fits = points.filter((q): q is FrequencyPoint => q.metric === 'maxClockMHz' && q.role === 'fit').sort((a, b) => a.vdd - b.vdd);
  if (fits.length < 2) return ALPHA_VTH_V; // nothing to fit: the stored value stands
  const lo = fits[0]!, hi = fits[fits.length - 1]!;
  const target = lo.published / hi.published;
  let a = 0, b = lo.vdd - 1e-6;
  for (let i = 0; i < 200; i++) {
    const m = (a + b) / 2;
    if (maxClockAt(lo.vdd, hi.vdd, 1, m) > target) a = m;
    else b = m;
  }
  return (a + b) / 2;
}

/**
 * The calibration as `imc-sim calibrate` reports it: every row with the stored constants, the
 * constants a fresh fit gives (equal to the stored ones: the test suite checks it), and the error
 * summaries of the fitted and the held-out points.
 *
 * @example calibrate().energy.heldOut.worstPct // ≤ 30
 */
export function calibrate(options: CalibrationOptions = {}, points: readonly CalibrationPoint[] = CALIBRATION_POINTS): CalibrationReport {
  const energy = fitEnergyConstants(options, points);
  const thresholdV = fitThresholdVoltage(points);
  const rowOptions = options.applyFit ? { ...options, energy: { ...(options.energy ?? {}), ...energy }, thresholdV } : options;
  const rows = calibrationRows(rowOptions, points);
  const byRole = (metric: (m: CalibrationRow['metric']) => boolean, role: PointRole): ErrorSummary =>
    summary(rows.filter((r) => metric(r.metric) && r.role === role));
  const isEnergy = (m: CalibrationRow['metric']): boolean => m === 'topsPerWatt' || m === 'efficiencyGain';
  const isArea = (m: CalibrationRow['metric']): boolean => m === 'areaMm2';
  const isClock = (m: CalibrationRow['metric']): boolean => m === 'maxClockMHz';
  return {
    rows,
    fitted: { ...energy, thresholdV, alpha: ALPHA_POWER },
    energy: { fit: byRole(isEnergy, 'fit'), heldOut: byRole(isEnergy, 'held-out') },
    area: { fit: byRole(isArea, 'fit'), heldOut: byRole(isArea, 'held-out') },
    clock: { fit: byRole(isClock, 'fit'), heldOut: byRole(isClock, 'held-out') },
    bands: bandFactors(rows),
  };
}

