/**
 * The project's error hierarchy. It lives in the lowest layer (`formats/`) so that every layer
 * (`formats → macro-sim → src`) can throw it without an upward import.
 *
 * Library code throws these and never exits; the CLI prints `error: <message>` on one line and
 * exits with {@link ImcError.exitCode}. Anything else that escapes is a bug (exit 70, stack shown).
 */
export class ImcError extends Error {
  /** Stable machine-readable code, e.g. `NPY_TRUNCATED`. */
  readonly code: string;
  /** Process exit code the CLI uses for this class of error. */
  readonly exitCode: number = 1;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A file or array the user supplied is unreadable, hostile or not a weight matrix. Exit 2. */
export class InputError extends ImcError {
  override readonly exitCode = 2;
}

/** A parameter or configuration is out of range or inconsistent. Exit 3. */
export class ConfigError extends ImcError {
  override readonly exitCode = 3;
}

/** Data cannot be represented in the requested sparse format (e.g. an N:m violation), or an encoded stream is corrupt. Exit 4. */
export class FormatError extends ImcError {
  override readonly exitCode = 4;
}

/** A simulation cannot proceed on the given hardware (e.g. accumulator overflow, a segment that fits no slot). Exit 5. */
export class SimulationError extends ImcError {
  override readonly exitCode = 5;
}
