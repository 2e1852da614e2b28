/**
 * Worker-thread side of the sweep pool (see worker-pool.ts). It loads the evaluator module named in
 * `workerData`, reports `ready` (or `fatal` if the module or export cannot be loaded), then
 * evaluates one point per `run` message and answers with a `done` message. It classifies errors
 * here, where the evaluator's error classes live: an ImcError (or anything shaped like one: a
 * known class name and a string `code`, for evaluators that load their own copy of
 * errors.js) is an infeasible point; anything else is an internal error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ImcError } from '../../errors.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-pool.js';

const IMC_ERROR_NAMES = new Set(['ImcError', 'InputError', 'ConfigError', 'FormatError', 'SimulationError']);

/** Whether `err` is an ImcError, by class or by shape. */
function isImcError(err: unknown): err is { message: string; code: string } {
  if (err instanceof ImcError) return true;
  const e = err as { name?: unknown; code?: unknown; message?: unknown };
  return !!e && typeof e === 'object' && typeof e.name === 'string' && IMC_ERROR_NAMES.has(e.name) && typeof e.code === 'string' && typeof e.message === 'string';
}

type Evaluator = (spec: unknown, point: unknown) => unknown;

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('worker.js must run as a worker thread');
  const init = workerData as WorkerInit;
  const send = (m: FromWorker): void => port.postMessage(m);
  let evaluate: Evaluator;
  try {
    const mod = (await import(init.evaluatorUrl)) as Record<string, unknown>;
    const fn = mod[init.exportName];
    if (typeof fn !== 'function') {
      send({ type: 'fatal', message: `evaluator module ${init.evaluatorUrl} has no exported function "${init.exportName}" (exports: ${Object.keys(mod).join(', ') || 'none'})` });
      return;
    }
    evaluate = fn as Evaluator;
  } catch (err) {
    send({ type: 'fatal', message: `cannot load evaluator module ${init.evaluatorUrl}: ${(err as Error)?.message ?? String(err)}` });
    return;
  }
  port.on('message', async (msg: ToWorker) => {
    try {
      const result = await evaluate(init.spec, msg.point);
      if (!result || typeof result !== 'object' || Array.isArray(result)) {
        send({ type: 'done', seq: msg.seq, ok: false, reason: `evaluator returned ${Array.isArray(result) ? 'an array' : typeof result}, expected an object`, internal: true });
        return;
      }
      send({ type: 'done', seq: msg.seq, ok: true, json: JSON.stringify(result) });
    } catch (err) {
      if (isImcError(err)) {
        send({ type: 'done', seq: msg.seq, ok: false, reason: err.message, code: err.code, internal: false });
      } else {
        const e = err as Error;
        const reason = e instanceof Error ? `${e.name}: ${e.message}${e.stack ? `\n${e.stack.split('\n').slice(1, 4).join('\n')}` : ''}` : `non-Error thrown: ${String(err)}`;
        send({ type: 'done', seq: msg.seq, ok: false, reason, internal: true });
      }
    }
  });
  send({ type: 'ready' });
}

void main();
