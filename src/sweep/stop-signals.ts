/**
 * Graceful stop of a long job on SIGINT / SIGTERM: the first signal aborts the job's AbortSignal
 * (a sweep then finishes the points in flight and stops dispatching), a second one stops the
 * process at once with the signal's default action. Every finished result line is already on disk
 * either way.
 */

/** The result of a job run under {@link withStopSignals}, and the signal that stopped it, if any. */
export interface Stopped<T> {
  readonly result: T;
  readonly signal?: 'SIGINT' | 'SIGTERM';
}

/**
 * Run `job` with an AbortSignal that SIGINT or SIGTERM aborts; `onFirst` is told of the first
 * signal (to say what happens next). The handlers are removed when the job settles.
 */
export async function withStopSignals<T>(job: (signal: AbortSignal) => Promise<T>, onFirst: (signal: 'SIGINT' | 'SIGTERM') => void): Promise<Stopped<T>> {
  const ac = new AbortController();
  let received: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (sig: 'SIGINT' | 'SIGTERM'): void => {
    if (received === undefined) {
      received = sig;
      ac.abort();
      onFirst(sig);
      return;
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.kill(process.pid, sig);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await job(ac.signal);
    return received === undefined ? { result } : { result, signal: received };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
