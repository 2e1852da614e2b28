/**
 * Benchmark (issue 12): whole-model `imc-sim eval` of face-api's FaceRecognitionNet (ResNet-34-like,
 * 29 convs + fc, ~250 M MACs per image) on the 16 bundled face crops, timed as a user runs it: the
 * CLI in a fresh process, its defaults (format coo, no pruning, 8-bit), and again with four formats
 * (dense, bitmask, coo, rl:4) after `--prune magnitude:0.5`. Target: under 60 s on 2 cores.
 * Every run includes the float reference pass and the integer pass that `eval` always runs.
 * Run after `npm run build`, from the repository root: `node dist/bench/eval-face.js`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '../..');
const BASE = [
  'eval', 'fixtures/models/face-api/face_recognition_model-weights_manifest.json',
  '--graph', 'examples/face-recognition.graph.yaml', '--inputs', 'fixtures/data/faces-150.npy', '--json',
];

/** One timed command. */
export interface FaceEvalRow {
  readonly name: string;
  readonly args: string;
  readonly seconds: number;
  readonly outputSqnrDb: number;
  readonly macroMatchesInteger: boolean;
}

function timed(name: string, extra: string[]): FaceEvalRow {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), ...BASE, ...extra], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`imc-sim ${[...BASE, ...extra].join(' ')} failed: ${r.stderr}`);
  const doc = JSON.parse(r.stdout) as { fidelity: { outputSqnrDb: number }; macroMatchesInteger: boolean };
  return { name, args: extra.join(' ') || '(defaults)', seconds, outputSqnrDb: doc.fidelity.outputSqnrDb, macroMatchesInteger: doc.macroMatchesInteger };
}

/** The default command and the four-format one. */
export function runEvalFaceBench(): FaceEvalRow[] {
  return [
    timed('eval:face-recognition:16-faces:defaults', []),
    timed('eval:face-recognition:16-faces:magnitude=0.5:4-formats', ['--prune', 'magnitude:0.5', '--format', 'dense,bitmask,coo,rl:4']),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of runEvalFaceBench()) {
    console.log(`${r.name}: ${r.seconds.toFixed(1)} s (target < 60 s); output SQNR ${r.outputSqnrDb.toFixed(1)} dB; macro = integer: ${r.macroMatchesInteger}`);
  }
}
