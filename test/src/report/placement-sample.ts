/** A small hand-written placement report (plain JSON, as `placeModel` returns) for the renderer tests. */
import type { PlacedLayer, PlacementReport } from '../../../macro-sim/placement.js';

const layer = (o: Partial<PlacedLayer> & Pick<PlacedLayer, 'name'>): PlacedLayer => ({
  loads: 1, segments: 2, slotsPerLoad: 2, firstLoad: 0, macros: ['0:0'], chips: 1, kTiles: 1, nTiles: 1, utilization: 1,
  rewrites: 0, cycles: 15, latencyNs: 75, energyPj: 1200, partialSumAdds: 0, partialSumEnergyPj: 0, interChipPartialSums: 0,
  assignment: [{ macro: '0:0', loads: [0], workCycles: 15, cycles: 15 }], ...o,
});

/** Two layers on 2 chips × 2 macros; the first one's name needs CSV quoting. */
export function samplePlacement(): PlacementReport {
  const layers = [
    layer({ name: 'conv "1", 3x3' }),
    layer({
      name: 'fc', loads: 3, segments: 6, firstLoad: 1, macros: ['0:1', '1:0', '1:1'], chips: 2, kTiles: 2, nTiles: 2, utilization: 0.75,
      cycles: 30, latencyNs: 150, energyPj: 2500.5, partialSumAdds: 4, partialSumEnergyPj: 0.6528, interChipPartialSums: 2,
      assignment: [
        { macro: '0:1', loads: [0], workCycles: 30, cycles: 30 },
        { macro: '1:0', loads: [1], workCycles: 30, cycles: 30 },
        { macro: '1:1', loads: [2], workCycles: 30, cycles: 30 },
      ],
    }),
  ];
  return {
    topology: { chips: 2, macrosPerChip: 2, macros: 4, weightSets: 1 },
    schedule: 'stationary-disjoint',
    layers,
    total: {
      loads: 4, segments: 8, capacityLoads: 4, fits: true, macrosUsed: 4, rewrites: 0, utilization: 0.8, energyPj: 3700.5,
      partialSumAdds: 4, partialSumEnergyPj: 0.6528, interChipPartialSums: 2,
      sequential: { cycles: 45, latencyNs: 225 },
      pipelined: { intervalCycles: 30, intervalNs: 150, fillCycles: 45, fillNs: 225, imagesPerSecond: 1e9 / 150 },
    },
  };
}
