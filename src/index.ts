/**
 * imc-sim library API. Everything the CLI does is available here as plain functions over plain,
 * JSON-serialisable data (typed arrays aside); the CLI is a thin shell over the same calls, so
 * results are identical from both.
 *
 * @example
 * import { runFile } from 'imc-sim';
 * const { document } = runFile({ file: 'layer.npy', prune: 'magnitude:0.9', formats: 'coo,rl:4' });
 * document.formats[0].metrics.topsPerWattDense;
 *
 * @packageDocumentation
 */

// Errors (one hierarchy; every user error is an ImcError with a stable `code`).
export { ImcError, InputError, ConfigError, FormatError, SimulationError } from '../formats/errors.js';

// Tensor I/O.
export type { Tensor, DType, TensorData } from './io/tensor.js';
export { loadTensorFile, selectArray, writeFileAtomic, tensorToFloat64, type TensorFile, type TensorFileKind } from './io/load.js';
export { parseNpy, encodeNpy } from './io/npy.js';
export { parseNpz, encodeNpz, type NamedArray } from './io/npz.js';
export { parseSafetensors, encodeSafetensors } from './io/safetensors.js';

// Weight preparation (MODEL §1–3).
export { tensorToMatrix, parseLayout, defaultLayout, layoutDims, type Layout } from './prep/layout.js';
export { prune, parsePruneSpec, formatPruneSpec, type PruneSpec } from './prep/prune.js';
export { quantizeWeights, quantizeInputs, dequantize, randomInputs, roundHalfEven, type Granularity } from './prep/quantize.js';
export { prepareWeights, countNonzeros, matrixSparsity, type PrepareOptions, type PreparedWeights, type FloatMatrix } from './prep/prepare.js';

// Sparse formats (MODEL §4).
export type { IntMatrix, EncodedMatrix, SegmentTable, StorageFigures, FormatCodec, FormatId, EncodeOptions } from '../formats/types.js';
export { FORMATS, parseFormatSpec, parseFormatList, encodeMatrix, decodeMatrix } from '../formats/registry.js';
export { encodePrepared, encodeTensor, encodedLayerJson, sumStorage, DEFAULT_SEGMENT_ROWS, type EncodedLayer, type FormatEncoding } from './pipeline/encode-layer.js';
export { encodedToNpz, encodedFromNpz, type EncodedFileMeta } from './pipeline/encoded-file.js';

// The macro simulator (MODEL §5–7).
export {
  resolveMacroConfig, parseMacroConfigText, PRESETS, DEFAULT_PRESET, mapMatrix, mapModel, simulate, simulateReference, InputPacks,
  calibrate, sqnrDb, EVENT_KEYS, type MacroConfig, type SimResult, type SimInputs, type EngineOptions, type EventCounts, type MappingResult,
  type CalibrationRow,
} from '../macro-sim/index.js';
export { asicBaseline } from '../macro-sim/baselines/asic.js';
export { fpgaBaseline } from '../macro-sim/baselines/fpga.js';
export { mobileGpuBaseline } from '../macro-sim/baselines/mobile-gpu.js';
export type { BaselineWorkload, BaselineResult } from '../macro-sim/baselines/types.js';
export { loadMacroConfig } from './pipeline/macro-config.js';

// Runs: a layer or a model file on the macro, with baselines (`imc-sim run`).
export { runFile, DEFAULT_RUN_FORMATS, type RunFileOptions, type RunFileResult } from './pipeline/run-file.js';
export { runPrepared, type LayerRun, type FormatRun, type BaselineRow, type RunLayerOptions } from './pipeline/run-layer.js';
export { prepareInputs, type PreparedInputs, type InputOptions } from './pipeline/inputs.js';

// Networks (`imc-sim eval`).
export { parseGraph, validateGraph, type GraphSpec } from './network/graph.js';
export { evaluateNetwork, type EvaluateOptions, type NetworkReport } from './network/evaluate.js';

// Sweeps, Pareto fronts and plots (`imc-sim sweep | merge | pareto | plot`).
export { loadSweepSpec, parseSweepSpec, type SweepSpec, type ResolvedPoint, type Workload } from './sweep/spec.js';
export { expandPoints } from './sweep/grid.js';
export { runSweep, runSweepToFile, planSweep, type RunSweepOptions, type SweepSummary } from './sweep/runner.js';
export { mergeResults, writeMerged } from './sweep/merge.js';
export { evaluatePoint } from './sweep/evaluate-point.js';
export { readResults } from './sweep/read-results.js';
export type { ResultRecord } from './sweep/results-file.js';
export { parseObjectives, objectiveValue, KNOWN_OBJECTIVES, type Objective } from './sweep/objectives.js';
export { paretoFront, type ParetoResult } from './sweep/pareto.js';
export { toCsv, sweepCsvColumns } from './sweep/csv.js';
export { paretoScatterSvg, energyBreakdownSvg, storageBreakdownSvg, plotsHtml } from './report/plots.js';

// Notebook helpers.
export { asNdarray, rowMajorNdarray } from './ndarray-view.js';
export { VERSION } from './version.js';
