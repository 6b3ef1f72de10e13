// Test helpers for the geometry stage: the real data location, and small hand-made detectors whose layout can
// be checked on paper.
import { sampleEventFile } from '../real-data.ts';
import type { Detectors } from '../../src/trackml/types.ts';

export { describeRealData, itRealData, realDataDir, realDetectorsFile, repoRoot } from '../real-data.ts';
/** Deterministic uniform numbers in [0, 1), so failures reproduce. */
export { mulberry32 as seededRandom } from '../../src/core/random.ts';
export const realHitsFile = (): string => sampleEventFile('hits');

export interface HandModule {
  volumeId: number;
  layerId: number;
  moduleId: number;
  centre: [number, number, number];
  /** Row-major, columns u, v, w (as detectors.csv). */
  rot: number[];
  minHalfUMm: number;
  maxHalfUMm: number;
  halfVMm: number;
  thicknessMm?: number;
}

export function makeDetectors(modules: HandModule[]): Detectors {
  const n = modules.length;
  const det: Detectors = {
    volumeId: Uint8Array.from(modules, (m) => m.volumeId),
    layerId: Uint8Array.from(modules, (m) => m.layerId),
    moduleId: Uint16Array.from(modules, (m) => m.moduleId),
    cx: Float64Array.from(modules, (m) => m.centre[0]),
    cy: Float64Array.from(modules, (m) => m.centre[1]),
    cz: Float64Array.from(modules, (m) => m.centre[2]),
    rot: new Float64Array(9 * n),
    thicknessMm: Float64Array.from(modules, (m) => m.thicknessMm ?? 0.15),
    minHalfUMm: Float64Array.from(modules, (m) => m.minHalfUMm),
    maxHalfUMm: Float64Array.from(modules, (m) => m.maxHalfUMm),
    halfVMm: Float64Array.from(modules, (m) => m.halfVMm),
    pitchUMm: new Float64Array(n).fill(0.05),
    pitchVMm: new Float64Array(n).fill(0.05625),
  };
  modules.forEach((m, i) => det.rot.set(m.rot, 9 * i));
  return det;
}

/** Rz(φ) · R0 as row-major 9 numbers. */
export function turnedByPhi(phiRad: number, r0: number[]): number[] {
  const c = Math.cos(phiRad);
  const s = Math.sin(phiRad);
  const out: number[] = [];
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) {
      if (row === 0) out.push(c * r0[col] - s * r0[3 + col]);
      else if (row === 1) out.push(s * r0[col] + c * r0[3 + col]);
      else out.push(r0[6 + col]);
    }
  }
  return out;
}

/** Barrel module frame in the φ frame with tilt t: u = (−sin t, cos t, 0), v = z, w = (cos t, sin t, 0). */
export function barrelR0(tiltRad: number): number[] {
  const c = Math.cos(tiltRad);
  const s = Math.sin(tiltRad);
  return [-s, 0, c, c, 0, s, 0, 1, 0];
}

/** Endcap module frame in the φ frame facing −z: u = φ̂, v = r̂, w = −z. */
export const ENDCAP_NEG_R0 = [0, 1, 0, 1, 0, 0, 0, 0, -1];

/** Deep equality where numbers may differ by `tolerance` (last-digit rounding of a libm result can differ between
 * Node builds); strings, keys, array lengths and everything else must match exactly. Returns the first
 * difference as a path, or undefined. */
export function firstDifference(a: unknown, b: unknown, tolerance = 1e-3, where = '$'): string | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    return Math.abs(a - b) <= tolerance ? undefined : `${where}: ${a} vs ${b}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${where}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], tolerance, `${where}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) return `${where}: keys ${ka.join()} vs ${kb.join()}`;
    for (const k of ka) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], tolerance, `${where}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${where}: ${String(a)} vs ${String(b)}`;
}
