/**
 * Break-even sparsity (ADMM-NN's hardware-aware step, Ren et al. ASPLOS 2019): for each layer and
 * compressed format, the lowest sparsity at which the format costs no more **energy** — and,
 * separately, no more **storage** — than the dense format on the same macro, found with the
 * simulator (`imc-sim breakeven`, library {@link breakEvenFile}).
 *
 * Method: the layer is pruned by a structure whose sparsity is scanned (`magnitude:s`, or
 * `block:bk:bn:s` / `bcr:bk:bn:s`) over a grid, each point is run exactly as `imc-sim run` runs it
 * (dense and the format, same inputs, same macro; `runFile` with one shared cache), and the break-even
 * point is the lowest grid sparsity from which the format stays at or below dense for every higher grid
 * point (energy and storage step with segments and loads, so one crossing is not enough). Between the
 * last grid point above dense and that one, bisection narrows it to `tolerance`. An `nm:N:m` format
 * needs its own structure: it is run once, pruned `nm:N:m` (sparsity 1 − N/m), and reported as
 * "break-even at 1 − N/m" when it costs no more there, else never.
 */
import { ConfigError } from '../../errors.js';
import { checkFormatSpec, splitFormatList } from '../../formats/registry.js';
import { PreparationCache } from '../preparation-cache.js';
import { parsePruneSpec } from '../prep/prune.js';
import { isFeasible, type FormatRun } from '../run/run-layer.js';
import { runFile, type RunFileOptions } from '../run/run-file.js';
import { VERSION } from '../version.js';

/** Options of {@link breakEvenFile}: `imc-sim run`'s, with the pruning scanned instead of given. */
export interface BreakEvenOptions extends Omit<RunFileOptions, 'prune' | 'formats' | 'baselines' | 'sqnr' | 'keepOutputs'> {
  /** Compressed formats to compare with dense (e.g. `coo,rl,nm:2:4`). */
  readonly formats: string | readonly string[];
  /** Pruning structure whose sparsity is scanned: `magnitude` (default), `block:bk:bn`, `bcr:bk:bn`. */
  readonly structure?: string;
  /** Sparsities to scan, ascending in [0, 1) (default 0, 0.05, …, 0.95, 0.98, 0.99). */
  readonly grid?: readonly number[];
  /** Bisection tolerance on the sparsity (default 0.005). */
  readonly tolerance?: number;
}

/** One scanned point of one layer and format. */
export interface BreakEvenPoint {
  readonly sparsity: number;
  /** null when the format cannot hold the pruned matrix (its reason is in `reason`). */
  readonly energyPj: number | null;
  readonly denseEnergyPj: number;
  readonly storageBits: number | null;
  readonly denseStorageBits: number;
  readonly reason?: string;
}

/** The break-even of one layer in one format. */
export interface BreakEvenRow {
  readonly layer: string;
  readonly format: string;
  /** Lowest sparsity from which the format's energy stays ≤ dense's (null: not within the scan). */
  readonly energySparsity: number | null;
  /** The same for storage bits. */
  readonly storageSparsity: number | null;
  /** The pruning the curve was scanned with (`magnitude`, …, or `nm:N:m` for an N:m format). */
  readonly structure: string;
  readonly curve: readonly BreakEvenPoint[];
}

/** Default scan grid. */
export const DEFAULT_BREAKEVEN_GRID: readonly number[] = [...Array.from({ length: 20 }, (_, i) => i / 20), 0.98, 0.99];

const STRUCTURE_RE = /^(magnitude|(block|bcr):\d+:\d+)$/;

/** The prune spec of `structure` at sparsity `s`. */
function pruneAt(structure: string, s: number): string {
  if (s === 0) return 'none';
  const spec = `${structure}:${s}`;
  parsePruneSpec(spec); // the prune grammar's own check
  return spec;
}

/**
 * The break-even sparsity of a curve for one cost: the lowest grid index from which
 * `cost ≤ dense` holds at every later point; null when the last point does not hold.
 */
export function breakEvenIndex(curve: readonly BreakEvenPoint[], cost: 'energy' | 'storage'): number | null {
  const holds = (p: BreakEvenPoint): boolean =>
    cost === 'energy' ? p.energyPj !== null && p.energyPj <= p.denseEnergyPj : p.storageBits !== null && p.storageBits <= p.denseStorageBits;
  let i = curve.length;
  while (i > 0 && holds(curve[i - 1]!)) i--;
  return i === curve.length ? null : i;
}

/**
 * Scan every layer of the file in every format (see the file comment) and return the rows and the
 * `imc-sim breakeven --json` document.
 *
 * @throws ConfigError `BAD_STRUCTURE`, `BAD_BREAKEVEN_GRID`, `BREAKEVEN_NEEDS_FORMAT` for bad options;
 *   whatever `runFile` throws for the file, inputs and macro.
 * @example breakEvenFile({ file: 'layer.npy', formats: 'coo,rl' }).rows[0].energySparsity // e.g. 0.45
 */
export function breakEvenFile(o: BreakEvenOptions, cache: PreparationCache = new PreparationCache()): { rows: BreakEvenRow[]; document: Record<string, unknown> } {
  const structure = (o.structure ?? 'magnitude').trim().toLowerCase();
  if (!STRUCTURE_RE.test(structure)) {
    throw new ConfigError('BAD_STRUCTURE', `--structure must be magnitude, block:bk:bn or bcr:bk:bn (the sparsity is scanned); got '${o.structure}'`);
  }
  const grid = o.grid ?? DEFAULT_BREAKEVEN_GRID;
  if (grid.length === 0 || grid.some((s, i) => !(s >= 0 && s < 1) || (i > 0 && s <= grid[i - 1]!))) {
    throw new ConfigError('BAD_BREAKEVEN_GRID', `the sparsity grid must be ascending values in [0, 1); got ${grid.join(', ')}`);
  }
  const tolerance = o.tolerance ?? 0.005;
  if (!(tolerance > 0 && tolerance < 0.5)) throw new ConfigError('BAD_BREAKEVEN_GRID', `the tolerance must be in (0, 0.5); got ${tolerance}`);
  const formats = splitFormatList(o.formats);
  for (const f of formats) checkFormatSpec(f);
  const compressed = formats.filter((f) => f.split(':')[0] !== 'dense');
  if (compressed.length === 0) throw new ConfigError('BREAKEVEN_NEEDS_FORMAT', 'give at least one compressed format to compare with dense, e.g. --format coo,rl,nm:2:4');

  const base = { ...o, baselines: false, sqnr: false } as RunFileOptions;
  /** Run dense + `format` pruned by `prune`: per layer, the two FormatRuns (or the format's reason). */
  const runAt = (prune: string, format: string) =>
    runFile({ ...base, prune, formats: ['dense', format] }, cache).runs.map((r) => ({
      layer: r.prepared.name, dense: r.formats[0] as FormatRun, f: r.formats[1]!,
    }));
  const pointOf = (s: number, dense: FormatRun, f: FormatRun | { ok: false; reason: string }): BreakEvenPoint => ({
    sparsity: s,
    energyPj: isFeasible(f as FormatRun) ? (f as FormatRun).energy.totalPj : null,
    denseEnergyPj: dense.energy.totalPj,
    storageBits: isFeasible(f as FormatRun) ? (f as FormatRun).storage.totalBits : null,
    denseStorageBits: dense.storage.totalBits,
    ...(isFeasible(f as FormatRun) ? {} : { reason: (f as { reason: string }).reason }),
  });

  const rows: BreakEvenRow[] = [];
  for (const format of compressed) {
    const nm = /^nm:(\d+):(\d+)$/.exec(format);
    if (nm) {
      const s = 1 - Number(nm[1]) / Number(nm[2]);
      for (const l of runAt(`nm:${nm[1]}:${nm[2]}`, format)) {
        const p = pointOf(s, l.dense, l.f as FormatRun);
        const at = (ok: boolean): number | null => (ok ? s : null);
        rows.push({
          layer: l.layer, format, structure: `nm:${nm[1]}:${nm[2]}`, curve: [p],
          energySparsity: at(p.energyPj !== null && p.energyPj <= p.denseEnergyPj),
          storageSparsity: at(p.storageBits !== null && p.storageBits <= p.denseStorageBits),
        });
      }
      continue;
    }
    // One run per grid point covers every layer of the file.
    const perPoint = grid.map((s) => runAt(pruneAt(structure, s), format));
    const layers = perPoint[0]!.map((l) => l.layer);
    layers.forEach((layer, li) => {
      const curve = grid.map((s, gi) => pointOf(s, perPoint[gi]![li]!.dense, perPoint[gi]![li]!.f as FormatRun));
      const refine = (cost: 'energy' | 'storage'): number | null => {
        const i = breakEvenIndex(curve, cost);
        if (i === null) return null;
        if (i === 0) return grid[0]!;
        // Bisection between the last grid point above dense and the first of the run at or below it.
        let lo = grid[i - 1]!, hi = grid[i]!;
        while (hi - lo > tolerance) {
          const mid = (lo + hi) / 2;
          const l = runAt(pruneAt(structure, mid), format)[li]!;
          const p = pointOf(mid, l.dense, l.f as FormatRun);
          const holds = cost === 'energy' ? p.energyPj !== null && p.energyPj <= p.denseEnergyPj : p.storageBits !== null && p.storageBits <= p.denseStorageBits;
          if (holds) hi = mid;
          else lo = mid;
        }
        return hi;
      };
      rows.push({ layer, format, structure, curve, energySparsity: refine('energy'), storageSparsity: refine('storage') });
    });
  }
  const first = runFile({ ...base, prune: 'none', formats: ['dense'] }, cache);
  const document = {
    tool: 'imc-sim', version: VERSION, file: first.file, config: first.document['config'], operatingPoint: first.document['operatingPoint'],
    structure, grid, tolerance, inputs: first.runs[0]!.inputs.description,
    rows,
  };
  return { rows, document };
}
