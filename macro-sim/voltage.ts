/**
 * Supply-voltage scaling beyond CV²: leakage power vs VDD and the highest clock a macro reaches at a
 * VDD. Dynamic energy scales with (V / 0.9 V)² in `energy.ts` (E = C·V²; Stillmaker & Baas,
 * Integration 2017, Table 5, HP32 fit gives E(0.8 V)/E(0.9 V) = 0.784 and E(0.6 V)/E(0.9 V) = 0.461,
 * within 4 % of CV²'s 0.790 and 0.444).
 *
 * - **Leakage** `P(V) = P(0.9 V) · (V / 0.9) · 10^(η·(V − 0.9) / S)`: subthreshold current grows
 *   exponentially with the drain bias through DIBL (K. Roy, S. Mukhopadhyay, H. Mahmoodi-Meimand,
 *   "Leakage current mechanisms and leakage reduction techniques in deep-submicrometer CMOS circuits",
 *   Proc. IEEE 91(2), 2003, eq. (2): I_sub ∝ 10^((V_GS − V_th + η·V_DS)/S)). η = 0.1 V/V and
 *   S = 100 mV/decade are typical short-channel bulk values of that paper's range (assumption: they move
 *   leakage by < 2× over 0.6–1.0 V, and leakage is < 1 % of every calibration run's energy).
 * - **Maximum clock** from the alpha-power law (T. Sakurai, A. R. Newton, IEEE JSSC 25(2), 1990,
 *   eq. (14)): gate delay ∝ V / (V − V_th)^α, so `f_max(V) = f_0 · g(V) / g(V_0)` with
 *   `g(V) = (V − V_th)^α / V`, anchored at a preset's (VDD, clock) point (V_0, f_0): a macro reaches
 *   at least its preset clock at its preset VDD. α = 1.3 (velocity-saturated short channel, the value
 *   Sakurai–Newton report for sub-µm devices); V_th is fitted [CAL] on the 0.6 V / 30 MHz and
 *   0.9 V / 233 MHz shmoo points of D6CIM (28 nm digital CIM, ESSCIRC 2023) and checked on its
 *   1.1 V / 360 MHz point (`imc-sim calibrate`: −5 %). It is an effective V_th: near-threshold timing
 *   of a whole macro, not a device parameter. The figure is reported, not enforced, so what-if clocks
 *   stay runnable.
 */
import type { MacroConfig } from './config.js';
import { ENERGY_REFERENCE_VDD } from './energy-table.js';
import { PRESETS } from './presets.js';

/** DIBL coefficient η (V/V) [Roy et al. 2003, typical value; assumption]. */
export const DIBL_ETA = 0.1;
/** Subthreshold swing S (V per decade) [Roy et al. 2003, typical value; assumption]. */
export const SUBTHRESHOLD_SWING_V = 0.1;
/** Alpha-power-law velocity-saturation index α [Sakurai & Newton 1990]. */
export const ALPHA_POWER = 1.3;
/**
 * Effective threshold voltage V_th (V) of the alpha-power law [CAL: `fitThresholdVoltage()` on D6CIM's
 * shmoo points; `test/macro-sim/calibration.test.ts` re-runs the fit and checks this value].
 */
export const ALPHA_VTH_V = 0.5465;

/**
 * Leakage power at `vdd` relative to leakage power at 0.9 V.
 * @example leakageScale(0.9) // 1
 * @example leakageScale(0.6) // (0.6/0.9)·10^(−0.3) ≈ 0.334
 */
export function leakageScale(vdd: number): number {
  return (vdd / ENERGY_REFERENCE_VDD) * 10 ** ((DIBL_ETA * (vdd - ENERGY_REFERENCE_VDD)) / SUBTHRESHOLD_SWING_V);
}

function speed(v: number, vth: number): number {
  return v <= vth ? 0 : (v - vth) ** ALPHA_POWER / v;
}

/**
 * Highest clock (MHz) at `vdd` for a macro that runs `anchorMHz` at `anchorVdd` (alpha-power law).
 * @example maxClockAt(0.6, 0.9, 233) // ≈ 30 MHz (D6CIM's shmoo)
 */
export function maxClockAt(vdd: number, anchorVdd: number, anchorMHz: number, thresholdV: number = ALPHA_VTH_V): number {
  return (anchorMHz * speed(vdd, thresholdV)) / speed(anchorVdd, thresholdV);
}

/**
 * The highest clock of `config`'s macro at its VDD, anchored at its preset's published (VDD, clock).
 * @example maxClockMHz(resolveMacroConfig({ vdd: 0.6 })) // ≈ 26 (sp-imc-28nm: 200 MHz at 0.9 V)
 */
export function maxClockMHz(config: MacroConfig): number {
  const p = PRESETS[config.preset].params;
  return maxClockAt(config.vdd, p.vdd ?? ENERGY_REFERENCE_VDD, p.clockMHz ?? 200);
}
