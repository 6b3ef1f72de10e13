// The procedural TrackML-like detector: rebuilds every module (centre, rotation, sizes, ids) from the compact
// layer table, so the default detector needs no detectors.csv. Output is sorted by (volume, layer, module id).
import type { Detectors } from '../trackml/types.ts';
import { unpackGroups } from './layer-table.ts';
import type { LayerTable } from './layer-table.ts';

export function buildDetectorFromTable(table: LayerTable): Detectors {
  const layers = [...table.layers]
    .sort((a, b) => a.volumeId - b.volumeId || a.layerId - b.layerId)
    .map((layer) => ({ layer, groups: unpackGroups(layer) }));
  let n = 0;
  for (const { groups } of layers) for (const g of groups) n += g.count;
  const det: Detectors = {
    volumeId: new Uint8Array(n),
    layerId: new Uint8Array(n),
    moduleId: new Uint16Array(n),
    cx: new Float64Array(n),
    cy: new Float64Array(n),
    cz: new Float64Array(n),
    rot: new Float64Array(9 * n),
    thicknessMm: new Float64Array(n),
    minHalfUMm: new Float64Array(n),
    maxHalfUMm: new Float64Array(n),
    halfVMm: new Float64Array(n),
    pitchUMm: new Float64Array(n),
    pitchVMm: new Float64Array(n),
  };

  let layerStart = 0;
  for (const { layer, groups } of layers) {
    const layerCount = groups.reduce((s, g) => s + g.count, 0);
    // Module ids of each group's modules (k = 0…count−1): consecutive blocks group after group, or dealt out
    // in the order of groupSequence (endcap rings interleave their ids).
    const idsOfGroup: Int32Array[] = groups.map((g) => new Int32Array(g.count));
    if (layer.groupSequence >= 0) {
      const sequence = table.groupSequences[layer.groupSequence];
      const filled = new Int32Array(groups.length);
      for (let j = 0; j < sequence.length; j++) {
        const gi = parseInt(sequence[j], 36);
        idsOfGroup[gi][filled[gi]++] = j + 1;
      }
    } else {
      let id = 1;
      groups.forEach((g, gi) => {
        for (let k = 0; k < g.count; k++) idsOfGroup[gi][k] = id++;
      });
    }

    const r0 = layer.rotationInPhiFrame;
    groups.forEach((g, gi) => {
      const type = table.moduleTypes[g.moduleType];
      const stepRad = (2 * Math.PI) / g.count;
      for (let k = 0; k < g.count; k++) {
        const i = layerStart + idsOfGroup[gi][k] - 1;
        const phi = g.phi0Rad + k * stepRad;
        const c = Math.cos(phi);
        const s = Math.sin(phi);
        const rMm = g.rMm + g.rOffsetsMm[k % g.rOffsetsMm.length];
        det.volumeId[i] = layer.volumeId;
        det.layerId[i] = layer.layerId;
        det.moduleId[i] = idsOfGroup[gi][k];
        det.cx[i] = rMm * c;
        det.cy[i] = rMm * s;
        det.cz[i] = g.zMm + g.zOffsetsMm[k % g.zOffsetsMm.length];
        // R = Rz(φ) · R0, row-major.
        const o = 9 * i;
        for (let col = 0; col < 3; col++) {
          det.rot[o + col] = c * r0[col] - s * r0[3 + col];
          det.rot[o + 3 + col] = s * r0[col] + c * r0[3 + col];
          det.rot[o + 6 + col] = r0[6 + col];
        }
        det.thicknessMm[i] = type.thicknessMm;
        det.minHalfUMm[i] = type.minHalfUMm;
        det.maxHalfUMm[i] = type.maxHalfUMm;
        det.halfVMm[i] = type.halfVMm;
        det.pitchUMm[i] = type.pitchUMm;
        det.pitchVMm[i] = type.pitchVMm;
      }
    });
    layerStart += layerCount;
  }
  return det;
}
