/**
 * `imc-sim eval MODEL --graph GRAPH --inputs images.npy --labels labels.npy`: a whole sequential
 * network on the simulated macro. Float, integer and macro accuracy; per-layer and total storage,
 * mapping (all layers on the same M macros), cycles, energy and TOPS/W per image; baselines.
 * A readable report by default, one JSON document with `--json`. A progress bar on a TTY stderr.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import cliProgress from 'cli-progress';
import { Option, type Command } from 'commander';
import { ConfigError, InputError } from '../../../formats/errors.js';
import { parseMacroConfigText, resolveMacroConfig, type MacroConfig } from '../../../macro-sim/config.js';
import { isPresetName } from '../../../macro-sim/presets.js';
import { loadTensorFile, selectArray } from '../../io/load.js';
import { evaluateNetwork, type NetworkReport } from '../../network/evaluate.js';
import { parseGraph } from '../../network/graph.js';
import { fmt, fmtBits, formatTable } from '../../report/table.js';
import { parseIntOption } from '../options.js';

interface EvalFlags {
  graph: string;
  inputs: string;
  labels: string;
  prune: string;
  weightBits: string;
  granularity: 'per-column' | 'per-tensor';
  format: string;
  macro?: string;
  rows?: string;
  bitColumns?: string;
  macros?: string;
  inputBits: string;
  limit?: string;
  batch: string;
  json?: boolean;
  progress: boolean;
}

/** Register `eval` on the program. */
export function register(program: Command): void {
  program
    .command('eval')
    .description('run a whole sequential network (conv/linear/relu/pool graph) on the simulated macro: accuracy (float, integer, macro) and cost per image')
    .argument('<model>', 'weights file (.npz state dict, .safetensors, .npy)')
    .requiredOption('--graph <file>', 'network graph (YAML/JSON), e.g. examples/lenet5.graph.yaml')
    .requiredOption('--inputs <file>', 'input samples [B, ...] (.npy), e.g. fixtures/data/mnist-test-images.npy')
    .requiredOption('--labels <file>', 'labels [B] (.npy)')
    .option('--prune <spec>', 'pruning of every conv/linear layer: none | magnitude:s | nm:N:m | block:bk:bn:s | bcr:bk:bn:s', 'none')
    .option('--weight-bits <bits>', 'weight precision b_w, 2..16', '8')
    .addOption(new Option('--granularity <g>', 'weight scale group').choices(['per-column', 'per-tensor']).default('per-column'))
    .option('--format <specs>', 'sparse format(s), comma-separated: dense | bitmask | coo[:b_i] | rl[:b_r] | nm:N:m', 'coo')
    .option('--macro <file|preset>', 'macro config file (YAML/JSON) or preset name (sp-imc-28nm, redcim-28nm, yan-28nm, guo-28nm, yue-28nm)')
    .option('--rows <R>', 'macro rows R (segment capacity)')
    .option('--bit-columns <C>', 'macro bit-columns C')
    .option('--macros <M>', 'number of macros M')
    .option('--input-bits <bits>', 'activation precision b_x (bit-serial)', '8')
    .option('--limit <N>', 'evaluate only the first N inputs')
    .option('--batch <n>', 'images per simulate call (a re-written layer is written once per batch)', '100')
    .option('--json', 'print one JSON document')
    .option('--no-progress', 'no progress bar on stderr')
    .action((model: string, flags: EvalFlags) => {
      const report = runEval(model, flags);
      process.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : formatNetworkReport(report) + '\n');
    });
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError('IO_READ', `${file}: cannot read the ${what} (${code ?? (e as Error).message}); check the path`);
  }
}

/** `--macro FILE|PRESET` plus the `--rows/--bit-columns/--macros/--input-bits` overrides. */
function macroConfigOf(flags: EvalFlags, inputBits: number): MacroConfig {
  let raw: Record<string, unknown> = {};
  let preset: string | undefined;
  if (flags.macro !== undefined) {
    if (isPresetName(flags.macro)) preset = flags.macro;
    else if (fs.existsSync(flags.macro)) {
      const syntax = path.extname(flags.macro).toLowerCase() === '.json' ? 'json' : 'yaml';
      raw = { ...(parseMacroConfigText(readText(flags.macro, 'macro config'), syntax) as Record<string, unknown>) };
    } else {
      throw new ConfigError('BAD_MACRO', `--macro '${flags.macro}' is neither a preset (sp-imc-28nm, redcim-28nm, yan-28nm, guo-28nm, yue-28nm) nor an existing file`);
    }
  }
  if (flags.rows !== undefined) raw.rows = parseIntOption('--rows', flags.rows);
  if (flags.bitColumns !== undefined) raw.bitColumns = parseIntOption('--bit-columns', flags.bitColumns);
  if (flags.macros !== undefined) raw.macros = parseIntOption('--macros', flags.macros);
  raw.inputBits = inputBits;
  return resolveMacroConfig(raw, preset);
}

/** Load everything the flags name and evaluate (no printing). */
export function runEval(model: string, flags: EvalFlags): NetworkReport {
  const inputBits = parseIntOption('--input-bits', flags.inputBits);
  const macro = macroConfigOf(flags, inputBits);
  const graph = parseGraph(readText(flags.graph, 'graph'), flags.graph);
  const weights = loadTensorFile(model).tensors;
  const images = selectArray(loadTensorFile(flags.inputs));
  const labels = selectArray(loadTensorFile(flags.labels));
  const limit = flags.limit === undefined ? undefined : parseIntOption('--limit', flags.limit);
  const useBar = flags.progress && !flags.json && process.stderr.isTTY === true;
  const bar = useBar ? new cliProgress.SingleBar({ format: 'eval [{bar}] {value}/{total} images  ETA {eta_formatted}', stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
  let started = false;
  try {
    return evaluateNetwork({
      graph,
      graphSource: flags.graph,
      model: weights,
      images,
      labels,
      quantization: { weightBits: parseIntOption('--weight-bits', flags.weightBits), inputBits, prune: flags.prune, granularity: flags.granularity },
      formats: flags.format.split(',').map((s) => s.trim()),
      macro,
      limit,
      batchImages: parseIntOption('--batch', flags.batch),
      onProgress: (done, total) => {
        if (!bar) return;
        if (!started) { bar.start(total, 0); started = true; }
        bar.update(done);
      },
    });
  } finally {
    if (started) bar!.stop();
  }
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;

/** The readable report. */
export function formatNetworkReport(r: NetworkReport): string {
  const out: string[] = [];
  out.push(`network ${r.network}: ${r.images} images, weights ${r.weightBits} b (${r.granularity}), prune ${r.prune}, inputs ${r.inputBits} b`);
  out.push(`macro ${r.macro.preset}: R=${r.macro.rows}, C=${r.macro.bitColumns}, M=${r.macro.macros}, ${r.macro.clockMHz} MHz, ${r.macro.vdd} V; batch ${r.batchImages} images`);
  out.push(`activation scales: ${r.calibration}`);
  out.push('');
  out.push(`accuracy: float ${pct(r.accuracy.float)}, integer ${pct(r.accuracy.integer)}, macro ${pct(r.accuracy.macro)}` +
    (r.macroMatchesInteger ? ' (macro = integer on every image)' : ' (MACRO DIFFERS FROM INTEGER: a simulator bug, please report)'));
  for (const run of r.runs) {
    out.push('');
    out.push(`format ${run.format} — per image:`);
    const rows = run.layers.map((l) => [
      l.name, `${l.K}x${l.N}`, String(l.vectorsPerImage), pct(l.sparsity), l.format, fmtBits(l.storage.totalBits), `${fmt(l.storage.compression, 3)}×`,
      String(l.mapping.loads), l.resident ? 'yes' : 'no', fmt(l.timing.cycles), fmt(l.energy.totalPj), fmt(l.metrics.topsPerWattEffective, 3),
    ]);
    const t = run.total;
    rows.push([
      'total', '', '', '', '', fmtBits(t.storage.totalBits), `${fmt(t.storage.compression, 3)}×`, String(t.mapping.loads), '',
      fmt(t.timing.cycles), fmt(t.energy.totalPj), fmt(t.metrics.topsPerWattEffective, 3),
    ]);
    out.push(formatTable(['layer', 'KxN', 'vectors', 'sparsity', 'format', 'storage', 'compr.', 'loads', 'resident', 'cycles', 'energy pJ', 'TOPS/W eff'], rows));
    out.push(`loads ${t.mapping.loads} on ${r.macro.macros} macro(s): ${t.mapping.rewrites} re-writes per batch; latency ${fmt(t.timing.latencyNs)} ns/image; ` +
      `TOPS/W dense-equivalent ${fmt(t.metrics.topsPerWattDense, 3)}, effective ${fmt(t.metrics.topsPerWattEffective, 3)}; utilization ${pct(t.metrics.utilization)}`);
  }
  out.push('');
  out.push('baselines per image:');
  out.push(formatTable(['baseline', 'energy pJ', 'TOPS/W eff', 'storage'], r.baselines.map((b) => [b.name, fmt(b.energyPjPerImage), fmt(b.topsPerWattEffective, 3), fmtBits(b.storageBits)])));
  return out.join('\n');
}
