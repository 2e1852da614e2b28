/**
 * The one technology-normalisation rule of the project: every figure published at another node
 * (calibration targets in `calibration-points.ts`, baselines in `baselines/`) is brought to 28 nm by
 * {@link scaleTo28nm} before it is compared with or reported beside the model. Voltage is not part of
 * the node rule: each figure keeps its own supply, and the model prices supply itself (`energy.ts`).
 *
 * Source [SB]: A. Stillmaker, B. Baas, "Scaling equations for the accurate prediction of CMOS device
 * performance from 180 nm to 7 nm", Integration VLSI J. 58 (2017) 74–81, DOI 10.1016/j.vlsi.2017.02.002:
 * energy factor per node = a·V² + b·V + c (Table 5, fitted to HSPICE on PTM/ITRS models) and area
 * factors per node pair. 28 nm is not one of their nodes: it is interpolated log-log between their
 * 32 nm and 20 nm HP nodes (our assumption; a linear interpolation differs by 3 %).
 */
import { ConfigError } from '../errors.js';

/** Supply voltage at which every baseline is normalised, V (the macro's default, MODEL §5). */
export const NORMALISED_VDD = 0.9;

/**
 * Stillmaker & Baas (2017) Table 5 energy coefficients `[a, b, c]` (factor = a·V² + b·V + c) of
 * the nodes we scale from; HP flavour for 45/32/20 nm (Horowitz's and EIE's 45 nm are
 * general-purpose logic, closer to HP than LP). The 65 nm and HP 32 nm rows are checked against the
 * authors' own corrigendum (its worked example: 0.8367·0.9² − 0.4341·0.9 + 0.1701 = 0.4571 for HP 32 nm
 * at 0.9 V and 3.755·1.3² − 4.398·1.3 + 1.975 = 2.604 for 65 nm at 1.3 V); the HP 45 and HP 20 rows are
 * as transcribed in UCLA NanoCAD's `nodeScale` (MIT), which reproduces both corrigendum rows exactly.
 */
const SB_ENERGY: ReadonlyArray<readonly [nm: number, a: number, b: number, c: number]> = [
  [65, 3.755, -4.398, 1.975],
  [45, 1.018, -0.3107, 0.1539],
  [32, 0.8367, -0.4341, 0.1701],
  [20, 0.373, -0.1582, 0.04104],
];

/**
 * Stillmaker & Baas (2017) area factors relative to 45 nm (area at node = area at 45 nm × factor):
 * 65 nm 1/0.66, 45 nm 1, 32 nm 1/2.2, 20 nm 1/4.7 (their area-scaling table, as in `nodeScale`).
 */
const SB_AREA_REL_45: ReadonlyArray<readonly [nm: number, factor: number]> = [
  [65, 1 / 0.66],
  [45, 1],
  [32, 1 / 2.2],
  [20, 1 / 4.7],
];

/** What {@link scaleTo28nm} scales. */
export type TechMetric = 'energy' | 'area';

/**
 * Stillmaker–Baas factor of `metric` at `nm` and supply `vdd` (energy: a·V² + b·V + c of their Table 5;
 * area: relative to 45 nm), for one of their nodes (65, 45, 32, 20 nm) or log-log interpolated between
 * two neighbours (28 nm). Ratios of two factors scale a figure between nodes; {@link scaleTo28nm} is the
 * rule built on it.
 * @example stillmakerFactor('energy', 32, 0.9) // 0.4571 (the authors' corrigendum example)
 * @throws ConfigError for a node outside 20–65 nm.
 */
export function stillmakerFactor(metric: TechMetric, nm: number, vdd: number = NORMALISED_VDD): number {
  return sbFactor(metric, nm, vdd);
}

function sbFactor(metric: TechMetric, nm: number, vdd: number): number {
  const table: ReadonlyArray<readonly [number, number]> = metric === 'area'
    ? SB_AREA_REL_45
    : SB_ENERGY.map(([n, a, b, c]) => [n, a * vdd * vdd + b * vdd + c] as const);
  for (let i = 0; i < table.length; i++) {
    const [n, f] = table[i]!;
    if (nm === n) return f;
    const next = table[i + 1];
    if (next !== undefined && nm < n && nm > next[0]) {
      // 28 nm is not a Stillmaker node: interpolate ln(factor) linearly in ln(feature size).
      const t = Math.log(n / nm) / Math.log(n / next[0]);
      return Math.exp(Math.log(f) + t * (Math.log(next[1]) - Math.log(f)));
    }
  }
  throw new ConfigError('TECH_NODE',
    `technology normalisation covers ${table[table.length - 1]![0]}–${table[0]![0]} nm (Stillmaker & Baas 2017); got ${nm} nm — pass a figure from a node in that range`);
}

/**
 * **The technology-normalisation rule**: the factor that takes an energy (or area) published at
 * `fromNm` to 28 nm at equal supply voltage `vdd` (default 0.9 V), from Stillmaker & Baas (2017):
 * `factor(28) / factor(fromNm)`, where 28 nm — not one of their nodes — is interpolated
 * log-log between their 32 nm and 20 nm HP nodes. Every baseline quoting a figure from another node
 * goes through this one function.
 *
 * Worked values at 0.9 V: energy factors 45 nm 0.6989, 32 nm 0.4571, 20 nm 0.2008 → 28 nm 0.3619, so
 * energy 45 → 28 nm × 0.518 (the classical CV² guess used before, × 0.62, was 20 % higher) and
 * 20 → 28 nm × 1.80; area 45 → 28 nm × 0.366 (classical (28/45)² = 0.387).
 * @example scaleTo28nm('energy', 45) // ≈ 0.518
 * @throws ConfigError for a node outside 20–65 nm.
 */
export function scaleTo28nm(metric: TechMetric, fromNm: number, vdd: number = NORMALISED_VDD): number {
  if (!(fromNm > 0) || !(vdd > 0)) {
    throw new ConfigError('TECH_NODE', `technology normalisation needs a node > 0 nm and a VDD > 0 V; got ${fromNm} nm, ${vdd} V`);
  }
  return sbFactor(metric, 28, vdd) / sbFactor(metric, fromNm, vdd);
}

/**
 * A published energy efficiency (TOPS/W) at `nodeNm` normalised to 28 nm (efficiency ∝ 1 / energy).
 * @example efficiencyAt28(89, 22) // ≈ 58.4
 */
export function efficiencyAt28(topsPerWatt: number, nodeNm: number): number {
  return topsPerWatt / scaleTo28nm('energy', nodeNm);
}

/**
 * A published area at `nodeNm` normalised to 28 nm.
 * @example areaAt28(0.202, 22) // ≈ 0.298
 */
export function areaAt28(mm2: number, nodeNm: number): number {
  return mm2 * scaleTo28nm('area', nodeNm);
}
