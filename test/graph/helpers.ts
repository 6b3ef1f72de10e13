// Hand-made events for graph tests: the TrackML pixel layers written out by hand, and hits placed exactly on
// helices from the origin (B = 2 T), so every expected edge can be worked out on paper.
import type { LayerSpec } from '../../src/graph/layers.ts';
import type { TrackmlEvent } from '../../src/trackml/types.ts';

export const B_FIELD_T = 2;

/** Pixel barrel (volume 8) and endcaps (7, 9) of TrackML, rounded. */
export const PIXEL_LAYERS: LayerSpec[] = [
  ...[32, 72, 116, 172].map((r, k) => ({
    volumeId: 8,
    layerId: 2 + 2 * k,
    kind: 'barrel' as const,
    rMinMm: r - 2,
    rMaxMm: r + 2,
    zMinMm: -491,
    zMaxMm: 491,
  })),
  ...[600, 700, 820, 960, 1100, 1300, 1500].flatMap((z, k) => [
    { volumeId: 9, layerId: 2 + 2 * k, kind: 'endcap' as const, rMinMm: 30, rMaxMm: 176, zMinMm: z - 3, zMaxMm: z + 3 },
    { volumeId: 7, layerId: 14 - 2 * k, kind: 'endcap' as const, rMinMm: 30, rMaxMm: 176, zMinMm: -z - 3, zMaxMm: -z + 3 },
  ]),
];

export interface HandHit {
  x: number;
  y: number;
  z: number;
  volumeId: number;
  layerId: number;
  /** 0 = noise */
  particleId: bigint;
}

/**
 * Hits of a helix from (0, 0, z0) with transverse momentum ptGeV, charge q, initial φ0 and cotθ, on the given
 * layers (in crossing order; the caller lists them). Barrel hits at the layer's mid radius, endcap hits at mid z.
 */
export function helixHits(
  layers: readonly LayerSpec[],
  ptGeV: number,
  q: number,
  phi0: number,
  cotTheta: number,
  z0: number,
  particleId: bigint,
): HandHit[] {
  const radiusMm = (ptGeV / (0.3 * B_FIELD_T)) * 1000;
  const at = (s: number, l: LayerSpec): HandHit => {
    const r = 2 * radiusMm * Math.sin(s / (2 * radiusMm));
    const phi = phi0 - (q * s) / (2 * radiusMm);
    return { x: r * Math.cos(phi), y: r * Math.sin(phi), z: z0 + s * cotTheta, volumeId: l.volumeId, layerId: l.layerId, particleId };
  };
  return layers.map((l) => {
    if (l.kind === 'barrel') {
      const r = 0.5 * (l.rMinMm + l.rMaxMm);
      return at(2 * radiusMm * Math.asin(r / (2 * radiusMm)), l);
    }
    return at((0.5 * (l.zMinMm + l.zMaxMm) - z0) / cotTheta, l);
  });
}

export function layer(volumeId: number, layerId: number): LayerSpec {
  const l = PIXEL_LAYERS.find((p) => p.volumeId === volumeId && p.layerId === layerId);
  if (!l) throw new Error(`no layer ${volumeId}/${layerId}`);
  return l;
}

/** An event from hand hits; hit ids are 1000 + row (deliberately not row numbers); particles start at the origin
 * unless `vertexZ` says otherwise, with the given pT along +x. */
export function handEvent(hits: readonly HandHit[], particles: { id: bigint; ptGeV: number; vz?: number }[]): TrackmlEvent {
  const n = hits.length;
  const ev: TrackmlEvent = {
    eventId: 'event000000042',
    hits: {
      hitId: Uint32Array.from(hits, (_, i) => 1000 + i),
      x: Float32Array.from(hits, (h) => h.x),
      y: Float32Array.from(hits, (h) => h.y),
      z: Float32Array.from(hits, (h) => h.z),
      volumeId: Uint8Array.from(hits, (h) => h.volumeId),
      layerId: Uint8Array.from(hits, (h) => h.layerId),
      moduleId: Uint16Array.from(hits, () => 1),
    },
    truth: {
      hitId: Uint32Array.from(hits, (_, i) => 1000 + i),
      particleId: BigUint64Array.from(hits, (h) => h.particleId),
      tx: Float32Array.from(hits, (h) => h.x),
      ty: Float32Array.from(hits, (h) => h.y),
      tz: Float32Array.from(hits, (h) => h.z),
      tpx: new Float32Array(n),
      tpy: new Float32Array(n),
      tpz: new Float32Array(n),
      weight: new Float64Array(n),
    },
    particles: {
      particleId: BigUint64Array.from(particles, (p) => p.id),
      particleType: undefined,
      vx: new Float32Array(particles.length),
      vy: new Float32Array(particles.length),
      vz: Float32Array.from(particles, (p) => p.vz ?? 0),
      px: Float32Array.from(particles, (p) => p.ptGeV),
      py: new Float32Array(particles.length),
      pz: new Float32Array(particles.length),
      q: new Int8Array(particles.length),
      nhits: new Uint16Array(particles.length),
    },
  };
  return ev;
}
