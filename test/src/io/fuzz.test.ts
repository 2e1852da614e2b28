/**
 * Mutation fuzzing: every parser, fed valid files with random bit flips, truncations, insertions and
 * overwrites, either returns tensors or throws one of the project's ImcError subclasses — never a
 * TypeError, RangeError or a crash. Seeded (xoshiro128**), so a failure names a reproducible case.
 */
import { describe, expect, it } from 'vitest';
import { ImcError, InputError } from '../../../errors.js';
import { encodeNpy, parseNpy } from '../../../src/io/npy.js';
import { encodeNpz, parseNpz } from '../../../src/io/npz.js';
import { parseSafetensors } from '../../../src/io/safetensors.js';
import { parseTorchCheckpoint } from '../../../src/io/torch-checkpoint.js';
import { parseOnnx, parseOnnxModel } from '../../../src/io/onnx.js';
import { resolveGraph } from '../../../src/network/graph.js';
import { graphFromOnnx } from '../../../src/network/onnx-graph.js';
import { graphFromTfjs, tfjsModelDocument } from '../../../src/network/tfjs-graph.js';
import { parseTfjs } from '../../../src/io/tfjs.js';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { fixtureBytes } from './helpers.js';
import { Xoshiro128ss } from '../../../macro-sim/rng.js';

/** Seeded uniform floats in [0, 1) (xoshiro128**, macro-sim/rng.ts). */
function seededUniform(seed: number): () => number {
  const rng = Xoshiro128ss.fromSeed(seed);
  return () => rng.nextFloat();
}

/** One random mutation (or a few stacked) of `src`. */
function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  let b = src.slice();
  const steps = 1 + Math.floor(rnd() * 3);
  for (let s = 0; s < steps; s++) {
    const op = Math.floor(rnd() * 5);
    // Aim half the mutations at the first 160 bytes, where the headers live.
    const pos = () => Math.floor(rnd() * (rnd() < 0.5 ? Math.min(b.length, 160) : b.length));
    if (b.length === 0) break;
    if (op === 0) {
      const p = pos(); b[p] = b[p]! ^ (1 << Math.floor(rnd() * 8));
    } else if (op === 1) {
      b = b.slice(0, pos());
    } else if (op === 2) {
      const p = pos(); const n = 1 + Math.floor(rnd() * 8);
      const ins = Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
      const c = new Uint8Array(b.length + n); c.set(b.subarray(0, p)); c.set(ins, p); c.set(b.subarray(p), p + n); b = c;
    } else if (op === 3) {
      const p = pos(); b[p] = [0x00, 0xff, 0x7f, 0x80, 0x20, 0x7b, 0x27, 0x28][Math.floor(rnd() * 8)]!;
    } else {
      // overwrite a 4-byte field with an extreme value (sizes, offsets, lengths)
      const p = pos(); const v = [0xffffffff, 0, 0x7fffffff, 0x80000000, 1][Math.floor(rnd() * 5)]!;
      for (let k = 0; k < 4 && p + k < b.length; k++) b[p + k] = (v >>> (8 * k)) & 0xff;
    }
  }
  return b;
}

function fuzz(name: string, seeds: Uint8Array[], parse: (b: Uint8Array) => unknown, cases: number, seed: number): void {
  it(`${name}: ${cases} mutated files yield tensors or ImcError, never another exception`, () => {
    const rnd = seededUniform(seed);
    let errors = 0;
    for (let i = 0; i < cases; i++) {
      const input = mutate(seeds[i % seeds.length]!, rnd);
      try {
        parse(input);
      } catch (e) {
        if (!(e instanceof ImcError)) {
          throw new Error(`case ${i} (seed ${seed}): ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack}`);
        }
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(cases / 4); // the mutations really do break files
  });
}

describe('fuzzing the parsers', () => {
  const npySeeds = ['dtype-float32-le.npy', 'dtype-float16-be.npy', 'fortran-float32-2x3x4.npy', 'header-py2-long.npy', 'header-v3.npy', 'unaligned-offset.npy', 'scalar-0d-float64.npy', 'dtype-bool-le.npy'].map(fixtureBytes);
  fuzz('parseNpy', npySeeds, (b) => parseNpy(b, 'f'), 3000, 1);
  fuzz('parseNpy (bfloat16 override)', [fixtureBytes('bfloat16-as-void.npy')], (b) => parseNpy(b, 'f', { void2As: 'bfloat16' }), 500, 2);

  const npzSeeds = [
    fixtureBytes('savez-stored.npz'), fixtureBytes('savez-compressed.npz'), fixtureBytes('scipy-csr.npz'), fixtureBytes('scipy-coo.npz'),
    fixtureBytes('scipy-csc.npz'), fixtureBytes('pruned-state-dict.npz'),
    encodeNpz([{ name: 'a', dtype: 'int16', shape: [3, 2], data: new Int16Array(6).fill(-3) }], { compress: true }),
  ];
  fuzz('parseNpz', npzSeeds, (b) => parseNpz(b, { maxTotalBytes: 64 * 1024 * 1024 }), 3000, 3);

  const stSeeds = [fixtureBytes('model.safetensors'), fixtureBytes('unaligned.safetensors')];
  fuzz('parseSafetensors', stSeeds, (b) => parseSafetensors(b), 3000, 4);

  // torch.save archives (real PyTorch 1.13, fixtures/io/torch): pickle, zip and storage fields mutated.
  const torchSeeds = ['dtypes.pt', 'pruned.pt', 'hostile-newobj.pt'].map((f) => new Uint8Array(readFileSync(new URL(`../../../fixtures/io/torch/${f}`, import.meta.url))));
  fuzz('parseTorchCheckpoint', torchSeeds, (b) => parseTorchCheckpoint(b, 't.pt'), 3000, 6);

  // ONNX (torch.onnx.export / onnx, fixtures/io/onnx): protobuf fields, typed data and external-data entries mutated.
  const onnxDir = fileURLToPath(new URL('../../../fixtures/io/onnx/', import.meta.url));
  const onnxSeeds = ['typed-fields.onnx', 'lenet5-external.onnx'].map((f) => new Uint8Array(readFileSync(onnxDir + f)));
  fuzz('parseOnnx', onnxSeeds, (b) => parseOnnx(b, onnxDir + 'fuzzed.onnx'), 3000, 7);
  // ONNX graphs (the DAG exports and onnx.helper graphs): nodes, attributes and shapes mutated, translated and bound.
  const graphSeeds = ['resnet-tiny.onnx', 'mobilenet-tiny.onnx', 'misc-ops.onnx', 'hostile-cycle.onnx'].map((f) => new Uint8Array(readFileSync(onnxDir + f)));
  fuzz('graphFromOnnx', graphSeeds, (b) => {
    const m = parseOnnxModel(b, onnxDir + 'fuzzed.onnx');
    const g = graphFromOnnx(m, 'fuzzed.onnx');
    return resolveGraph(g.graph, [...m.tensors, ...g.extraTensors], 'fuzzed.onnx');
  }, 2000, 9);

  // TF.js manifests (fixtures/io/tfjs): JSON text mutated; shards read from the fixture folder.
  const tfjsDir = fileURLToPath(new URL('../../../fixtures/io/tfjs/', import.meta.url));
  fuzz('parseTfjs', [new Uint8Array(readFileSync(tfjsDir + 'split-model.json'))], (b) => parseTfjs(b, tfjsDir + 'split-model.json'), 2000, 8);
  // TF.js topologies (layers-model and graph-model JSON) mutated, translated and bound to the fixtures' weights.
  const tfjsGraphSeeds = ['layers-functional/model.json', 'graph-residual/model.json'].map((f) => ({ f, bytes: new Uint8Array(readFileSync(tfjsDir + f)) }));
  for (const { f, bytes } of tfjsGraphSeeds) {
    const weights = parseTfjs(bytes, tfjsDir + f);
    fuzz(`graphFromTfjs (${f})`, [bytes], (b) => {
      const doc = tfjsModelDocument(new TextDecoder().decode(b));
      if (doc === null) throw new InputError('NOT_TFJS', 'the mutation broke the JSON'); // what loadGraphFile then reports
      const g = graphFromTfjs(doc, weights, 'fuzzed.json');
      return resolveGraph(g.graph, [...weights, ...g.extraTensors], 'fuzzed.json');
    }, 1000, 11);
  }

  // Small synthetic npy files mutate into many more header variants per case.
  const tiny = encodeNpy({ dtype: 'uint8', shape: [2], data: new Uint8Array([1, 2]) });
  fuzz('parseNpy (tiny file)', [tiny], (b) => parseNpy(b, 'f'), 2000, 5);
});
