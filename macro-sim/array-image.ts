/**
 * The physical contents of the macro's array for one load (MODEL §5): what an RTL implementation of
 * the macro must hold, bit for bit, to compute what this simulator computes.
 *
 * Layout of one load (R rows × C bit-columns):
 * - slot `j` (segment `s = ℓ·L + j`, in stream order, `L = floor(C / E)`) occupies bit-columns
 *   `[j·E, j·E + E)`, `E = entryBits`;
 * - row `i` of the slot holds the segment's `i`-th physical entry exactly as the packed stream holds
 *   it (MODEL §4): the value field (b_w bits, two's complement) at bit-columns `j·E … j·E + b_w − 1`,
 *   LSB first, then the index/run field (coo local row, rl run, nm in-group index) above it, LSB
 *   first — so an entry's bits are the stream's bits `[offset_s + i·E, offset_s + i·E + E)`;
 * - rows `count_s … R − 1` of a slot (padding), the slots past the last segment and the
 *   `C − L·E` bit-columns no slot uses are zero.
 * The per-slot registers — the segment's column, base row and entry count — sit beside the array
 * ({@link SlotPlacement}); they are the `b_base + b_count` metadata bits MODEL §4 accounts for.
 */
import type { EncodedMatrix } from '../formats/types.js';
import type { MacroConfig } from './config.js';
import { slotsPerLoad } from './slot-model.js';

/** Where one segment sits: its load and slot, and the registers beside its slot. */
export interface SlotPlacement {
  /** Slot index in the load, 0…L−1: bit-columns `[slot·E, slot·E + E)`. */
  readonly slot: number;
  /** Segment index in stream order. */
  readonly segment: number;
  /** Output column j of the segment. */
  readonly column: number;
  /** Base row of the segment (row of its first entry; dense/nm: first row of its row range). */
  readonly base: number;
  /** Physical entries (rows used) of the slot, including rl fillers and nm padding entries. */
  readonly count: number;
}

/** One load of the array: its place on the macros, its slots and its R × C bits. */
export interface LoadImage {
  /** Load index ℓ, in the order the simulator runs them. */
  readonly load: number;
  /** The macro it runs on (`ℓ mod M`) and its round (`floor(ℓ / M)`). */
  readonly macro: number;
  readonly round: number;
  /** The occupied slots, in slot order (all L but in the last load). */
  readonly slots: readonly SlotPlacement[];
  /** Bytes per row: `ceil(C / 8)`. */
  readonly rowBytes: number;
  /** R rows of `rowBytes` bytes: bit-column c of row r is bit `c mod 8` of byte `r·rowBytes + floor(c / 8)`. */
  readonly bits: Uint8Array;
}

/**
 * The array image of load `load` of `enc` on `config` (see the file comment for the layout).
 * Throws RangeError for a load outside `0 … loads − 1`.
 *
 * @example loadImage(enc, cfg, 0).slots[0] // { slot: 0, segment: 0, column: 0, base: 3, count: 5 }
 */
export function loadImage(enc: EncodedMatrix, config: MacroConfig, load: number): LoadImage {
  const L = slotsPerLoad(enc, config);
  const S = enc.segments.length;
  const loads = Math.ceil(S / L);
  if (!Number.isInteger(load) || load < 0 || load >= loads) throw new RangeError(`loadImage: load ${load} is not one of the ${loads} loads`);
  const R = config.rows, E = enc.entryBits, rowBytes = Math.ceil(config.bitColumns / 8);
  const bits = new Uint8Array(R * rowBytes);
  const { col, base, count, offset } = enc.segments;
  const stream = enc.stream;
  const slots: SlotPlacement[] = [];
  for (let s = load * L, j = 0; s < Math.min(S, load * L + L); s++, j++) {
    const n = count[s]!;
    slots.push({ slot: j, segment: s, column: col[s]!, base: base[s]!, count: n });
    // Copy the entries bit by bit: stream bit t is bit t mod 8 of byte floor(t / 8) (MODEL §4).
    for (let i = 0; i < n; i++) {
      const from = offset[s]! + i * E, row = i * rowBytes;
      for (let b = 0; b < E; b++) {
        const t = from + b;
        if ((stream[Math.floor(t / 8)]! >> (t % 8)) & 1) {
          const c = j * E + b;
          bits[row + (c >> 3)] |= 1 << (c & 7);
        }
      }
    }
  }
  return { load, macro: load % config.macros, round: Math.floor(load / config.macros), slots, rowBytes, bits };
}

/** Bit `c` of row `r` of an image (0 or 1). */
export function imageBit(image: LoadImage, r: number, c: number): number {
  return (image.bits[r * image.rowBytes + (c >> 3)]! >> (c & 7)) & 1;
}
