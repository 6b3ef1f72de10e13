// Trivial baseline tracker: hits in the same (η, φ) cell seen from the beamline form one track. Only stiff tracks
// (high pT, small bending) survive it; it exists to exercise the scoring chain until the GNN tracker lands.
import type { Hits } from '../trackml/types.ts';

export interface AngleBinConfig {
  /** Number of φ bins over 2π. */
  phiBins: number;
  /** Number of η bins over [−etaMax, etaMax]. */
  etaBins: number;
  etaMax: number;
}

// Coarse cells score best on simulated MU=200 events (150×100: 0.11; 600×200: 0.05; 1200×400: 0.02).
export const defaultAngleBinConfig: AngleBinConfig = { phiBins: 150, etaBins: 100, etaMax: 4 };

/** One track id per hit row: the index of the hit's (η, φ) cell. Ids are dense per occupied cell, from 1. */
export function trackByAngleBins(hits: Hits, cfg: AngleBinConfig = defaultAngleBinConfig): BigInt64Array {
  const n = hits.hitId.length;
  const cellOf = new Int32Array(n);
  const phiScale = cfg.phiBins / (2 * Math.PI);
  const etaScale = cfg.etaBins / (2 * cfg.etaMax);
  for (let i = 0; i < n; i++) {
    const x = hits.x[i];
    const y = hits.y[i];
    const z = hits.z[i];
    const r = Math.hypot(x, y);
    const eta = Math.asinh(z / Math.max(r, 1e-6));
    const phiBin = Math.min(cfg.phiBins - 1, Math.floor((Math.atan2(y, x) + Math.PI) * phiScale));
    const etaClamped = Math.min(cfg.etaMax - 1e-9, Math.max(-cfg.etaMax, eta));
    const etaBin = Math.floor((etaClamped + cfg.etaMax) * etaScale);
    cellOf[i] = etaBin * cfg.phiBins + phiBin;
  }
  // Dense renumbering keeps ids small and readable in the submission.
  const dense = new Map<number, number>();
  const trackId = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    let id = dense.get(cellOf[i]);
    if (id === undefined) {
      id = dense.size + 1;
      dense.set(cellOf[i], id);
    }
    trackId[i] = BigInt(id);
  }
  return trackId;
}
