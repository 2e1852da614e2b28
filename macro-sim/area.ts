/**
 * Macro area (28 nm): Σ component count × area per unit (`area-table.ts`), per format, because a
 * format decides the slot width (so the number of adder trees) and the input-routing hardware.
 *
 * Per macro (R rows = tree fan-in, C bit-columns, G weight sets, L = floor(C / entryBits) slots,
 * D = ceil(log2 R), b_w value bits, b_x input bits), × M macros:
 * - `array`: R · C · G stored bits (weights, indices, metadata, masks) [CACTI per-bit bank area].
 * - `multipliers`: one NOR2 per value bit that feeds a tree: L · R · b_w (index bits feed none; the G
 *   sets share them, as in ZigZag-IMC's `get_area`).
 * - `adderTree`: per slot, Σ_{l=1..D} ceil(R / 2^l) · (b_w + l − 1) full adders — the same node widths
 *   the `adderTreeFaBits` event counts (for R = 2^D it equals ZigZag-IMC's `R·(b_w+1) − (b_w+D+1)`).
 * - `shiftAccumulator`: per slot, `b_w + D + b_x` bits of full adder + register.
 * - `inputBuffer`: one b_x-bit register per input row a slot can reach: max(R, routing window) · b_x DFF.
 * - `inputRouting`: per slot, the network that brings each of the R positions its input row:
 *   coo and bitmask a log-depth expansion network over a window W (coo W = 2^b_i, bitmask W = R, the
 *   butterfly of Liu et al. ISSCC 2023 16.2): max(R, W) · ceil(log2 W) 2:1 muxes (a monotone
 *   mapping — indices sorted within a segment — routes without conflicts on such a network; each
 *   row passes log2 W levels, the levels the `inputRoutingMuxLevels` event counts); rl the same
 *   over the longest span one segment can cover, W = R · 2^b_r; nm one m:1 mux per position,
 *   R · (m − 1) 2:1 muxes; dense none.
 * - `rlDecode`: rl only, a prefix-sum adder per position of ceil(log2 W) bits: R · ceil(log2 W) FA.
 * - `control`: one sequencer per macro.
 */
import { ceilLog2 } from '../formats/segment-meta.js';
import type { EncodedMatrix, FormatId } from '../formats/types.js';
import type { AreaTable } from './area-table.js';
import type { MacroConfig } from './config.js';
import { treeDepth } from './slot-model.js';

/** What the area of a macro depends on from the format: its slot layout and routing parameters. */
export interface SlotShape {
  readonly format: FormatId;
  /** b_w: value bits per entry. */
  readonly valueBits: number;
  /** Value + index bits of one entry (the slot width). */
  readonly entryBits: number;
  /** coo index bits b_i, rl run bits b_r, nm group size m (unused by dense / bitmask). */
  readonly indexFieldBits: number;
  readonly params: Readonly<Record<string, number>>;
}

/** The slot shape of an encoding. */
export function slotShapeOf(enc: EncodedMatrix): SlotShape {
  return { format: enc.id, valueBits: enc.valueBits, entryBits: enc.entryBits, indexFieldBits: enc.indexFieldBits, params: enc.params };
}

/** Component counts of one macro (per macro; × M for the total). */
export interface AreaCounts {
  readonly bits: number;
  readonly multipliers: number;
  readonly treeFullAdders: number;
  readonly accumulatorBits: number;
  readonly inputBufferBits: number;
  readonly routingMux2: number;
  readonly rlDecodeFullAdders: number;
}

/** Area of M macros in mm², with a per-component breakdown (mm²) that sums to the total. */
export interface AreaResult {
  readonly totalMm2: number;
  readonly breakdownMm2: Record<string, number>;
  /** Per-macro component counts the breakdown prices. */
  readonly counts: AreaCounts;
}

/** Routing window W of a format's network, or 0 when positions route locally (dense, nm). */
function routingWindow(shape: SlotShape, R: number): number {
  switch (shape.format) {
    case 'coo':
      return 2 ** shape.indexFieldBits;
    case 'rl':
      return R * 2 ** shape.indexFieldBits;
    case 'bitmask':
      return R;
    default:
      return 0;
  }
}

/** Full adders of one slot's adder tree with all R positions present. */
export function treeFullAdders(R: number, valueBits: number): number {
  let n = 0;
  for (let l = 1, span = 2; l <= treeDepth(R); l++, span *= 2) n += Math.ceil(R / span) * (valueBits + l - 1);
  return n;
}

/**
 * Count the components of one macro of `config` laid out for `shape`.
 * @example areaCounts(resolveMacroConfig(), { format: 'dense', valueBits: 8, entryBits: 8, indexFieldBits: 0, params: {} }).treeFullAdders // 32 slots × 2287
 */
export function areaCounts(config: MacroConfig, shape: SlotShape): AreaCounts {
  const R = config.rows;
  const L = Math.floor(config.bitColumns / shape.entryBits);
  const D = treeDepth(R);
  const W = routingWindow(shape, R);
  const levels = W > 0 ? ceilLog2(W) : 0;
  const routingMux2 = shape.format === 'nm' ? R * (shape.params['m']! - 1) : W > 0 ? Math.max(R, W) * levels : 0;
  return {
    bits: R * config.bitColumns * config.weightSets,
    multipliers: L * R * shape.valueBits,
    treeFullAdders: L * treeFullAdders(R, shape.valueBits),
    accumulatorBits: L * (shape.valueBits + D + config.inputBits),
    inputBufferBits: Math.max(R, W) * config.inputBits,
    routingMux2: L * routingMux2,
    rlDecodeFullAdders: shape.format === 'rl' ? L * R * levels : 0,
  };
}

/**
 * Area of the `config.macros` macros laid out for `shape`, priced with `table`.
 * @example macroArea(cfg, slotShapeOf(enc), DEFAULT_AREA_TABLE).totalMm2
 */
export function macroArea(config: MacroConfig, shape: SlotShape, table: AreaTable): AreaResult {
  const c = areaCounts(config, shape);
  const um2: Record<string, number> = {
    array: c.bits * table.bitcellUm2,
    multipliers: c.multipliers * table.multiplierUm2,
    adderTree: c.treeFullAdders * table.adderTreeFaUm2,
    shiftAccumulator: c.accumulatorBits * (table.fullAdderUm2 + table.dffUm2),
    inputBuffer: c.inputBufferBits * table.dffUm2,
    inputRouting: c.routingMux2 * table.mux2Um2,
    rlDecode: c.rlDecodeFullAdders * table.fullAdderUm2,
    control: table.controlUm2,
  };
  const breakdownMm2: Record<string, number> = {};
  let totalMm2 = 0;
  for (const k of Object.keys(um2)) {
    const mm2 = (um2[k]! * config.macros) / 1e6;
    breakdownMm2[k] = mm2;
    totalMm2 += mm2;
  }
  return { totalMm2, breakdownMm2, counts: c };
}
