/** Shared test helpers for the tensor I/O tests: fixture paths, the manifest, exact comparison. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ImcError } from '../../../errors.js';
import type { Tensor } from '../../../src/io/tensor.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const IO_FIXTURES = path.join(ROOT, 'fixtures/io');
export const DATA_FIXTURES = path.join(ROOT, 'fixtures/data');

/** JSON value of one element as written by fixtures/make-io-fixtures.py. */
export type ManifestValue = number | string;

export interface ManifestTensor {
  name: string;
  dtype: string;
  shape: number[];
  values: ManifestValue[];
}

export interface Manifest {
  files: Record<string, { kind: string; tensors: ManifestTensor[]; options?: { void2As?: 'bfloat16' }; metadata?: Record<string, string> }>;
  errors: Record<string, string>;
  float16_all_patterns_f32_sha256: string;
  float16_nan_pattern_count: number;
}

export const manifest: Manifest = JSON.parse(fs.readFileSync(path.join(IO_FIXTURES, 'manifest.json'), 'utf8')) as Manifest;

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(IO_FIXTURES, name)));
}

/** Assert a tensor equals its manifest entry exactly (Object.is per element: -0 and NaN included). */
export function expectTensor(t: Tensor, e: ManifestTensor): void {
  expect(t.name).toBe(e.name);
  expect(t.dtype).toBe(e.dtype);
  expect([...t.shape]).toEqual(e.shape);
  expect(t.data.length).toBe(e.values.length);
  const bigint = t.data instanceof BigInt64Array || t.data instanceof BigUint64Array;
  for (let i = 0; i < e.values.length; i++) {
    const ev = e.values[i]!;
    const av = t.data[i]!;
    if (bigint) {
      if (av !== BigInt(ev)) expect.fail(`${e.name}[${i}]: ${av} !== ${ev}`);
      continue;
    }
    const want = ev === 'nan' ? NaN : ev === 'inf' ? Infinity : ev === '-inf' ? -Infinity : ev === '-0' ? -0 : (ev as number);
    if (!Object.is(av, want)) expect.fail(`${e.name}[${i}]: ${String(av)} !== ${String(want)}`);
  }
}

/** Run `f` and return the ImcError it throws (fails the test if it throws anything else, or nothing). */
export function catchImc(f: () => unknown): ImcError {
  try {
    f();
  } catch (e) {
    if (e instanceof ImcError) return e;
    throw new Error(`expected an ImcError, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
  }
  throw new Error('expected an ImcError, but nothing was thrown');
}
