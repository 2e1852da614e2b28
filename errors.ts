/**
 * The project's error hierarchy, in a module of its own below every layer (`formats/`,
 * `macro-sim/` and `src/` all import it; it imports nothing).
 *
 * Library code throws these and never exits or prints. The CLI (`src/cli/main.ts`) prints the
 * message on one line and maps the class to an exit code; anything else that escapes is a bug
 * (exit 70, stack shown). Messages say what is wrong *and how to mend it*, with the numbers.
 */
export class ImcError extends Error {
  /** Stable machine-readable code, e.g. `NPY_TRUNCATED`. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A file or array the user supplied is missing, unreadable, hostile or not what the command needs. */
export class InputError extends ImcError {}

/** A parameter or configuration is out of range or inconsistent. */
export class ConfigError extends ImcError {}

/** Data cannot be represented in the requested sparse format (e.g. an N:m violation), or an encoded stream is corrupt. */
export class FormatError extends ImcError {}

/** A simulation cannot proceed on the given hardware (e.g. accumulator overflow, a segment that fits no slot). */
export class SimulationError extends ImcError {}

/** A long job (a sweep) stopped on a signal before it finished; what it finished is kept. */
export class InterruptedError extends ImcError {
  /** The signal that stopped it. */
  readonly signal: 'SIGINT' | 'SIGTERM';
  constructor(code: string, message: string, signal: 'SIGINT' | 'SIGTERM' = 'SIGINT') {
    super(code, message);
    this.signal = signal;
  }
}

/** A job finished, but some of its work failed on an internal error (a bug to report); rerunning retries it. */
export class InternalError extends ImcError {}
