// Measures how closely one detector description (e.g. the procedural one) reproduces another (the real file):
// per volume, centre distance to the same-id module and to the nearest module of the same layer, normal angle.

import type { Detectors } from '../trackml/types.ts';
import { groupRowsByLayer } from './layer-table.ts';

export interface VolumeMismatch {
  volumeId: number;
  /** Modules of the reference in this volume. */
  moduleCount: number;
  /** Reference modules with no module of the same (volume, layer, module id) in the candidate. */
  missingCount: number;
  /** |centre − centre of the same-id module|, mm. */
  sameIdMeanMm: number;
  sameIdMaxMm: number;
  /** Distance to the nearest candidate module centre of the same layer, mm. */
  nearestMeanMm: number;
  nearestMaxMm: number;
  /** Angle between the normals (w axes) of same-id modules, rad. */
  normalMeanRad: number;
  normalMaxRad: number;
  /** Same-id modules whose half sizes, thickness or pitch differ. */
  sizeMismatchCount: number;
}

/** Compares `candidate` to `reference` module by module; one row per reference volume, ascending. */
export function compareDetectors(reference: Detectors, candidate: Detectors): VolumeMismatch[] {
  const candByKey = new Map<number, number>();
  for (let i = 0; i < candidate.volumeId.length; i++) {
    candByKey.set((candidate.volumeId[i] * 256 + candidate.layerId[i]) * 65536 + candidate.moduleId[i], i);
  }
  const candLayers = new Map<number, number[]>();
  for (const l of groupRowsByLayer(candidate)) candLayers.set(l.volumeId * 256 + l.layerId, l.rows);

  const byVolume = new Map<number, VolumeMismatch & { matched: number }>();
  for (const { volumeId, layerId, rows } of groupRowsByLayer(reference)) {
    let v = byVolume.get(volumeId);
    if (v === undefined) {
      v = {
        volumeId,
        moduleCount: 0,
        missingCount: 0,
        sameIdMeanMm: 0,
        sameIdMaxMm: 0,
        nearestMeanMm: 0,
        nearestMaxMm: 0,
        normalMeanRad: 0,
        normalMaxRad: 0,
        sizeMismatchCount: 0,
        matched: 0,
      };
      byVolume.set(volumeId, v);
    }
    const sameLayer = candLayers.get(volumeId * 256 + layerId) ?? [];
    for (const i of rows) {
      v.moduleCount++;
      // Nearest centre in the same layer: a linear scan is fine for a one-off measurement (≤ 3 k per layer).
      let nearest2 = Infinity;
      for (const j of sameLayer) {
        const dx = reference.cx[i] - candidate.cx[j];
        const dy = reference.cy[i] - candidate.cy[j];
        const dz = reference.cz[i] - candidate.cz[j];
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 < nearest2) nearest2 = d2;
      }
      const nearest = Math.sqrt(nearest2);
      if (sameLayer.length > 0) {
        v.nearestMeanMm += nearest;
        v.nearestMaxMm = Math.max(v.nearestMaxMm, nearest);
      }
      const j = candByKey.get((volumeId * 256 + layerId) * 65536 + reference.moduleId[i]);
      if (j === undefined) {
        v.missingCount++;
        continue;
      }
      v.matched++;
      const d = Math.hypot(reference.cx[i] - candidate.cx[j], reference.cy[i] - candidate.cy[j], reference.cz[i] - candidate.cz[j]);
      v.sameIdMeanMm += d;
      v.sameIdMaxMm = Math.max(v.sameIdMaxMm, d);
      const a = reference.rot;
      const b = candidate.rot;
      const dot = a[9 * i + 2] * b[9 * j + 2] + a[9 * i + 5] * b[9 * j + 5] + a[9 * i + 8] * b[9 * j + 8];
      const na = Math.hypot(a[9 * i + 2], a[9 * i + 5], a[9 * i + 8]);
      const nb = Math.hypot(b[9 * j + 2], b[9 * j + 5], b[9 * j + 8]);
      const angle = Math.acos(Math.min(1, Math.max(-1, dot / (na * nb))));
      v.normalMeanRad += angle;
      v.normalMaxRad = Math.max(v.normalMaxRad, angle);
      if (
        reference.minHalfUMm[i] !== candidate.minHalfUMm[j] ||
        reference.maxHalfUMm[i] !== candidate.maxHalfUMm[j] ||
        reference.halfVMm[i] !== candidate.halfVMm[j] ||
        reference.thicknessMm[i] !== candidate.thicknessMm[j] ||
        reference.pitchUMm[i] !== candidate.pitchUMm[j] ||
        reference.pitchVMm[i] !== candidate.pitchVMm[j]
      ) {
        v.sizeMismatchCount++;
      }
    }
  }
  return [...byVolume.values()]
    .sort((a, b) => a.volumeId - b.volumeId)
    .map(({ matched, ...v }) => ({
      ...v,
      sameIdMeanMm: matched > 0 ? v.sameIdMeanMm / matched : 0,
      normalMeanRad: matched > 0 ? v.normalMeanRad / matched : 0,
      nearestMeanMm: v.moduleCount > 0 ? v.nearestMeanMm / v.moduleCount : 0,
    }));
}
