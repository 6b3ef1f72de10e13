// A small detector laid out by hand: one endcap layer (two rings, interleaved ids, z stagger) and one barrel
// layer (two rows of tilted modules at alternating radii). Every number in it can be checked on paper.
import { barrelR0, ENDCAP_NEG_R0, makeDetectors, turnedByPhi } from './helpers.ts';
import type { HandModule } from './helpers.ts';

export const BARREL_TILT_RAD = 0.1;
/** Ring A: 4 modules of 10/10/20 mm at r = 50; ring B: 6 trapezoids 12→16 / 20 mm at r = 120. */
export const RING_A = { count: 4, phi0Rad: (-3 * Math.PI) / 4, rMm: 50, minHalfUMm: 10, maxHalfUMm: 10, halfVMm: 20 };
export const RING_B = { count: 6, phi0Rad: (-5 * Math.PI) / 6, rMm: 120, minHalfUMm: 12, maxHalfUMm: 16, halfVMm: 20 };
/** Group (ring) of module ids 1…10. */
export const ENDCAP_SEQUENCE = '0110101101';
/** Barrel rows: 8 modules each, at z = −50 (r = 100) and z = +50 (r = 101). */
export const ROWS = [
  { zMm: -50, rMm: 100 },
  { zMm: 50, rMm: 101 },
];
export const ROW_PHI0_RAD = (-7 * Math.PI) / 8;

export function handDetectorModules(): HandModule[] {
  const modules: HandModule[] = [];
  // Barrel first in the list, to check that layers come out ordered by (volume, layer) anyway.
  ROWS.forEach((row, ri) => {
    for (let k = 0; k < 8; k++) {
      const phi = ROW_PHI0_RAD + (k * Math.PI) / 4;
      modules.push({
        volumeId: 8,
        layerId: 2,
        moduleId: ri * 8 + k + 1,
        centre: [row.rMm * Math.cos(phi), row.rMm * Math.sin(phi), row.zMm],
        rot: turnedByPhi(phi, barrelR0(BARREL_TILT_RAD)),
        minHalfUMm: 10,
        maxHalfUMm: 10,
        halfVMm: 20,
      });
    }
  });
  const nextInRing = [0, 0];
  for (let j = 0; j < ENDCAP_SEQUENCE.length; j++) {
    const g = Number(ENDCAP_SEQUENCE[j]);
    const ring = g === 0 ? RING_A : RING_B;
    const k = nextInRing[g]++;
    const phi = ring.phi0Rad + (k * 2 * Math.PI) / ring.count;
    modules.push({
      volumeId: 7,
      layerId: 2,
      moduleId: j + 1,
      centre: [ring.rMm * Math.cos(phi), ring.rMm * Math.sin(phi), -1000 + (k % 2 === 0 ? -2 : 2)],
      rot: turnedByPhi(phi, ENDCAP_NEG_R0),
      minHalfUMm: ring.minHalfUMm,
      maxHalfUMm: ring.maxHalfUMm,
      halfVMm: ring.halfVMm,
    });
  }
  return modules;
}

export const handDetector = () => makeDetectors(handDetectorModules());
