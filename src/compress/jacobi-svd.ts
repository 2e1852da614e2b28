/**
 * Thin SVD by one-sided Jacobi rotations (Hestenes 1958; Demmel & Veselić, SIAM J. Matrix Anal.
 * Appl. 13(4), 1992, Algorithm 4.1), written here because mathjs, the project's maths library, has
 * no SVD. Accurate to working precision, O(n²·m) per sweep; layers here are at most a few
 * hundred columns.
 */

/** `X = U · diag(s) · Vᵀ` with `s` descending; U `[m, n]`, V `[n, n]`, row-major. */
export interface ThinSvd {
  readonly m: number;
  readonly n: number;
  readonly u: Float64Array;
  readonly s: Float64Array;
  readonly v: Float64Array;
}

/**
 * SVD of a row-major `m × n` matrix with `m ≥ n`.
 * @example jacobiSvd(Float64Array.of(3, 0, 0, 4), 2, 2).s // → [4, 3]
 */
export function jacobiSvd(x: Float64Array, m: number, n: number, maxSweeps = 60): ThinSvd {
  if (m < n) throw new RangeError(`jacobiSvd needs m ≥ n, got ${m}×${n}`);
  // Work on columns: a[j] is column j of X (contiguous), v[j] column j of V.
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[j * m + i] = x[i * n + j]!;
  const v = new Float64Array(n * n);
  for (let j = 0; j < n; j++) v[j * n + j] = 1;
  const eps = 1e-15;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        const ap = p * m, aq = q * m;
        for (let i = 0; i < m; i++) {
          const xp = a[ap + i]!, xq = a[aq + i]!;
          alpha += xp * xp;
          beta += xq * xq;
          gamma += xp * xq;
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        for (let i = 0; i < m; i++) {
          const xp = a[ap + i]!, xq = a[aq + i]!;
          a[ap + i] = c * xp - s * xq;
          a[aq + i] = s * xp + c * xq;
        }
        const vp = p * n, vq = q * n;
        for (let i = 0; i < n; i++) {
          const yp = v[vp + i]!, yq = v[vq + i]!;
          v[vp + i] = c * yp - s * yq;
          v[vq + i] = s * yp + c * yq;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let acc = 0;
    for (let i = 0; i < m; i++) acc += a[j * m + i]! * a[j * m + i]!;
    norms[j] = Math.sqrt(acc);
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((i, j) => norms[j]! - norms[i]! || i - j);
  const u = new Float64Array(m * n), s = new Float64Array(n), vOut = new Float64Array(n * n);
  order.forEach((j, r) => {
    const sj = norms[j]!;
    s[r] = sj;
    for (let i = 0; i < m; i++) u[i * n + r] = sj > 0 ? a[j * m + i]! / sj : 0;
    for (let i = 0; i < n; i++) vOut[i * n + r] = v[j * n + i]!;
  });
  return { m, n, u, s, v: vOut };
}
