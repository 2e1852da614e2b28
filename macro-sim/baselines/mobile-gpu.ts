/**
 * `mobile-gpu` baseline (MODEL §6): a phone-class GPU running the layer, priced by a **measured**
 * energy efficiency. Two measured profiles:
 *
 * **`cnn` (default): NVIDIA Jetson TX1 (Tegra X1, Maxwell GPU, 20 nm), Caffe + cuDNN, FP16, AlexNet.**
 * NVIDIA's measurement as quoted on its developer blog ("45 img/sec/W on Tegra X1 in FP16 … 258 img/sec",
 * GPU-based deep learning inference whitepaper, Nov 2015) [M]: 1/45 J = 22.2 mJ per image over AlexNet's
 * 724 M MACs (Sze et al., "Efficient Processing of Deep Neural Networks", Proc. IEEE 2017, Table: AlexNet
 * 724 M MACs) = **30.7 pJ per dense MAC** at 20 nm [D], × `scaleTo28nm('energy', 20)` = 1.80 →
 * **55.3 pJ at 28 nm**. A whole convolutional network at the batch the whitepaper used (likely 128; at
 * batch 1 the same chip runs 65 img/s) with the power scope of NVIDIA's method: a best case, which is
 * what a baseline should be. Independent bracket (DeepEn2023, Tu et al., SEC 2023, mobile-GPU delegate,
 * measured per-inference energy of 50 variants per family): 9–113 pJ/MAC (AlexNet), 34–59 (GoogLeNet),
 * 33–82 (MobileNetV1) [D from their min–max energies and average MACs].
 *
 * **`fc-batch1`: Tegra K1 on AlexNet FC7 at batch 1** (the memory-bound case). Measurement (Han et al., "EIE", ISCA 2016, arXiv 1602.01528 — the one source we found that gives a
 * mobile-GPU power measurement together with a known op count): NVIDIA Tegra K1 (28 nm, 852 MHz,
 * 192 CUDA cores), AlexNet FC7 (4096 × 4096, batch 1, 32-bit float), "we measured the total power
 * consumption with a power-meter" and reported AP + DRAM power (§V). Table V: power **5.1 W**,
 * M×V throughput **173 frames/s**, energy efficiency **33.9 frames/J** (5.1 W / 173 fps = 29.5 mJ/frame ✓).
 * - `dense` (cuBLAS GEMV, all K·N MACs): one FC7 frame = 4096 · 4096 = 16,777,216 MACs →
 *   1 J / (33.9 · 16,777,216) = **1758 pJ per dense MAC** [D]. The op count is **dense** (Table V is on
 *   the uncompressed model).
 * - `sparse` (cuSPARSE CSRMV on the pruned FC7: 9 % weights, Table III): Fig. 7 gives the energy
 *   efficiency of "mGPU Compressed" and "mGPU Dense" on Alex-7 as 59× and 15× the CPU's, so one sparse
 *   frame costs 29.5 mJ × 15/59 = 7.50 mJ over 0.09 · 16,777,216 = 1,509,949 executed MACs →
 *   **4967 pJ per executed (effective) MAC** [D] (Fig. 7 bars are printed as integers: ±4 % from rounding).
 *   CSR kernels pay index reads and irregular DRAM access per nonzero, hence more per MAC, fewer MACs.
 *
 * Node: 28 nm, so `scaleTo28nm('energy', 28)` = 1 (no normalisation). Precision: the fc-batch1 kernels
 * compute in FP32 whatever the integer widths (a Tegra K1 has no int8 dot-product path), so the figure
 * does not scale with b_w or b_x; FP32 holds every product of b_w + b_x ≤ 24 bits exactly.
 * Caveats: batch 1 FC is memory-bound (weights streamed from DRAM every frame), so these figures are far
 * above a compute-bound convolution on a newer phone GPU; they are what was measured. Zero inputs are
 * not skipped (GPU kernels are input-oblivious). Storage: FP32 values; CSR with 32-bit column indices and
 * 32-bit row pointers (cuSPARSE's `int` arrays) for `sparse`. The previous figure (7.27 pJ/MAC, a ratio
 * of ratios: RTMobile's "40×" ESE, arXiv 2002.11474) is no longer used.
 */
import type { BaselineResult, BaselineWorkload } from './types.js';
import { checkWorkload, makeResult } from './types.js';
import { ConfigError } from '../../errors.js';
import { scaleTo28nm } from './tech-28nm.js';

/** Tegra K1 measured energy efficiency on AlexNet FC7, frames/J (EIE ISCA 2016, Table V). */
export const TK1_FRAMES_PER_J = 33.9;
/** Tegra K1 measured power, W (EIE ISCA 2016, Table V). */
export const TK1_POWER_W = 5.1;
/** Tegra K1 measured FC7 throughput, frames/s (EIE ISCA 2016, Table V). */
export const TK1_FRAMES_PER_S = 173;
/** Node of the Tegra K1, nm (EIE ISCA 2016, Table V). */
export const TK1_NODE_NM = 28;
/** Dense MACs of one AlexNet FC7 frame: 4096 × 4096. */
export const FC7_MACS = 4096 * 4096;
/** FC7 weight density after pruning (EIE ISCA 2016, Table III "Alex-7 … 9%"). */
export const FC7_WEIGHT_DENSITY = 0.09;
/** Jetson TX1 measured AlexNet efficiency, FP16, images per second per watt (NVIDIA, 2015). */
export const TX1_IMAGES_PER_J = 45;
/** Tegra X1 node, nm. */
export const TX1_NODE_NM = 20;
/** AlexNet MACs per image (Sze et al., Proc. IEEE 2017). */
export const ALEXNET_MACS = 724e6;
/** Jetson TX1 energy per dense MAC at 28 nm, pJ: 1e12 / (45 · 724e6) = 30.7 at 20 nm, × 1.80 ≈ 55.3. */
export const MOBILE_GPU_CNN_PJ_PER_MAC = (1e12 / (TX1_IMAGES_PER_J * ALEXNET_MACS)) * scaleTo28nm('energy', TX1_NODE_NM);
/** FP16 value storage of the cnn profile, bits. */
export const GPU_FP16_BITS = 16;

/** Energy efficiency of mGPU Dense and mGPU Compressed on Alex-7 relative to the CPU (EIE Fig. 7). */
export const TK1_FIG7_DENSE_X = 15;
export const TK1_FIG7_SPARSE_X = 59;
/** Measured energy per dense FP32 MAC on the Tegra K1, pJ: 1e12 / (33.9 · 16,777,216) ≈ 1758. */
export const MOBILE_GPU_DENSE_PJ_PER_MAC = 1e12 / (TK1_FRAMES_PER_J * FC7_MACS) * scaleTo28nm('energy', TK1_NODE_NM);
/** Energy per executed sparse MAC, pJ: (1e12 / 33.9) × 15/59 / (0.09 · 16,777,216) ≈ 4967. */
export const MOBILE_GPU_SPARSE_PJ_PER_MAC =
  ((1e12 / TK1_FRAMES_PER_J) * (TK1_FIG7_DENSE_X / TK1_FIG7_SPARSE_X)) / (FC7_WEIGHT_DENSITY * FC7_MACS) * scaleTo28nm('energy', TK1_NODE_NM);
/** FP32 value storage on the GPU, bits (the measured kernels are FP32, Table V). */
export const GPU_VALUE_BITS = 32;
/** CSR column index width, bits (cuSPARSE `int`). */
export const GPU_INDEX_BITS = 32;
/** CSR row pointer width, bits (cuSPARSE `int`). */
export const GPU_POINTER_BITS = 32;

/** Options of {@link mobileGpuBaseline}. */
export interface MobileGpuOptions {
  /** `sparse` (default: executes nnz·B MACs, CSRMV) or `dense` (K·N·B, GEMV). */
  readonly mode?: 'sparse' | 'dense';
  /**
   * `cnn` (default: Jetson TX1, FP16, AlexNet; the same energy per executed MAC in both modes, i.e. a
   * compiled sparse kernel as efficient per MAC as the dense one, as RTMobile/GRIM report for block
   * sparsity) or `fc-batch1` (Tegra K1, FP32, FC7 at batch 1: GEMV / CSRMV as measured).
   */
  readonly profile?: 'cnn' | 'fc-batch1';
  /** Energy per executed MAC, pJ (default: the mode's measured figure). */
  readonly pjPerMac?: number;
}

const SOURCE_CNN =
  'Jetson TX1 (Tegra X1, 20 nm) measured by NVIDIA: 45 img/s/W on AlexNet FP16 (724 M MACs) → 30.7 pJ per MAC, × 1.80 to 28 nm (Stillmaker & Baas) = 55.3 pJ';
const SOURCE_DENSE =
  'Tegra K1 (28 nm) measured: 5.1 W, 173 frames/s, 33.9 frames/J on AlexNet FC7 4096×4096 FP32 batch 1 (EIE, Han et al., ISCA 2016, Table V) → 1758 pJ per dense MAC (dense op count)';
const SOURCE_SPARSE =
  'Tegra K1 (28 nm) measured (EIE, Han et al., ISCA 2016): 33.9 frames/J dense on AlexNet FC7 (Table V) × 15/59 (Fig. 7, mGPU dense vs compressed on Alex-7, 9 % weights) → 4967 pJ per executed sparse MAC (effective op count)';

/**
 * Price `w` on a mobile GPU (see the file header for the measurement, the arithmetic and the caveats).
 * @example mobileGpuBaseline({ rows: 4096, cols: 4096, batch: 1, nnz: 1509949, valueBits: 8, inputBits: 8 }, { profile: 'fc-batch1' }).energyPj // ≈ 7.5e9 (7.5 mJ: EIE's measured sparse FC7 frame)
 */
export function mobileGpuBaseline(w: BaselineWorkload, opts: MobileGpuOptions = {}): BaselineResult {
  checkWorkload(w);
  const mode = opts.mode ?? 'sparse';
  if (mode !== 'sparse' && mode !== 'dense') {
    throw new ConfigError('BASELINE_OPTION', `mobile-gpu mode must be 'sparse' or 'dense'; got '${String(mode)}'`);
  }
  const profile = opts.profile ?? 'cnn';
  if (profile !== 'cnn' && profile !== 'fc-batch1') {
    throw new ConfigError('BASELINE_OPTION', `mobile-gpu profile must be 'cnn' or 'fc-batch1'; got '${String(profile)}'`);
  }
  const cnn = profile === 'cnn';
  const pjPerMac = opts.pjPerMac ?? (cnn ? MOBILE_GPU_CNN_PJ_PER_MAC : mode === 'sparse' ? MOBILE_GPU_SPARSE_PJ_PER_MAC : MOBILE_GPU_DENSE_PJ_PER_MAC);
  if (!(pjPerMac >= 0)) throw new ConfigError('BASELINE_OPTION', `mobile-gpu pjPerMac must be ≥ 0; got ${pjPerMac}`);
  const K = w.rows;
  const N = w.cols;
  const macs = (mode === 'sparse' ? w.nnz : K * N) * w.batch;
  // CSR over the N output rows of W^T (GPU kernels compute y = W^T x row by row).
  const valueBits = cnn ? GPU_FP16_BITS : GPU_VALUE_BITS;
  const storageBits = mode === 'sparse'
    ? w.nnz * (valueBits + GPU_INDEX_BITS) + (N + 1) * GPU_POINTER_BITS
    : K * N * valueBits;
  const source = cnn
    ? `${SOURCE_CNN} (${mode === 'sparse' ? 'charged per executed sparse MAC: effective op count' : 'dense op count'})`
    : mode === 'sparse' ? SOURCE_SPARSE : SOURCE_DENSE;
  return makeResult('mobile-gpu', w, { mac: macs * pjPerMac }, storageBits, source, { macs, pjPerMac });
}
