// Hand-made scored graphs for the track-builder tests: nodes at given layers and positions (mm), directed edges
// with given scores; and hand-made hits (positions, volume and layer) for the strip extension and seeding tests.
import { NODE_FEATURES, R_SCALE_MM, Z_SCALE_MM } from '../../src/graph/graph.ts';
import type { Hits } from '../../src/trackml/types.ts';
import type { ScoredGraph } from '../../src/tracks/index.ts';

export interface HandNode {
  hitId: number;
  layer: number;
  /** Cylindrical position: r (mm), φ (rad), z (mm). */
  rMm: number;
  phiRad: number;
  zMm: number;
}

export function handGraph(nodes: HandNode[], edges: [number, number, number][]): { graph: ScoredGraph; scores: Float32Array } {
  const n = nodes.length;
  const nodeFeatures = new Float32Array(n * NODE_FEATURES);
  nodes.forEach((v, i) => {
    nodeFeatures[i * NODE_FEATURES] = v.rMm / R_SCALE_MM;
    nodeFeatures[i * NODE_FEATURES + 1] = v.phiRad / Math.PI;
    nodeFeatures[i * NODE_FEATURES + 2] = v.zMm / Z_SCALE_MM;
  });
  return {
    graph: {
      hitId: Uint32Array.from(nodes.map((v) => v.hitId)),
      layer: Uint8Array.from(nodes.map((v) => v.layer)),
      nodeFeatures,
      src: Uint32Array.from(edges.map((e) => e[0])),
      dst: Uint32Array.from(edges.map((e) => e[1])),
    },
    scores: Float32Array.from(edges.map((e) => e[2])),
  };
}

/** A straight track of `layers` hits at φ = phiRad on barrel layers 0.. (r = 40, 80, 120, … mm), hit ids from
 * firstHitId; returns its nodes (append them to a node list starting at row `firstRow`) and chain edges. */
export function chain(
  firstRow: number,
  firstHitId: number,
  phiRad: number,
  layers: number,
  score: number,
): { nodes: HandNode[]; edges: [number, number, number][] } {
  const nodes: HandNode[] = [];
  const edges: [number, number, number][] = [];
  for (let l = 0; l < layers; l++) {
    nodes.push({ hitId: firstHitId + l, layer: l, rMm: 40 * (l + 1), phiRad, zMm: 10 * (l + 1) });
    if (l > 0) edges.push([firstRow + l - 1, firstRow + l, score]);
  }
  return { nodes, edges };
}

/** Track label per node as groups of hit ids, sorted, for order-free comparison. */
export function groupsOf(graph: ScoredGraph, label: Int32Array): number[][] {
  const by = new Map<number, number[]>();
  label.forEach((l, i) => by.set(l, [...(by.get(l) ?? []), graph.hitId[i]]));
  return [...by.values()].map((g) => g.sort((a, b) => a - b)).sort((a, b) => a[0] - b[0]);
}

/** A hit at a Cartesian position (mm) on a volume's layer. */
export interface HandHit {
  x: number;
  y: number;
  z: number;
  vol: number;
  layer: number;
}

/** Hits columns for `points`, hit ids from `firstHitId` on. */
export function handHits(points: HandHit[], firstHitId = 1): Hits {
  return {
    hitId: Uint32Array.from(points.map((_, i) => firstHitId + i)),
    x: Float32Array.from(points.map((p) => p.x)),
    y: Float32Array.from(points.map((p) => p.y)),
    z: Float32Array.from(points.map((p) => p.z)),
    volumeId: Uint8Array.from(points.map((p) => p.vol)),
    layerId: Uint8Array.from(points.map((p) => p.layer)),
    moduleId: new Uint16Array(points.length),
  };
}

/** Barrel layers a central particle crosses: pixel (8), short strips (13), long strips (17) as [volume, layer, radius mm]. */
export const BARREL_LAYERS: readonly [number, number, number][] = [
  [8, 2, 32],
  [8, 4, 72],
  [8, 6, 116],
  [8, 8, 172],
  [13, 2, 260],
  [13, 4, 360],
  [13, 6, 500],
  [13, 8, 660],
  [17, 2, 820],
  [17, 4, 1020],
];
