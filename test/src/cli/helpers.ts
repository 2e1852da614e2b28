/** Run the real, compiled CLI (`npm test` builds it first) in a temporary folder. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = join(ROOT, 'dist/src/cli/main.js');
export const DATA = join(ROOT, 'fixtures/data');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `imc-sim args…` with cwd `cwd`; never throws. */
export function cli(args: string[], cwd: string = tempDir()): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'imc-cli-'));
}

/** A user error: one line on stderr, no stack trace, the given exit code. */
export function expectUserError(r: CliResult, code: number, pattern: RegExp): void {
  if (r.code !== code) throw new Error(`exit ${r.code}, want ${code}; stderr: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  if (lines.length !== 1) throw new Error(`want one stderr line, got ${lines.length}: ${r.stderr}`);
  if (/\n\s+at /.test(r.stderr) || r.stderr.includes('internal error')) throw new Error(`stack trace printed: ${r.stderr}`);
  if (!pattern.test(lines[0]!)) throw new Error(`stderr ${JSON.stringify(lines[0])} does not match ${pattern}`);
}
