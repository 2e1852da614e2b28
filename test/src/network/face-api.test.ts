/**
 * Real pretrained DAG networks against their own implementation: face-api's FaceRecognitionNet (ResNet-like,
 * residual adds with zero-padded shortcuts, asymmetric padding) and AgeGenderNet (TinyXception: depthwise
 * separable convs, SAME max pooling) from @vladmandic/face-api@1.7.15, written in examples/*.graph.yaml, run by
 * forwardFloat on 16 real face crops and compared with the outputs face-api itself computed with TensorFlow.js
 * (fixtures/models/face-api/expected-*.npy, made by bench/peers/face-api-reference.mjs).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTensorFile } from '../../../src/io/load.js';
import type { Tensor } from '../../../src/io/tensor.js';
import { argmaxRows, forwardFloat } from '../../../src/network/forward-float.js';
import { parseGraph, resolveGraph, type NetworkPlan } from '../../../src/network/graph.js';
import { evalFile } from '../../../src/network/eval-file.js';

const ROOT = new URL('../../../', import.meta.url);
const path = (p: string): string => new URL(p, ROOT).pathname;
const array = (p: string): Tensor => loadTensorFile(path(p)).tensors[0]!;
/** One of face-api's outputs (fixtures/models/face-api/expected-*.npy, float32). */
function expected(name: string): { shape: readonly number[]; data: Float32Array } {
  const t = array(`fixtures/models/face-api/expected-${name}.npy`);
  if (!(t.data instanceof Float32Array)) throw new Error(`expected-${name}.npy is ${t.dtype}, not float32`);
  return { shape: t.shape, data: t.data };
}

/** A face-api network bound to its example graph, with its face crops (`[16, 3, S, S]` uint8). */
function faceApi(manifest: string, graph: string, inputs: string): { plan: NetworkPlan; x: Uint8Array } {
  const faces = array(`fixtures/data/${inputs}`);
  if (!(faces.data instanceof Uint8Array) || faces.shape[0] !== 16) throw new Error(`${inputs}: not 16 uint8 faces`);
  const tensors = loadTensorFile(path(`fixtures/models/face-api/${manifest}`)).tensors;
  const file = `examples/${graph}`;
  const plan = resolveGraph(parseGraph(readFileSync(path(file), 'utf8'), file), tensors, file, faces.shape.slice(1));
  return { plan, x: faces.data };
}

/** Minutes, not seconds: each network's float forward over 16 faces takes ~15–20 s alone, more beside other test files. */
const SLOW = 180_000;

/** AgeGenderNet's float forward, run once for the tests that need it: the gender logits and the 512 pooled features. */
let ageGenderRun: { logits: Float64Array; features: Float64Array } | undefined;
function ageGender(): { logits: Float64Array; features: Float64Array } {
  if (ageGenderRun) return ageGenderRun;
  const { plan, x } = faceApi('age_gender_model-weights_manifest.json', 'age-gender.graph.yaml', 'faces-112.npy');
  expect(plan.outputShape).toEqual([2]);
  const features = new Float64Array(16 * 512);
  const logits = forwardFloat(plan, x, 16, (step, y) => { if (step.name === 'flatten') features.set(y); });
  ageGenderRun = { logits, features };
  return ageGenderRun;
}

/** Largest |a − b| and the largest |b|. */
function maxErr(a: ArrayLike<number>, b: ArrayLike<number>): { abs: number; scale: number } {
  let abs = 0, scale = 0;
  for (let i = 0; i < b.length; i++) {
    abs = Math.max(abs, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return { abs, scale };
}

describe('face-api networks against face-api on TensorFlow.js', () => {
  it('FaceRecognitionNet gives face-api\'s 128-D descriptors of the 16 faces (relative error < 1e-4)', () => {
    const { plan, x } = faceApi('face_recognition_model-weights_manifest.json', 'face-recognition.graph.yaml', 'faces-150.npy');
    const want = expected('face-recognition');
    expect(plan.outputShape).toEqual([128]);
    expect(want.shape).toEqual([16, 128]);
    const y = forwardFloat(plan, x, 16);
    expect(y.length).toBe(16 * 128);
    const { abs, scale } = maxErr(y, want.data);
    expect(abs / scale).toBeLessThan(1e-4);
    // Per face, too: the distance to face-api's descriptor is tiny next to the descriptor's norm.
    for (let b = 0; b < 16; b++) {
      let d2 = 0, n2 = 0;
      for (let j = 0; j < 128; j++) {
        const e = want.data[b * 128 + j]!;
        d2 += (y[b * 128 + j]! - e) ** 2;
        n2 += e * e;
      }
      expect(Math.sqrt(d2 / n2)).toBeLessThan(1e-4);
    }
  }, SLOW);

  it('AgeGenderNet gives face-api\'s gender logits of the 16 faces (relative error < 1e-4, same argmax)', () => {
    const { logits } = ageGender();
    const want = expected('age-gender');
    expect(want.shape).toEqual([16, 2]);
    const { abs, scale } = maxErr(logits, want.data);
    expect(abs / scale).toBeLessThan(1e-4);
    expect(Array.from(argmaxRows(logits, 16, 2))).toEqual(Array.from(argmaxRows(Float64Array.from(want.data), 16, 2)));
  }, SLOW);

  it('AgeGenderNet\'s features also give face-api\'s age head (the layer the graph leaves out)', () => {
    const { features } = ageGender();
    const tensors = loadTensorFile(path('fixtures/models/face-api/age_gender_model-weights_manifest.json')).tensors;
    const w = tensors.find((t) => t.name === 'fc/age/weights')!, bias = tensors.find((t) => t.name === 'fc/age/bias')!;
    expect(w.shape).toEqual([512, 1]);
    const want = expected('age');
    expect(want.shape).toEqual([16]);
    const ages = Array.from({ length: 16 }, (_, b) => {
      let acc = Number(bias.data[0]);
      for (let k = 0; k < 512; k++) acc += features[b * 512 + k]! * Number(w.data[k]);
      return acc;
    });
    const { abs, scale } = maxErr(ages, want.data);
    expect(abs / scale).toBeLessThan(1e-4);
  }, SLOW);

  it('FaceRecognitionNet runs end to end on the macro (eval from the files, no labels): macro = integer, 8-bit output SQNR > 30 dB', () => {
    const doc = evalFile({
      model: path('fixtures/models/face-api/face_recognition_model-weights_manifest.json'), graph: path('examples/face-recognition.graph.yaml'),
      inputs: path('fixtures/data/faces-150.npy'), limit: 2, formats: 'coo,dense', chips: 2, macrosPerChip: 16,
    }).document;
    expect(doc.macroMatchesInteger).toBe(true);
    expect(doc.accuracy).toBeNull();
    expect(doc.fidelity.layers).toHaveLength(30);
    expect(doc.fidelity.outputSqnrDb).toBeGreaterThan(30);
    expect(doc.notes.filter((n) => /^batch norm .* is folded/.test(n))).toHaveLength(29);
    expect(doc.runs[0]!.placement.layers).toHaveLength(30);
    expect(doc.runs[0]!.placement.topology.macros).toBe(32);
  }, SLOW);
});
