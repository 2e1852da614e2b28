/**
 * The sweep accepts exactly what `run` and the library accept, and refuses exactly what they
 * refuse: formats (the format registry), pruning (`parsePruneSpec`), macro parameters and whole
 * macros (`loadMacroConfig`, the route every command takes), and the preparation options —
 * property-tested over generated values and generated specs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImcError } from '../../../errors.js';
import { parseFormatSpec } from '../../../formats/registry.js';
import { MACRO_PARAMS } from '../../../macro-sim/params.js';
import { checkSeed, checkZeroFraction } from '../../../macro-sim/random-inputs.js';
import { loadMacroConfig } from '../../../src/io/macro-file.js';
import { checkBatch } from '../../../src/prep/inputs.js';
import { parseLayoutList } from '../../../src/prep/layout.js';
import { parsePruneSpec } from '../../../src/prep/prune.js';
import { checkGranularity, checkWeightBits } from '../../../src/prep/quantize.js';
import { parseSweepSpec } from '../../../src/sweep/spec.js';

/** Whether `f` runs without an ImcError (anything else is a bug and fails the test). */
function accepts(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    if (e instanceof ImcError) return false;
    throw e;
  }
}

const sweepAccepts = (axes: Record<string, unknown[]>, kind: 'file' | 'network' = 'file'): boolean =>
  accepts(() => parseSweepSpec({ workload: kind === 'file' ? { file: 'w.npy' } : { model: 'm.npz' }, axes: { format: ['coo'], ...axes } }, '/d'));
const pointAccepts = (point: Record<string, unknown>): boolean =>
  accepts(() => parseSweepSpec({ workload: { file: 'w.npy' }, points: [{ format: 'coo', ...point }] }, '/d'));

const word = fc.oneof(
  fc.integer({ min: -2, max: 40 }).map(String),
  fc.constantFrom('', 'x', '01', '1.5', '99999999999', ' 3', '4 '),
);
const ratio = fc.oneof(fc.constantFrom('0', '1', '0.5', '.25', '1.5', '-0.1', '1e-1', '2e0', 'x', ''), fc.double({ min: -0.5, max: 1.5, noNaN: true }).map(String));

describe('the sweep spec and run share one grammar', () => {
  it('format: the sweep accepts a spec exactly when the format registry does', () => {
    const spec = fc.tuple(fc.constantFrom('dense', 'bitmask', 'coo', 'rl', 'nm', 'COO', 'Nm', 'csr', ''), fc.array(word, { maxLength: 3 })).map(([id, ps]) => [id, ...ps].join(':'));
    fc.assert(fc.property(spec, (s) => void expect(sweepAccepts({ format: [s] })).toBe(accepts(() => parseFormatSpec(s, 784)))), { numRuns: 400 });
    expect(sweepAccepts({ format: ['coo:0'] })).toBe(true);
    expect(sweepAccepts({ format: ['coo,rl'] })).toBe(false);
  });

  it('prune: the sweep accepts a spec exactly when parsePruneSpec does', () => {
    const spec = fc.oneof(
      fc.tuple(fc.constantFrom('none', 'magnitude', 'MAGNITUDE', 'foo'), fc.array(ratio, { maxLength: 2 })).map(([r, ps]) => [r, ...ps].join(':')),
      fc.tuple(fc.constantFrom('nm', 'block', 'bcr'), fc.array(fc.oneof(word, ratio), { maxLength: 4 })).map(([r, ps]) => [r, ...ps].join(':')),
    );
    fc.assert(fc.property(spec, (s) => void expect(sweepAccepts({ prune: [s] })).toBe(accepts(() => parsePruneSpec(s)))), { numRuns: 400 });
  });

  it('every macro parameter: the sweep accepts a value exactly when the macro config does', () => {
    const value = fc.oneof(
      fc.integer({ min: -10, max: 2_000_000 }),
      fc.double({ min: -10, max: 200_000, noNaN: true }),
      fc.boolean(),
      fc.constantFrom('1 GHz', '250 MHz', '0.8 V', '800 mV', '256', '0.9', 'true', 'abc', '5 kg', null),
    );
    const param = fc.constantFrom(...MACRO_PARAMS.map((p) => p.key));
    fc.assert(
      fc.property(param, value, (key, v) => void expect(sweepAccepts({ [key]: [v] })).toBe(accepts(() => loadMacroConfig(undefined, { [key]: v })))),
      { numRuns: 600 },
    );
  });

  it('whole points: the sweep accepts a point exactly when loadMacroConfig accepts its macro (cross-parameter rules included)', () => {
    const point = fc.record(
      {
        macro: fc.constantFrom('sp-imc-28nm', 'yan-28nm', 'redcim-28nm', 'no-such.yaml'),
        rows: fc.integer({ min: 1, max: 600 }),
        writeRowsPerCycle: fc.integer({ min: 1, max: 600 }),
        inputBits: fc.integer({ min: 0, max: 17 }),
        signedInputs: fc.boolean(),
        vdd: fc.constantFrom(0.4, 0.9, 1.2, '0.7 V', 'high'),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(point, (p) => {
        const { macro, ...overrides } = p;
        expect(pointAccepts(p)).toBe(accepts(() => loadMacroConfig(macro === 'no-such.yaml' ? '/d/no-such.yaml' : macro, overrides)));
      }),
      { numRuns: 300 },
    );
  });

  it('preparation and input options: the sweep applies the same validators as the library', () => {
    const num = fc.oneof(fc.integer({ min: -3, max: 20 }), fc.double({ min: -1, max: 20, noNaN: true }), fc.constant(2 ** 60));
    fc.assert(fc.property(num, (v) => void expect(sweepAccepts({ weightBits: [v] })).toBe(accepts(() => checkWeightBits(v)))));
    fc.assert(fc.property(num, (v) => void expect(sweepAccepts({ seed: [v] })).toBe(accepts(() => checkSeed(v)))));
    fc.assert(fc.property(num, (v) => void expect(sweepAccepts({ batch: [v] })).toBe(accepts(() => checkBatch(v)))));
    fc.assert(fc.property(num, (v) => void expect(sweepAccepts({ zeroFraction: [v] })).toBe(accepts(() => checkZeroFraction(v)))));
    const text = fc.constantFrom('oi', 'io', 'OIHW', 'hwio,io', 'oi,io', 'xyz', 'per-column', 'per-tensor', 'PER-COLUMN');
    fc.assert(fc.property(text, (v) => void expect(sweepAccepts({ layout: [v] })).toBe(accepts(() => parseLayoutList(v)))));
    fc.assert(fc.property(text, (v) => void expect(sweepAccepts({ granularity: [v] })).toBe(accepts(() => checkGranularity(v)))));
  });

  it('refuses axes a network workload does not use, naming them', () => {
    expect(sweepAccepts({ prune: ['magnitude:0.5'], macros: [2] }, 'network')).toBe(true);
    for (const key of ['seed', 'batch', 'zeroFraction', 'layout']) {
      const value = key === 'layout' ? 'oi' : key === 'zeroFraction' ? 0.5 : 1;
      expect(() => parseSweepSpec({ workload: { model: 'm.npz' }, axes: { format: ['coo'], [key]: [value] } }, '/d')).toThrow(new RegExp(`"${key}" does not apply to a network workload`));
    }
  });
});
