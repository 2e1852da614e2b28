import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, FormatError } from '../../../errors.js';
import { exportRtl, hex64, hexOfBits } from '../../../src/rtl/export-rtl.js';
import { runFile } from '../../../src/run/run-file.js';
import { cli, DATA, expectUserError, ROOT, tempDir } from '../cli/helpers.js';

const LENET = join(DATA, 'lenet300.npz');
const base = { file: LENET, array: 'fc2.weight', prune: 'magnitude:0.8', weightBits: 6, batch: 3, macroOverrides: { rows: 64, bitColumns: 128 } };
const lines = (dir: string, name: string): string[] => readFileSync(join(dir, name), 'utf8').trimEnd().split('\n');

describe('exportRtl', () => {
  it('writes every file the testbench reads, sized by the manifest, hashed, and checked against run', () => {
    const dir = join(tempDir(), 'out');
    const { manifest: m } = exportRtl({ ...base, format: 'coo', out: dir });
    expect(readdirSync(dir).sort()).toEqual(['array.mem', 'cycles.mem', 'manifest.json', 'map.csv', 'outputs.mem', 'params.vh', 'partials.mem', 'planes.mem', 'slots.mem']);
    expect(m).toMatchObject({ layer: 'fc2.weight', format: 'coo:9', formatId: 'coo', matrix: { rows: 300, cols: 100 }, valueBits: 6, indexBits: 9, entryBits: 15, batch: 3 });
    expect(m.macro).toMatchObject({ rows: 64, bitColumns: 128, slotsPerLoad: 8, inputBits: 8 });
    const R = 64, L = 8, B = 3;
    expect(lines(dir, 'array.mem')).toHaveLength(m.loads * R);
    expect(lines(dir, 'array.mem').every((l) => /^[0-9a-f]{32}$/.test(l))).toBe(true); // 128 bit-columns
    expect(lines(dir, 'slots.mem')).toHaveLength(m.loads * L);
    expect(lines(dir, 'planes.mem')).toHaveLength(B * 8);
    expect(lines(dir, 'planes.mem')[0]).toMatch(/^[0-9a-f]{75}$/); // K = 300 bits
    expect(lines(dir, 'partials.mem')).toHaveLength(m.loads * B * L);
    expect(lines(dir, 'cycles.mem')).toHaveLength(m.loads);
    expect(lines(dir, 'map.csv')).toHaveLength(1 + m.segments);
    for (const [name, f] of Object.entries(m.files)) {
      const bytes = readFileSync(join(dir, name));
      expect({ name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }).toEqual({ name, ...f });
    }
    // the outputs and the cycles are those imc-sim run reports for the same options
    const run = runFile({ ...base, formats: 'coo', keepOutputs: true, baselines: false, sqnr: false });
    expect(lines(dir, 'outputs.mem')).toEqual(Array.from(run.runs[0]!.outputs!, hex64));
    expect(m.computeCycles).toBe((run.document as { formats: { timing: { computeCycles: number } }[] }).formats[0]!.timing.computeCycles);
    expect(lines(dir, 'params.vh')).toContain('`define IMC_FORMAT 1');
  });

  it('is deterministic: the same options give the same bytes', () => {
    const a = join(tempDir(), 'a'), b = join(tempDir(), 'b');
    exportRtl({ ...base, format: 'rl:3', out: a });
    exportRtl({ ...base, format: 'rl:3', out: b });
    for (const name of readdirSync(a)) expect(readFileSync(join(b, name))).toEqual(readFileSync(join(a, name)));
  });

  it('refuses what the RTL model does not support, a non-empty folder and a model file, before writing anything', () => {
    const root = tempDir();
    const out = join(root, 'x');
    expect(() => exportRtl({ ...base, format: 'bitmask', out })).toThrow(/RTL model decodes dense, coo, rl, nm/);
    expect(() => exportRtl({ ...base, format: 'coo,rl', out })).toThrow(ConfigError);
    expect(() => exportRtl({ ...base, array: undefined, format: 'coo', out })).toThrow(/writes one layer.*--array/);
    // an N:m format on weights that violate it: the encoder's error, and nothing is left behind
    expect(() => exportRtl({ ...base, format: 'nm:1:4', out })).toThrow(FormatError);
    expect(readdirSync(root)).toEqual([]);
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'mine');
    expect(() => exportRtl({ ...base, format: 'coo', out })).toThrow(/not empty.*--force/);
    expect(readdirSync(out)).toEqual(['keep.txt']);
    exportRtl({ ...base, format: 'coo', out, force: true });
    expect(existsSync(join(out, 'keep.txt'))).toBe(false);
    expect(readdirSync(root)).toEqual(['x']); // no partial folder beside it
  });

  it('writes the worked example of docs/RTL-EXPORT.md line for line', () => {
    const out = join(tempDir(), 'example');
    const ex = join(ROOT, 'fixtures/rtl');
    exportRtl({ file: join(ex, 'worked-example.npy'), inputs: join(ex, 'worked-example-x.npy'), weightBits: 4, format: 'coo', macroOverrides: { rows: 4, bitColumns: 16, inputBits: 4 }, out });
    expect(lines(out, 'array.mem')).toEqual(['0283', '002e', '0051', '0000']);
    expect(lines(out, 'slots.mem')).toEqual(['000000000000000100000003', '000000010000000000000001']);
    expect(lines(out, 'planes.mem')).toEqual(['4a', '09', '40', '00', '04', '04', '06', '04']);
    expect(lines(out, 'partials.mem').map((h) => parseInt(h, 16))).toEqual([2, 10, 12, 0]);
    expect(lines(out, 'outputs.mem').map((h) => parseInt(h, 16))).toEqual([2, 10, 12, 0]);
    expect(lines(out, 'cycles.mem')).toEqual(['00000004']);
    expect(lines(out, 'map.csv')[1]).toBe('0,0,0,0,0,0,1,3,0,6');
  });

  it('formats hex as $readmemh reads it', () => {
    expect(hexOfBits(Uint8Array.of(0x83, 0x02), 0, 16)).toBe('0283');
    expect(hexOfBits(Uint8Array.of(0xff, 0xff), 0, 10)).toBe('3ff');
    expect(hexOfBits(Uint8Array.of(0x0f), 0, 3)).toBe('7');
    expect(hex64(-1)).toBe('ffffffffffffffff');
    expect(hex64(255)).toBe('00000000000000ff');
  });
});

describe('imc-sim export-rtl', () => {
  it('writes the export and names its files (no --verify)', () => {
    const cwd = tempDir();
    const r = cli(['export-rtl', LENET, '--array', 'fc2.weight', '--prune', 'nm:2:4', '--format', 'nm:2:4', '--batch', '2', '-o', 'out'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote out\/: fc2\.weight \[300, 100\] in nm:2:4, \d+ loads of \d+ slots × 256 rows × 256 bit-columns, 2 input vectors × 8 bit-planes/);
    expect(JSON.parse(readFileSync(join(cwd, 'out', 'manifest.json'), 'utf8'))).toMatchObject({ format: 'nm:2:4', prune: 'nm:2:4' });
  });

  it('refuses bitmask and an occupied folder in one line each (exit 3)', () => {
    const cwd = tempDir();
    expectUserError(cli(['export-rtl', LENET, '--array', 'fc2.weight', '--format', 'bitmask', '-o', 'out'], cwd), 3, /RTL model decodes dense, coo, rl, nm/);
    mkdirSync(join(cwd, 'full'));
    writeFileSync(join(cwd, 'full', 'a'), '');
    expectUserError(cli(['export-rtl', LENET, '--array', 'fc2.weight', '--format', 'coo', '-o', 'full'], cwd), 3, /not empty/);
  });
});
