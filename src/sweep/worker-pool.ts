/**
 * A pool of worker threads that evaluates points and yields their result records in completion
 * order. Each worker loads the evaluator module (a path and an export name: by default the
 * compiled `dist/src/sweep/evaluate-point.js`, `evaluatePoint`; tests pass a plain-JS evaluator),
 * so a point's cost and its memory stay off the main thread, which only dispatches and writes.
 *
 * Workers run compiled JavaScript. Running from the TypeScript sources (vitest), the compiled
 * `dist/src/sweep/worker.js` of the same checkout is used: `npm test` runs `tsc` first.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../../errors.js';
import { GroupDispatcher } from './dispatch.js';
import type { PlannedPoint } from './grid.js';
import type { ResultRecord } from '../results/results-file.js';
import type { ResolvedPoint, SweepSpec } from './spec.js';

/** `workerData` of a sweep worker. */
export interface WorkerInit {
  readonly evaluatorUrl: string;
  readonly exportName: string;
  readonly spec: SweepSpec;
}
/** Main thread → worker. */
export interface ToWorker {
  readonly type: 'run';
  readonly seq: number;
  readonly point: ResolvedPoint;
}
/** Worker → main thread. */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'fatal'; readonly message: string }
  | { readonly type: 'done'; readonly seq: number; readonly ok: true; readonly json: string }
  | { readonly type: 'done'; readonly seq: number; readonly ok: false; readonly reason: string; readonly code?: string; readonly internal: boolean };

/** Which function evaluates a point: an ES module (path or file URL) and the name of its export. */
export interface EvaluatorRef {
  /** Path (absolute or relative to the working directory) or `file:` URL of an ES module. */
  readonly module: string;
  /** Exported function `(spec, point) => Promise<object>`; default `evaluatePoint`. */
  readonly exportName?: string;
}

/**
 * The compiled JS file `name` beside this module: `dist/src/sweep/<name>` both when running
 * compiled and when running from `src/sweep/*.ts` (mapped to the same checkout's `dist`).
 */
export function compiledSweepModule(name: string): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const marker = `${sep}src${sep}sweep${sep}`;
    const root = here.slice(0, here.lastIndexOf(marker));
    return join(root, 'dist', 'src', 'sweep', name);
  }
  return join(dirname(here), name);
}

/** The default evaluator: the compiled `evaluate-point.js`, export `evaluatePoint`. */
export function defaultEvaluator(): Required<EvaluatorRef> {
  return { module: compiledSweepModule('evaluate-point.js'), exportName: 'evaluatePoint' };
}

/** Options of {@link evaluatePoints}. */
export interface PoolOptions {
  /** Worker threads (≥ 1). */
  readonly jobs: number;
  readonly evaluator: EvaluatorRef;
  /** Once aborted, no new point starts; points in flight finish and are yielded. */
  readonly signal?: AbortSignal;
}

function moduleUrl(m: string): string {
  if (m.startsWith('file:')) return m;
  return pathToFileURL(resolve(m)).href;
}

/**
 * Evaluate `points` on `opts.jobs` worker threads, yielding one record per point as it finishes
 * (completion order). Infeasible points (ImcError) and internal errors become `ok: false`
 * records; a worker that dies mid-point is replaced and the point recorded as an internal error.
 * Leaving the loop early terminates the workers.
 *
 * @throws ConfigError (`SWEEP_EVALUATOR`) when the evaluator module cannot be loaded, or
 * (`SWEEP_NOT_BUILT`) when the compiled worker is missing.
 */
export async function* evaluatePoints(spec: SweepSpec, points: readonly PlannedPoint[], opts: PoolOptions): AsyncGenerator<ResultRecord> {
  if (points.length === 0) return;
  const workerFile = compiledSweepModule('worker.js');
  if (!existsSync(workerFile)) {
    throw new ConfigError('SWEEP_NOT_BUILT', `compiled sweep worker ${workerFile} is missing; build the project first (npm run build)`);
  }
  const evaluatorUrl = moduleUrl(opts.evaluator.module);
  const evaluatorPath = evaluatorUrl.startsWith('file:') ? fileURLToPath(evaluatorUrl) : evaluatorUrl;
  if (!existsSync(evaluatorPath)) {
    throw new ConfigError('SWEEP_EVALUATOR', `evaluator module ${evaluatorPath} not found; build the project (npm run build) or name another module`);
  }
  const init: WorkerInit = { evaluatorUrl, exportName: opts.evaluator.exportName ?? 'evaluatePoint', spec };

  const dispatcher = new GroupDispatcher(points);
  let inFlight = 0;
  let fatal: Error | undefined;
  const ready: ResultRecord[] = []; // finished, not yet yielded
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const workers = new Set<Worker>();
  const stopped = (): boolean => opts.signal?.aborted === true || fatal !== undefined;

  const spawn = (): void => {
    const worker = new Worker(workerFile, { workerData: init });
    workers.add(worker);
    let current: PlannedPoint | undefined;
    let group = -1;
    let isReady = false;
    let lastError: Error | undefined;
    const dispatch = (): void => {
      const pick = stopped() ? undefined : dispatcher.next(group);
      if (!pick) {
        current = undefined;
        void worker.terminate();
        return;
      }
      current = pick.point;
      group = pick.group;
      inFlight++;
      worker.postMessage({ type: 'run', seq: current.index, point: current.point } satisfies ToWorker);
    };
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') {
        isReady = true;
        dispatch();
      } else if (m.type === 'fatal') {
        fatal = new ConfigError('SWEEP_EVALUATOR', `${m.message}; check the evaluator path and export name`);
        void worker.terminate();
        notify();
      } else if (current) {
        const p = current;
        inFlight--;
        current = undefined;
        ready.push(toRecord(p, m));
        dispatch();
        notify();
      }
    });
    worker.on('error', (err) => {
      lastError = err;
    });
    worker.on('exit', (code) => {
      workers.delete(worker);
      if (!isReady && !fatal) {
        fatal = new ConfigError('SWEEP_EVALUATOR', `sweep worker exited (code ${code}) before it was ready: ${lastError?.message ?? 'no message'}; check the evaluator module ${evaluatorPath}`);
      } else if (current) {
        inFlight--;
        const p = current;
        current = undefined;
        ready.push({ id: p.id, point: p.point, ok: false, reason: `worker thread died (exit code ${code}) while evaluating this point: ${lastError ? `${lastError.name}: ${lastError.message}` : 'no error message'}`, error: 'internal' });
        if (!stopped() && dispatcher.remaining > 0) spawn();
      }
      notify();
    });
  };

  try {
    const n = Math.max(1, Math.min(opts.jobs, points.length));
    for (let i = 0; i < n; i++) spawn();
    const onAbort = (): void => notify();
    opts.signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        while (ready.length > 0) yield ready.shift()!;
        if (fatal) throw fatal;
        const finished = inFlight === 0 && (dispatcher.remaining === 0 || stopped());
        if (finished && ready.length === 0) break;
        // Everything dispatched but workers not all gone yet is fine: nothing more can arrive.
        if (inFlight === 0 && workers.size === 0 && dispatcher.remaining > 0 && !stopped()) spawn();
        await new Promise<void>((r) => {
          wake = r;
          if (ready.length > 0 || fatal || (inFlight === 0 && (dispatcher.remaining === 0 || stopped()))) notify();
        });
      }
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    await Promise.all([...workers].map((w) => w.terminate()));
  }
}

function toRecord(p: PlannedPoint, m: Extract<FromWorker, { type: 'done' }>): ResultRecord {
  if (m.ok) {
    const result = JSON.parse(m.json) as Record<string, unknown>;
    // id, point and ok lead every line and cannot be overwritten by evaluator fields.
    return Object.assign({ id: p.id, point: p.point, ok: true }, result, { id: p.id, point: p.point, ok: true });
  }
  if (m.internal) return { id: p.id, point: p.point, ok: false, reason: m.reason, error: 'internal' };
  return m.code === undefined
    ? { id: p.id, point: p.point, ok: false, reason: m.reason }
    : { id: p.id, point: p.point, ok: false, reason: m.reason, code: m.code };
}
