/**
 * `mobile-gpu` baseline (MODEL §6): a phone GPU running the layer through a compiler-optimised
 * sparse kernel (RTMobile / GRIM style), priced by a published energy efficiency.
 *
 * Derivation of the energy per executed MAC (REFERENCES §3 "Mobile"):
 * RTMobile (Dong et al., arXiv 2002.11474, 2020) reports that a GRU on the Adreno 640 GPU is
 * "about 40×" more energy-efficient than ESE at the same inference time. ESE (Han et al., FPGA 2017)
 * runs at 282 GOPS (useful sparse ops) and 41 W → 6.88 GOPS/W on executed sparse ops. Hence
 * mobile GPU ≈ 40 × 6.88 = 275 GOPS/W on executed ops → 2 / 0.275 = **7.27 pJ per executed MAC** [D].
 *
 * Caveats (why this is a coarse figure): the 40× is a ratio between two different recurrent models
 * (ESE's LSTM, RTMobile's block-pruned GRU) at different pruning rates, measured at different levels
 * (ESE: whole FPGA board; RTMobile: the phone), and "energy-efficiency" is per inference, not per op;
 * the GPU computes in FP16 whatever the integer widths, so the figure does not scale with b_w or b_x.
 * TECS 2022 ("Mobile or FPGA?", DOI 10.1145/3528578) agrees qualitatively that unoptimised mobile-GPU
 * execution is usually more energy-efficient than FPGA.
 *
 * Executed MACs: `sparse` mode (default) executes nnz·B MACs (a compiled sparse kernel that skips
 * pruned weights, as RTMobile/GRIM do for block-pruned layers; optimistic for unstructured sparsity);
 * `dense` mode executes K·N·B. Zero inputs are not skipped (GPU kernels are input-oblivious).
 * Storage: CSR with FP16 values, 16-bit column indices and 32-bit row pointers (sparse) or FP16 dense.
 */
import type { BaselineResult, BaselineWorkload } from './types.js';
import { checkWorkload, makeResult } from './types.js';
import { ESE_GOPS, ESE_POWER_W } from './fpga.js';
import { ConfigError } from '../../errors.js';

/** RTMobile vs ESE energy-efficiency ratio on GRU at equal latency (RTMobile, arXiv 2002.11474). */
export const RTMOBILE_VS_ESE = 40;
/** ESE efficiency on executed (sparse) ops, GOPS/W: 282 / 41 = 6.88. */
export const ESE_SPARSE_GOPS_PER_W = ESE_GOPS / ESE_POWER_W;
/** Mobile-GPU energy per executed MAC, pJ: 2 ops / (40 × 6.88 GOPS/W / 1000 ops/pJ) = 7.27 pJ. */
export const MOBILE_GPU_PJ_PER_MAC = 2 / ((RTMOBILE_VS_ESE * ESE_SPARSE_GOPS_PER_W) / 1000);
/** FP16 value storage on the GPU, bits. */
export const GPU_VALUE_BITS = 16;
/** CSR column index width, bits. */
export const GPU_INDEX_BITS = 16;
/** CSR row pointer width, bits. */
export const GPU_POINTER_BITS = 32;

/** Options of {@link mobileGpuBaseline}. */
export interface MobileGpuOptions {
  /** `sparse` (default: executes nnz·B MACs) or `dense` (K·N·B). */
  readonly mode?: 'sparse' | 'dense';
  /** Energy per executed MAC, pJ (default {@link MOBILE_GPU_PJ_PER_MAC}). */
  readonly pjPerMac?: number;
}

const SOURCE =
  'RTMobile (Dong et al., arXiv 2002.11474): Adreno 640 GRU ≈ 40× ESE energy efficiency; ESE (Han et al., FPGA 2017): 282 GOPS at 41 W → 7.27 pJ per executed MAC [derived; coarse, see caveats]; TECS 2022 DOI 10.1145/3528578';

/**
 * Price `w` on a mobile GPU (see the file header for the derivation and its caveats).
 * @example mobileGpuBaseline({ rows: 256, cols: 256, batch: 1, nnz: 6554, valueBits: 8, inputBits: 8 }).energyPj // 6554 × 7.27 ≈ 47,644
 */
export function mobileGpuBaseline(w: BaselineWorkload, opts: MobileGpuOptions = {}): BaselineResult {
  checkWorkload(w);
  const mode = opts.mode ?? 'sparse';
  if (mode !== 'sparse' && mode !== 'dense') {
    throw new ConfigError('BASELINE_OPTION', `mobile-gpu mode must be 'sparse' or 'dense'; got '${String(mode)}'`);
  }
  const pjPerMac = opts.pjPerMac ?? MOBILE_GPU_PJ_PER_MAC;
  if (!(pjPerMac >= 0)) throw new ConfigError('BASELINE_OPTION', `mobile-gpu pjPerMac must be ≥ 0; got ${pjPerMac}`);
  const K = w.rows;
  const N = w.cols;
  const macs = (mode === 'sparse' ? w.nnz : K * N) * w.batch;
  // CSR over the N output rows of W^T (GPU kernels compute y = W^T x row by row).
  const storageBits = mode === 'sparse'
    ? w.nnz * (GPU_VALUE_BITS + GPU_INDEX_BITS) + (N + 1) * GPU_POINTER_BITS
    : K * N * GPU_VALUE_BITS;
  return makeResult('mobile-gpu', w, { mac: macs * pjPerMac }, storageBits, SOURCE, { macs });
}
