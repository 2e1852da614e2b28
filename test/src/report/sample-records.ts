import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SweepRecordLike } from '../../../src/results/objectives.js';

/**
 * A small hand-made results set: 6 formats × 3 prunings × 2 weight widths, with storage and energy
 * figures shaped like the real evaluator's (numbers are illustrative, not simulated), plus two failures.
 */
export function sampleRecords(): SweepRecordLike[] {
  const K = 256, N = 256;
  const formats: Array<[string, number, number]> = [
    // spec, index bits per entry, metadata bits per segment
    ['dense', 0, 0], ['bitmask', 0, 17], ['coo:8', 8, 17], ['coo:6', 6, 17], ['rl:4', 4, 17], ['nm:2:4', 2, 0],
  ];
  const out: SweepRecordLike[] = [];
  let n = 0;
  for (const [format, idx, meta] of formats) {
    for (const s of [0.5, 0.75, 0.9]) {
      for (const bw of [4, 8]) {
        n++;
        const nnz = Math.round(K * N * (1 - s));
        const dense = format === 'dense';
        const entries = dense ? K * N : nnz;
        const valueBits = entries * bw;
        const indexBits = format === 'bitmask' ? K * N : entries * idx;
        const paddingBits = format === 'rl:4' ? Math.round(nnz * s * s * 0.2) * (bw + 4) : format === 'nm:2:4' && s < 0.5 ? 0 : 0;
        const segments = dense ? N : Math.ceil(nnz / 200);
        const metadataBits = segments * meta;
        const totalBits = valueBits + indexBits + paddingBits + metadataBits;
        const denseBits = K * N * bw;
        const energyScale = entries / (K * N);
        const breakdownPj = {
          bitcell: 9000 * energyScale * bw / 8,
          adderTree: 42000 * energyScale * bw / 8,
          shiftAccumulate: 3000 + 10 * n,
          inputRouting: dense ? 0 : 200 * (idx + 1) * energyScale * 40,
          rlDecode: format === 'rl:4' ? 1500 * energyScale * 10 : 0,
          macroWrite: totalBits * 0.02,
          leakage: 800,
        };
        const totalPj = Object.values(breakdownPj).reduce((a, b) => a + b, 0);
        out.push({
          id: `id${String(n).padStart(3, '0')}${format.replace(/:/g, '')}`,
          point: { format, prune: `magnitude:${s}`, weightBits: bw },
          ok: true,
          storage: { valueBits, indexBits, paddingBits, metadataBits, totalBits, denseBits, compression: denseBits / totalBits, segments },
          mapping: { segments, slotsPerLoad: Math.floor(256 / (bw + idx)), loads: Math.ceil(segments / Math.floor(256 / (bw + idx))), rounds: 1, rewrites: 0, utilization: 0.5 },
          timing: { cycles: 1000 + n, latencyNs: (1000 + n) * 5 },
          energy: { totalPj, breakdownPj },
          metrics: { topsPerWattDense: (2 * K * N) / totalPj, topsPerWattEffective: (2 * nnz) / totalPj, sqnrDb: 6 * bw - 20 * s + (dense ? 0 : 1) },
        });
      }
    }
  }
  out.push({ id: 'bad1', point: { format: 'nm:2:4', prune: 'magnitude:0.5', weightBits: 8 }, ok: false, reason: 'column 0 group 3 has 3 nonzeros; use --prune nm:2:4' });
  out.push({ id: 'bad2', point: { format: 'coo:4', prune: 'magnitude:0.9', weightBits: 8 }, ok: false, reason: 'segment does not fit' });
  return out;
}

/** {@link sampleRecords} written as a results file in a fresh temporary folder. */
export function sampleResultsFile(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'imc-results-'));
  const file = join(dir, 'results.jsonl');
  writeFileSync(file, sampleRecords().map((r) => JSON.stringify(r) + '\n').join(''));
  return { dir, file };
}
