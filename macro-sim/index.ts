/**
 * Public API of the macro simulator (MODEL §5, §7): configuration and presets, mapping, the fast and
 * the reference engines, timing, energy, metrics and calibration.
 */
export { resolveMacroConfig, parseMacroConfigText, MACRO_KEYS, type MacroConfig } from './config.js';
export { PRESETS, DEFAULT_PRESET, isPresetName, type MacroPreset, type PresetName, type PublishedFigure, type PresetParams, type PresetRole } from './presets.js';
export { mapMatrix, mapModel, validEntries, type MappingResult, type ModelMapping } from './mapping.js';
export { EVENT_KEYS, zeroEvents, type EventCounts } from './events.js';
export { simulate, simulateWithCodec, type EngineOptions } from './engine.js';
export { InputPacks } from './input-packs.js';
export { simulateReference, simulateReferenceWithCodec } from './reference-engine.js';
export type { SimInputs, SimResult } from './result.js';
export { combineRounds, fillCyclesPerLoad, writeCycles, isWrittenLoad, type TimingResult } from './timing.js';
export { energyOf, ENERGY_COMPONENTS, type EnergyResult } from './energy.js';
export {
  DEFAULT_ENERGY_TABLE, ENERGY_KEYS, ENERGY_REFERENCE_VDD, GATE_28NM, CACTI_28NM, CALIBRATED_ADDER_TREE_FA_BIT_FJ,
  type EnergyTable,
} from './energy-table.js';
export { efficiencyMetrics, latencyNsOf, utilizationOf, sqnrDb, type Metrics } from './metrics.js';
export { calibrate, calibrationRun, fitAdderTreeEnergy, type CalibrationRow } from './calibration.js';
