/** `imc-sim eval`, the real program in a temporary folder. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalFile } from '../../../src/network/eval-file.js';
import { cli, DATA, expectUserError, ROOT, tempDir } from './helpers.js';

const GRAPH = join(ROOT, 'examples/lenet300.graph.yaml');
const FILES = [join(DATA, 'lenet300.npz'), '--graph', GRAPH, '--inputs', join(DATA, 'mnist-test-images.npy'), '--labels', join(DATA, 'mnist-test-labels.npy')];
const run = (extra: string[]) => cli(['eval', ...FILES, '--limit', '20', '--no-progress', ...extra]);

describe('imc-sim eval', () => {
  it('prints one JSON document with the three accuracies and one run per format', () => {
    const r = run(['--json', '--format', 'coo,rl', '--prune', 'magnitude:0.5', '--weight-bits', '6', '--macros', '4']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc.accuracy)).toEqual(['float', 'integer', 'macro']);
    expect(doc.images).toBe(20);
    expect(doc.macro.macros).toBe(4);
    expect(doc.runs.map((x: { format: string }) => x.format)).toEqual(['coo', 'rl']);
    expect(doc.macroMatchesInteger).toBe(true);
    expect(doc.baselines.map((b: { name: string }) => b.name)).toEqual(['asic', 'systolic-asic', 'fpga', 'mobile-gpu']);
  });

  it('takes every macro flag run takes, and evalFile gives the same document', () => {
    const flags = ['--clock-mhz', '500 MHz', '--vdd', '0.8', '--write-bus-bits', '64', '--write-rows-per-cycle', '2', '--accumulator-bits', '40', '--bit-columns', '128', '--no-weights-resident', '--overlap-writes', '--tech-nm', '28'];
    const r = run(['--json', ...flags]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.macro).toMatchObject({ clockMHz: 500, vdd: 0.8, writeBusBits: 64, writeRowsPerCycle: 2, accumulatorBits: 40, bitColumns: 128, weightsResident: false, overlapWrites: true });
    const lib = evalFile({
      model: FILES[0]!, graph: GRAPH, inputs: FILES[4]!, labels: FILES[6]!, limit: 20,
      macroOverrides: { clockMHz: '500 MHz', vdd: 0.8, writeBusBits: 64, writeRowsPerCycle: 2, accumulatorBits: 40, bitColumns: 128, weightsResident: false, overlapWrites: true, techNm: 28 },
    }).document;
    const strip = (d: Record<string, unknown>): string => JSON.stringify({ ...d, seconds: 0 }, null, 2);
    expect(strip(JSON.parse(JSON.stringify(lib)))).toBe(strip(doc));
  });

  it("uses the preset's input bits, and --signed-inputs quantizes every layer signed", () => {
    const yue = JSON.parse(run(['--json', '--macro', 'yue-28nm']).stdout);
    expect([yue.inputBits, yue.macro.inputBits]).toEqual([4, 4]);
    const signed = JSON.parse(run(['--json', '--signed-inputs', '--input-bits', '6']).stdout);
    expect(signed.inputBits).toBe(6);
    expect(signed.runs[0].layers.map((l: { signedInputs: boolean }) => l.signedInputs)).toEqual([true, true, true]);
    const unsigned = JSON.parse(run(['--json']).stdout);
    expect(unsigned.runs[0].layers.map((l: { signedInputs: boolean }) => l.signedInputs)).toEqual([false, false, false]);
  });

  it('prints a readable report with a per-layer table', () => {
    const r = run(['--macro', 'redcim-28nm']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/macro redcim-28nm/);
    expect(r.stdout).toMatch(/^fc1 +784x300/m);
  });

  it('reads a macro config file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'macro.yaml'), 'macro:\n  rows: 128\n  macros: 2\n');
    const doc = JSON.parse(run(['--json', '--macro', join(dir, 'macro.yaml')]).stdout);
    expect([doc.macro.rows, doc.macro.macros]).toEqual([128, 2]);
  });

  it('names a graph problem in one line (exit 3)', () => {
    const dir = tempDir();
    const g = join(dir, 'bad.yaml');
    writeFileSync(g, 'layers: [{op: flatten}, {op: linear, weight: fc9.weight}]\n');
    expectUserError(cli(['eval', FILES[0]!, '--graph', g, ...FILES.slice(3), '--limit', '5']), 3, /no array 'fc9\.weight' in the model; available: fc1\.weight/);
  });

  it('refuses a missing macro file as run does (exit 2) and a bad macro value (exit 3), each in one line', () => {
    expectUserError(run(['--macro', 'no-such-macro']), 2, /--macro no-such-macro: not a preset \(sp-imc-28nm, .*\) and no such file/);
    expectUserError(cli(['run', join(DATA, 'mobilenetv1-conv6-pointwise.npy'), '--macro', 'no-such-macro']), 2, /--macro no-such-macro: not a preset/);
    expectUserError(run(['--vdd', '5', '--rows', '1']), 3, /macro\.rows must be an integer in \[2, 65536\]; got 1; macro\.vdd must be in \[0\.5, 1\.2\] V; got 5/);
  });

  it('evaluates without labels on seeded inputs: fidelity only, the same bytes on a rerun', () => {
    const args = ['eval', join(DATA, 'lenet5.npz'), '--graph', join(ROOT, 'examples/lenet5.graph.yaml'), '--inputs', 'random:6:7', '--json', '--no-progress'];
    const a = cli(args), b = cli(args);
    expect(a.code, a.stderr).toBe(0);
    const doc = JSON.parse(a.stdout);
    expect(doc.images).toBe(6);
    expect(doc.accuracy).toBeNull();
    expect(doc.fidelity.layers.map((l: { name: string }) => l.name)).toEqual(['conv1', 'conv2', 'fc1', 'fc2', 'fc3']);
    expect(doc.fidelity.outputSqnrDb).toBeGreaterThan(20);
    const strip = (t: string): string => t.replace(/"seconds": [0-9.e+-]+/, '');
    expect(strip(b.stdout)).toBe(strip(a.stdout));
    const text = cli(args.filter((x) => x !== '--json'));
    expect(text.stdout).toMatch(/accuracy: no labels given \(macro = integer on every image\)/);
    expect(text.stdout).toMatch(/fidelity vs the float model: output SQNR [0-9.]+ dB, top-1 agreement [0-9.]+%/);
  });

  it('refuses random inputs for a graph that does not declare its input shape (exit 3)', () => {
    const dir = tempDir();
    const g = join(dir, 'g.yaml');
    writeFileSync(g, 'layers: [{op: linear, weight: fc1.weight}]\n');
    expectUserError(cli(['eval', FILES[0]!, '--graph', g, '--inputs', 'random:3']), 3, /--inputs random:N needs the graph to declare its sample shape/);
  });

  it('places the model on chips × macros: placement per format in the JSON, the per-layer CSV and the plot', () => {
    const dir = tempDir();
    const csv = join(dir, 'placement.csv'), svg = join(dir, 'placement.svg');
    const r = run(['--json', '--format', 'coo,dense', '--chips', '2', '--macros-per-chip', '4', '--placement-csv', csv, '--placement-plot', svg]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.macro.macros).toBe(8);
    const pl = doc.runs[0].placement;
    expect(pl.topology).toMatchObject({ chips: 2, macrosPerChip: 4, macros: 8 });
    expect(pl.layers.map((l: { name: string }) => l.name)).toEqual(['fc1', 'fc2', 'fc3']);
    expect(pl.total.loads).toBe(doc.runs[0].total.mapping.loads);
    expect(pl.total.rewrites).toBe(doc.runs[0].total.mapping.rewrites);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^format,layer,loads,/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['coo,fc1', 'coo,fc2', 'coo,fc3', 'dense,fc1', 'dense,fc2', 'dense,fc3']);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg/);
    const text = run(['--chips', '2', '--macros-per-chip', '4']);
    expect(text.stdout).toMatch(/placement on 2 chip\(s\) × 4 macro\(s\)/);
  });

  it('refuses a contradictory topology in one line (exit 3), writing nothing', () => {
    const dir = tempDir();
    const csv = join(dir, 'p.csv');
    expectUserError(run(['--macros', '6', '--chips', '2', '--macros-per-chip', '4', '--placement-csv', csv]), 3, /--macros 6 contradicts --chips 2 × --macros-per-chip 4 = 8/);
    expect(existsSync(csv)).toBe(false);
  });
});
