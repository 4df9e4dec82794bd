/**
 * Unpacking a batch of AO pairs from 8-fold packed electron-repulsion integrals, shared by the
 * MP2 and coupled-cluster integral transformations.
 */

/**
 * out[μ][ν][P − p0] = (μν|P) for the AO pairs P ∈ [p0, p0 + nbat), symmetric in μν (n AO functions,
 * pair index P = λ(λ+1)/2 + σ for λ ≥ σ, as in PackedEri). Walking the pairs q = (μ ≥ ν) in order
 * with the batch's P innermost reads (q|P) for P < q as one contiguous run of row q, and (P|q) for
 * P ≥ q as nbat row streams that advance together; every write is a contiguous run of nbat.
 * `out` needs n²·nbat elements.
 */
export function unpackPairBatch(values: Float64Array, n: number, p0: number, nbat: number, out: Float64Array): void {
  let q = 0;
  for (let mu = 0; mu < n; mu++) {
    for (let nu = 0; nu <= mu; nu++, q++) {
      const qBase = (q * (q + 1)) / 2;
      const x1 = (mu * n + nu) * nbat;
      const x2 = (nu * n + mu) * nbat;
      const split = Math.min(nbat, Math.max(0, q - p0));
      for (let pp = 0; pp < split; pp++) {
        const v = values[qBase + p0 + pp];
        out[x1 + pp] = v;
        out[x2 + pp] = v;
      }
      for (let pp = split; pp < nbat; pp++) {
        const p = p0 + pp;
        const v = values[(p * (p + 1)) / 2 + q];
        out[x1 + pp] = v;
        out[x2 + pp] = v;
      }
    }
  }
}
