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
export { ImcError, InputError, ConfigError, FormatError, SimulationError, InterruptedError, InternalError } from '../errors.js';

// Tensor I/O.
export type { Tensor, DType, TensorData } from './io/tensor.js';
export { loadTensorFile, selectArray, writeFileAtomic, tensorToFloat64, type TensorFile, type TensorFileKind } from './io/load.js';
export { parseNpy, encodeNpy } from './io/npy.js';
export { parseNpz, encodeNpz, type NamedArray } from './io/npz.js';
export { parseSafetensors, encodeSafetensors } from './io/safetensors.js';
export { inspectFile, summarizeTensor, type ArraySummary } from './prep/summarize.js';

// Weight and input preparation (MODEL §1–3).
export { tensorToMatrix, parseLayout, parseLayoutList, defaultLayout, layoutDims, type Layout } from './prep/layout.js';
export { prune, parsePruneSpec, formatPruneSpec, type PruneSpec } from './prep/prune.js';
export { quantizeWeights, quantizeInputs, dequantize, randomInputs, roundHalfEven, type Granularity } from './prep/quantize.js';
export { prepareWeights, countNonzeros, matrixSparsity, type PrepareOptions, type PreparedWeights, type FloatMatrix } from './prep/prepare.js';
export { prepareInputs, type PreparedInputs, type InputOptions } from './prep/inputs.js';

// Sparse formats (MODEL §4): `encode` / `decode`.
export type { IntMatrix, CscMatrix, EncodedMatrix, SegmentTable, StorageFigures, FormatCodec, FormatId, EncodeOptions } from '../formats/types.js';
export { FORMATS, parseFormatSpec, parseFormatList, checkFormatSpec, encodeMatrix, decodeMatrix } from '../formats/registry.js';
export { sumStorage } from '../formats/storage.js';
export { encodePrepared, encodeTensor, encodedLayerJson, DEFAULT_SEGMENT_ROWS, type EncodedLayer, type FormatEncoding } from './encode/encode-layer.js';
export { encodeFile, type EncodeFileOptions, type EncodeFileResult, type WeightOptions } from './encode/encode-file.js';
export { encodedToNpz, encodedFromNpz, decodeEncodedFile, type EncodedFileMeta } from './io/encoded-file.js';

// The macro simulator (MODEL §5–7).
export { resolveMacroConfig, deriveMacroConfig, parseMacroConfigText, macroConfigJson, type MacroConfig } from '../macro-sim/config.js';
export { MACRO_PARAMS, MACRO_KEYS, type MacroParams, type MacroParam, type MacroParamKey } from '../macro-sim/params.js';
export { PRESETS, DEFAULT_PRESET, type MacroPreset, type PresetName } from '../macro-sim/presets.js';
export { mapMatrix, mapModel, type MappingResult, type ModelMapping } from '../macro-sim/mapping.js';
export { loadImage, imageBit, type LoadImage, type SlotPlacement } from '../macro-sim/array-image.js';
export { loadPartials, type LoadPartials } from '../macro-sim/load-partials.js';
export { placeModel, resolveTopology, layerTiles, type Topology, type PlacementReport, type PlacedLayer, type PlacementLayerInput, type PlacementTotals } from '../macro-sim/placement.js';
export { simulate, type EngineOptions } from '../macro-sim/engine.js';
export { simulateReference } from '../macro-sim/reference-engine.js';
export { InputPacks } from '../macro-sim/input-packs.js';
export type { SimInputs, SimResult } from '../macro-sim/result.js';
export { EVENT_KEYS, type EventCounts } from '../macro-sim/events.js';
export { topsPerWatt, efficiencyMetrics, latencyNsOf, sqnrDb, type Metrics } from '../macro-sim/metrics.js';
export { sumCosts, perUnit, type CostTotals, type EnergyFigures } from '../macro-sim/totals.js';
export type { TimingResult } from '../macro-sim/timing.js';
export {
  calibrate, calibrationRows, calibrationRun, fitEnergyConstants, fitThresholdVoltage, bandFactors,
  type CalibrationRow, type CalibrationReport, type CalibrationOptions,
} from '../macro-sim/calibration.js';
export { CALIBRATION_POINTS, type CalibrationPoint, type OperatingPoint } from '../macro-sim/calibration-points.js';
export { loadCalibrationPoints, parseCalibrationPoints } from './io/calibration-points-file.js';
export { macroArea, areaCounts, slotShapeOf, type AreaResult, type SlotShape } from '../macro-sim/area.js';
export { DEFAULT_AREA_TABLE, type AreaTable } from '../macro-sim/area-table.js';
export { maxClockMHz, maxClockAt, leakageScale } from '../macro-sim/voltage.js';
export { scaleTo28nm, efficiencyAt28, areaAt28 } from '../macro-sim/tech-scaling.js';
export { ENERGY_BAND_FACTOR, AREA_BAND_FACTOR, RELATIVE_BAND_FACTOR, bandOf, type Band } from '../macro-sim/uncertainty.js';
export { BASELINES, priceBaselines, priceImcBaselines, type Baseline, type BaselineRow } from '../macro-sim/baselines/registry.js';
export { asicBaseline } from '../macro-sim/baselines/asic.js';
export { fpgaBaseline } from '../macro-sim/baselines/fpga.js';
export { mobileGpuBaseline } from '../macro-sim/baselines/mobile-gpu.js';
export { systolicBaseline } from '../macro-sim/baselines/systolic.js';
export type { BaselineWorkload, BaselineResult } from '../macro-sim/baselines/types.js';
export { loadMacroConfig, type MacroSource, type MacroOverrides } from './io/macro-file.js';

// Runs: a layer or a model file on the macro, with baselines (`imc-sim run`).
export { runFile, DEFAULT_RUN_FORMATS, type RunFileOptions, type RunFileResult } from './run/run-file.js';
export { baselineWorkload, layerBaselines, runPrepared, type LayerRun, type FormatRun, type RunLayerOptions } from './run/run-layer.js';
export { PreparationCache } from './preparation-cache.js';

// Break-even sparsity per layer and format (`imc-sim breakeven`).
export { breakEvenFile, breakEvenIndex, DEFAULT_BREAKEVEN_GRID, type BreakEvenOptions, type BreakEvenRow, type BreakEvenPoint } from './breakeven/break-even.js';

// Networks (`imc-sim eval`).
export { parseGraph, validateGraph, resolveGraph, GRAPH_OPS, type GraphSpec, type LayerSpec, type NetworkPlan, type NetworkStep } from './network/graph.js';
export { loadGraphFile, type GraphFile } from './network/graph-file.js';
export { graphFromOnnx } from './network/onnx-graph.js';
export { graphFromTfjs, loadTfjsGraph } from './network/tfjs-graph.js';
export { forwardFloat } from './network/forward-float.js';
export { evaluateNetwork, type EvaluateOptions, type NetworkReport, type NetworkFidelity } from './network/evaluate.js';
export { evalFile, seededInputs, type EvalFileOptions, type EvalFileResult } from './network/eval-file.js';
export { placementCsv, placementsCsv } from './report/placement-csv.js';
export { placementPlotSvg } from './report/placement-plot.js';

// Compression with retraining (`imc-sim compress`): ADMM-NN, magnitude + retrain, SVD training.
export { compressModel, COMPRESS_METHODS, type CompressOptions, type CompressResult, type CompressReport, type CompressLayerRow, type CompressMethod } from './compress/compress-model.js';
export { DEFAULT_SCHEDULE, retrain, type Schedule, type EpochReport, type CompressedLayer } from './compress/admm.js';
export { parseStructure, parseSparsityTargets, pruneSpecFor, projectPrune, projectQuantize, STRUCTURE_GRAMMAR, type Structure } from './compress/structure.js';
export { TrainableNetwork, trainOpsOfPlan, type TrainOp, type Param } from './compress/trainable-network.js';
export { svdTrain, rankForTarget, DEFAULT_SVD_REGULARISERS } from './compress/svd-training.js';
export { jacobiSvd } from './compress/jacobi-svd.js';

// Sweeps (`imc-sim sweep | merge`), results files, Pareto fronts and plots (`pareto | plot`).
export { loadSweepSpec, parseSweepSpec, pointFile, AXES, type SweepSpec, type ResolvedPoint, type Workload } from './sweep/spec.js';
export { expandPoints } from './sweep/grid.js';
export { runSweep, runSweepToFile, planSweep, type RunSweepOptions, type SweepSummary } from './sweep/runner.js';
export { mergeResults, writeMerged } from './sweep/merge.js';
export { evaluatePoint } from './sweep/evaluate-point.js';
export { readResults } from './results/read-results.js';
export type { ResultRecord } from './results/results-file.js';
export { parseObjectives, objectiveValue, KNOWN_OBJECTIVES, type Objective } from './results/objectives.js';
export { paretoFront, type ParetoResult } from './results/pareto.js';
export { toCsv, sweepCsvColumns } from './results/csv.js';
export { paretoScatterSvg, energyBreakdownSvg, storageBreakdownSvg, plotsHtml, renderPlotFiles } from './report/plots.js';

// RTL verification files and the testbench run (docs/RTL-EXPORT.md).
export { exportRtl, RTL_FORMATS, type ExportRtlOptions, type RtlExport, type RtlManifest } from './rtl/export-rtl.js';
export { verifyRtlExport, hasIverilog, type RtlVerification } from './rtl/verify-rtl.js';

// Notebook helpers.
export { asNdarray, rowMajorNdarray } from './ndarray-view.js';
export { VERSION } from './version.js';
