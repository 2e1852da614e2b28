/**
 * The behavioural RTL model (rtl/sp_imc_macro.sv) under Icarus Verilog reproduces the simulator on real
 * layers: every slot's partial sum, every output and every load's compute cycles (issue 14). CI installs
 * iverilog (.ci/run); on a machine without it this file is skipped, except under CI, where it must run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../../src/io/npy.js';
import { exportRtl, type ExportRtlOptions } from '../../../src/rtl/export-rtl.js';
import { hasIverilog, verifyRtlExport } from '../../../src/rtl/verify-rtl.js';
import { DATA, tempDir } from '../cli/helpers.js';

const RUN = hasIverilog() || process.env['CI'] !== undefined;
const LENET = join(DATA, 'lenet300.npz');
const MOBILENET = join(DATA, 'mobilenetv1-conv6-pointwise.npy');

/** Seeded float activations in [−1, 1) as an .npy (quantized to signed b_x-bit inputs by the run). */
function signedActivations(path: string, batch: number, K: number): string {
  let s = 12345;
  const data = Float32Array.from({ length: batch * K }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31) - 1);
  writeFileSync(path, encodeNpy({ dtype: 'float32', shape: [batch, K], data }));
  return path;
}

// The bundled MobileNetV1 conv6 pointwise layer (pruned 90 %, as `run` does with no file) and LeNet-300 fc2 pruned 2:4,
// in each format the model decodes, at two weight precisions, signed and unsigned inputs, with and
// without bit-plane skipping.
const cases: Array<{ name: string; o: Omit<ExportRtlOptions, 'out'> }> = [
  { name: 'MobileNet conv6 90 %, coo, 8-bit', o: { format: 'coo', batch: 2 } },
  { name: 'MobileNet conv6 90 %, rl:4, 4-bit, signed inputs', o: { format: 'rl:4', weightBits: 4, inputs: 'signed', macroOverrides: { signedInputs: true } } },
  { name: 'MobileNet conv6 90 %, dense, 4-bit, 128 rows, no plane skipping', o: { format: 'dense', weightBits: 4, batch: 1, macroOverrides: { rows: 128, skipZeroBitPlanes: false } } },
  { name: 'LeNet fc2 2:4, nm:2:4, 8-bit', o: { file: LENET, array: 'fc2.weight', prune: 'nm:2:4', format: 'nm:2:4', batch: 2 } },
  { name: 'LeNet fc2 2:4, nm:2:4, 4-bit, 6-bit inputs', o: { file: LENET, array: 'fc2.weight', prune: 'nm:2:4', format: 'nm:2:4', weightBits: 4, batch: 2, macroOverrides: { inputBits: 6 } } },
  { name: 'LeNet fc2 2:4, rl:2 (fillers), 6-bit, 64 rows', o: { file: LENET, array: 'fc2.weight', prune: 'nm:2:4', format: 'rl:2', weightBits: 6, batch: 2, macroOverrides: { rows: 64 } } },
];

describe.skipIf(!RUN)('the RTL model under Icarus Verilog', () => {
  it.each(cases)('$name: every partial sum, output and load cycle count equals the simulator', ({ o }) => {
    const dir = tempDir(), out = join(dir, 'rtl');
    const inputs = o.inputs === 'signed' ? signedActivations(join(dir, 'x.npy'), 2, 256) : o.inputs;
    const { manifest } = exportRtl({ file: MOBILENET, prune: 'magnitude:0.9', ...o, ...(inputs ? { inputs } : {}), out });
    const v = verifyRtlExport(out);
    expect(v.summary, v.log).toMatch(new RegExp(`^RTL-CHECK PASS: ${manifest.loads} loads, ${manifest.batch} vectors, .* ${manifest.computeCycles} compute cycles as expected$`));
    expect(v.pass).toBe(true);
  }, 120_000);

  it('fails on an image with one flipped bit', () => {
    const out = join(tempDir(), 'rtl');
    exportRtl({ file: LENET, array: 'fc2.weight', prune: 'magnitude:0.5', format: 'dense', weightBits: 6, batch: 2, macroOverrides: { rows: 64 }, out });
    // dense: row i of slot 0 of load 0 holds weight (row i, column 0), value LSB at bit-column 0.
    // Flip it on a row whose input is nonzero in some vector, so the partial sum must change.
    const planes = readFileSync(join(out, 'planes.mem'), 'utf8').trimEnd().split('\n').map((l) => BigInt(`0x${l}`));
    const row = [...Array(64).keys()].find((i) => planes.some((p) => (p >> BigInt(i)) & 1n))!;
    const image = readFileSync(join(out, 'array.mem'), 'utf8').split('\n');
    const line = image[row]!;
    image[row] = line.slice(0, -1) + (parseInt(line.slice(-1), 16) ^ 1).toString(16);
    writeFileSync(join(out, 'array.mem'), image.join('\n'));
    const v = verifyRtlExport(out);
    expect(v.pass).toBe(false);
    expect(v.summary).toMatch(/^RTL-CHECK FAIL: [1-9]\d* partial sums, [1-9]\d* of 200 outputs and 0 of \d+ load cycle counts differ$/);
    expect(v.log).toMatch(/mismatch: load 0 vector \d slot 0: partial sum/);
  }, 120_000);
});
