/**
 * `imc-sim export-rtl`: one layer in one format as the files an RTL testbench needs to check a sparse
 * macro against this simulator (docs/RTL-EXPORT.md): every load's array image, the slots' registers,
 * the input bit-planes in the order the macro consumes them, the expected per-load partial sums,
 * compute cycles and final outputs, a map and a manifest with hashes.
 *
 * The layer is prepared, encoded and simulated by `runFile` (the same numbers `imc-sim run` prints);
 * the per-load expectations come from macro-sim/load-partials.ts and are checked against that run
 * before anything is written (their sum must be the run's outputs, their cycles its compute cycles).
 * All files are built in memory, written into a fresh sibling folder and renamed into place: an error
 * leaves nothing behind. The bytes depend only on the inputs (no timestamps, no paths).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, InternalError } from '../../errors.js';
import { parseFormatSpec } from '../../formats/registry.js';
import type { EncodedMatrix } from '../../formats/types.js';
import { loadImage, type LoadImage } from '../../macro-sim/array-image.js';
import type { MacroConfig } from '../../macro-sim/config.js';
import { loadPartials } from '../../macro-sim/load-partials.js';
import { mapMatrix } from '../../macro-sim/mapping.js';
import { isEncoded } from '../encode/encode-layer.js';
import { runFile, type RunFileOptions } from '../run/run-file.js';
import { VERSION } from '../version.js';

/** Formats the RTL model (rtl/sp_imc_macro.sv) decodes, with its FORMAT parameter. */
export const RTL_FORMATS = { dense: 0, coo: 1, rl: 2, nm: 3 } as const;

/** Options of {@link exportRtl}: those of `runFile` for one layer, one format and the output folder. */
export interface ExportRtlOptions extends Omit<RunFileOptions, 'formats' | 'baselines' | 'sqnr' | 'keepOutputs'> {
  /** One format spec the RTL model decodes: `dense`, `coo[:b_i]`, `rl[:b_r]`, `nm:N:m`. */
  readonly format: string;
  /** Output folder: created; an existing non-empty one is refused unless `force`. */
  readonly out: string;
  /** Replace an existing non-empty output folder. */
  readonly force?: boolean;
}

/** What {@link exportRtl} wrote. */
export interface RtlExport {
  /** The output folder (absolute). */
  readonly dir: string;
  /** manifest.json's content. */
  readonly manifest: RtlManifest;
}

/** manifest.json: the export's parameters, its expectations in brief and every file's hash. */
export interface RtlManifest {
  readonly tool: 'imc-sim';
  readonly version: string;
  readonly layer: string;
  readonly format: string;
  readonly formatId: keyof typeof RTL_FORMATS;
  readonly params: Readonly<Record<string, number>>;
  readonly prune: string;
  readonly matrix: { readonly rows: number; readonly cols: number; readonly nnz: number };
  readonly valueBits: number;
  readonly indexBits: number;
  readonly entryBits: number;
  readonly macro: {
    readonly rows: number; readonly bitColumns: number; readonly slotsPerLoad: number; readonly macros: number;
    readonly inputBits: number; readonly signedInputs: boolean; readonly skipZeroBitPlanes: boolean; readonly accumulatorBits: number;
  };
  readonly batch: number;
  readonly loads: number;
  readonly segments: number;
  /** Compute cycles over all loads (= the run's `timing.computeCycles`). */
  readonly computeCycles: number;
  /** File name → { bytes, sha256 } for every file but the manifest. */
  readonly files: Readonly<Record<string, { readonly bytes: number; readonly sha256: string }>>;
}

/**
 * Export one layer in one format for RTL verification (see the file comment). Throws ConfigError for a
 * format the RTL model does not decode, a model file without `array`, or an existing non-empty `out`
 * without `force` — all before any work — and whatever `runFile` throws for the layer.
 *
 * @example exportRtl({ file: 'layer.npy', prune: 'magnitude:0.9', format: 'coo', batch: 4, out: 'rtl-out' }).manifest.loads
 */
export function exportRtl(o: ExportRtlOptions): RtlExport {
  if (o.format.includes(',')) throw new ConfigError('RTL_ONE_FORMAT', `export-rtl writes one format; got ${o.format}: pick one`);
  const id = parseFormatSpec(o.format, 1 << 20).codec.id;
  if (!(id in RTL_FORMATS)) {
    throw new ConfigError('RTL_UNSUPPORTED_FORMAT', `the RTL model decodes ${Object.keys(RTL_FORMATS).join(', ')}; ${o.format} is not one of them (bitmask needs the mask butterfly, which rtl/sp_imc_macro.sv does not model): pick --format dense|coo|rl|nm:N:m`);
  }
  const dir = path.resolve(o.out);
  checkOutputFolder(dir, o.force === true);

  const result = runFile({ ...o, formats: o.format, baselines: false, sqnr: false, keepOutputs: true });
  if (result.model) {
    throw new ConfigError('RTL_ONE_LAYER', `export-rtl writes one layer; ${result.file} holds ${result.runs.length} weight arrays: add --array NAME`);
  }
  const run = result.runs[0]!, macro = result.macro;
  const encoding = run.encoded.encodings[0]!;
  if (!isEncoded(encoding)) throw new ConfigError('RTL_INFEASIBLE', `${o.format} cannot hold this layer: ${encoding.reason}`);
  const enc = encoding.encoded;
  if (macro.accumulatorBits > 64) {
    throw new ConfigError('RTL_ACCUMULATOR', `the RTL model's accumulators are 64 bits; the macro has accumulatorBits ${macro.accumulatorBits}: pass --accumulator-bits 64 or fewer`);
  }
  const files = buildFiles(enc, { data: run.inputs.q, batch: run.inputs.batch }, macro, run.outputs!, (run.formats[0] as { timing: { computeCycles: number } }).timing.computeCycles);
  const manifest: RtlManifest = {
    tool: 'imc-sim',
    version: VERSION,
    layer: run.prepared.name,
    format: enc.format,
    formatId: enc.id as keyof typeof RTL_FORMATS,
    params: enc.params,
    prune: run.prepared.prune,
    matrix: { rows: enc.rows, cols: enc.cols, nnz: enc.nnz },
    valueBits: enc.valueBits,
    indexBits: enc.indexFieldBits,
    entryBits: enc.entryBits,
    macro: {
      rows: macro.rows, bitColumns: macro.bitColumns, slotsPerLoad: files.slotsPerLoad, macros: macro.macros,
      inputBits: macro.inputBits, signedInputs: macro.signedInputs, skipZeroBitPlanes: macro.skipZeroBitPlanes, accumulatorBits: macro.accumulatorBits,
    },
    batch: run.inputs.batch,
    loads: files.loads,
    segments: enc.segments.length,
    computeCycles: files.computeCycles,
    files: Object.fromEntries([...files.contents].map(([name, text]) => [name, { bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') }])),
  };
  files.contents.set('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
  writeFolder(dir, files.contents, o.force === true);
  return { dir, manifest };
}

/** Refuse an existing non-empty folder (unless `force`) or a path that is a file. */
function checkOutputFolder(dir: string, force: boolean): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new ConfigError('RTL_OUT_NOT_FOLDER', `${dir} is a file, not a folder: pick another -o`);
    throw new ConfigError('RTL_OUT_UNREADABLE', `cannot read output folder ${dir}: ${(e as Error).message}`);
  }
  if (entries.length > 0 && !force) {
    throw new ConfigError('RTL_OUT_NOT_EMPTY', `output folder ${dir} is not empty (${entries.length} entries): pick another -o, or pass --force to replace it`);
  }
}

/** Write `contents` into a fresh sibling folder, then put it in place of `dir` (nothing is left behind on error). */
function writeFolder(dir: string, contents: ReadonlyMap<string, string>, force: boolean): void {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(dir), `.${path.basename(dir)}.partial-`));
  try {
    for (const [name, text] of contents) fs.writeFileSync(path.join(tmp, name), text);
    if (force && fs.existsSync(dir)) fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir); // an existing empty folder is replaced
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new ConfigError('RTL_WRITE_FAILED', `cannot write ${dir}: ${(e as Error).message}`);
  }
}

/** Hex digits of the low `bits` bits of an LSB-first byte array, most significant digit first ($readmemh order). */
export function hexOfBits(bytes: Uint8Array, offset: number, bits: number): string {
  const digits = Math.ceil(bits / 4);
  let s = '';
  for (let d = digits - 1; d >= 0; d--) {
    const byte = bytes[offset + (d >> 1)] ?? 0;
    let v = (d & 1 ? byte >> 4 : byte) & 15;
    const top = bits - 4 * d; // bits of this digit inside the field
    if (top < 4) v &= (1 << top) - 1;
    s += v.toString(16);
  }
  return s;
}

/** 64-bit two's complement hex of an exact integer (|v| < 2^63). */
export function hex64(v: number): string {
  return BigInt.asUintN(64, BigInt(v)).toString(16).padStart(16, '0');
}

const hex32 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

interface BuiltFiles {
  readonly contents: Map<string, string>;
  readonly loads: number;
  readonly slotsPerLoad: number;
  readonly computeCycles: number;
}

/** Every file but the manifest, after checking the per-load expectations against the run. */
function buildFiles(enc: EncodedMatrix, inputs: { data: Int32Array; batch: number }, macro: MacroConfig, outputs: Float64Array, runComputeCycles: number): BuiltFiles {
  const { loads, slotsPerLoad: L } = mapMatrix(enc, macro);
  const R = macro.rows, C = macro.bitColumns, K = enc.rows, N = enc.cols, B = inputs.batch, bx = macro.inputBits;
  const array: string[] = [], slots: string[] = [], partials: string[] = [], cycles: string[] = [];
  const map = ['load,macro,round,slot,segment,column,base,count,first_bit_column,last_bit_column'];
  const sums = new Float64Array(B * N);
  let computeCycles = 0;
  for (let ld = 0; ld < loads; ld++) {
    const image: LoadImage = loadImage(enc, macro, ld);
    for (let r = 0; r < R; r++) array.push(hexOfBits(image.bits, r * image.rowBytes, C));
    for (let j = 0; j < L; j++) {
      const s = image.slots[j];
      slots.push(s ? hex32(s.column) + hex32(s.base) + hex32(s.count) : '0'.repeat(24));
      if (s) map.push(`${ld},${image.macro},${image.round},${j},${s.segment},${s.column},${s.base},${s.count},${j * enc.entryBits},${(j + 1) * enc.entryBits - 1}`);
    }
    const lp = loadPartials(enc, inputs, macro, ld);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < L; j++) {
        const v = j < lp.slots ? lp.partials[b * lp.slots + j]! : 0;
        partials.push(hex64(v));
        if (j < lp.slots) sums[b * N + image.slots[j]!.column] += v;
      }
    }
    cycles.push(hex32(lp.computeCycles));
    computeCycles += lp.computeCycles;
  }
  // The per-load expectations must add up to what the simulator computed (a bug otherwise).
  for (let i = 0; i < sums.length; i++) {
    if (sums[i] !== outputs[i]) throw new InternalError('RTL_EXPECTATION_MISMATCH', `per-load partial sums give output [${Math.floor(i / N)}, ${i % N}] = ${sums[i]}, the simulator ${outputs[i]}`);
  }
  if (computeCycles !== runComputeCycles) throw new InternalError('RTL_EXPECTATION_MISMATCH', `per-load compute cycles add up to ${computeCycles}, the simulator counts ${runComputeCycles}`);

  const planes: string[] = [];
  const bitsOf = new Uint8Array(Math.ceil(K / 8));
  for (let b = 0; b < B; b++) {
    for (let p = 0; p < bx; p++) {
      bitsOf.fill(0);
      for (let k = 0; k < K; k++) if ((inputs.data[b * K + k]! >> p) & 1) bitsOf[k >> 3] |= 1 << (k & 7);
      planes.push(hexOfBits(bitsOf, 0, K));
    }
  }
  const out: string[] = [];
  for (let i = 0; i < B * N; i++) out.push(hex64(outputs[i]!));
  const nm = enc.id === 'nm' ? enc.params : { n: 1, m: 2 };
  const params = [
    '// Parameters of this export for rtl/tb_sp_imc_macro.sv (written by imc-sim export-rtl).',
    `\`define IMC_R ${R}`, `\`define IMC_C ${C}`, `\`define IMC_E ${enc.entryBits}`, `\`define IMC_BW ${enc.valueBits}`,
    `\`define IMC_FORMAT ${RTL_FORMATS[enc.id as keyof typeof RTL_FORMATS]}`, `\`define IMC_NM_N ${nm['n']}`, `\`define IMC_NM_M ${nm['m']}`,
    `\`define IMC_K ${K}`, `\`define IMC_N ${N}`, `\`define IMC_B ${B}`, `\`define IMC_L ${L}`, `\`define IMC_BX ${bx}`,
    `\`define IMC_SIGNED_IN ${macro.signedInputs ? 1 : 0}`, `\`define IMC_SKIP ${macro.skipZeroBitPlanes ? 1 : 0}`, `\`define IMC_LOADS ${loads}`,
  ];
  const lines = (xs: readonly string[]): string => xs.join('\n') + '\n';
  const contents = new Map<string, string>([
    ['array.mem', lines(array)],
    ['slots.mem', lines(slots)],
    ['planes.mem', lines(planes)],
    ['partials.mem', lines(partials)],
    ['cycles.mem', lines(cycles)],
    ['outputs.mem', lines(out)],
    ['params.vh', lines(params)],
    ['map.csv', lines(map)],
  ]);
  return { contents, loads, slotsPerLoad: L, computeCycles };
}
