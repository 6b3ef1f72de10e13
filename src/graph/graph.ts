// The graph one event becomes: nodes are hits (a subset in pixel-only mode), edges are directed inner → outer
// candidate segments. Columnar typed arrays with named feature layouts, so the GNN indexes by constant, not by guess.

/** Node feature columns (row-major, NODE_FEATURES per node). Scaled as in HEP.TrkX: r/1000 mm, φ/π, z/1000 mm. */
export const NODE_R = 0;
export const NODE_PHI = 1;
export const NODE_Z = 2;
export const NODE_FEATURES = 3;
export const NODE_FEATURE_NAMES = ['r', 'phi', 'z'] as const;
export const R_SCALE_MM = 1000;
export const Z_SCALE_MM = 1000;

/** Edge feature columns (row-major, EDGE_FEATURES per edge), all dst − src: Δr/1000 mm, Δφ/π (wrapped to
 * [−π, π) first), Δz/1000 mm, Δη, ΔR = √(Δη² + Δφ_rad²). */
export const EDGE_DR = 0;
export const EDGE_DPHI = 1;
export const EDGE_DZ = 2;
export const EDGE_DETA = 3;
export const EDGE_DRETAPHI = 4;
export const EDGE_FEATURES = 5;
export const EDGE_FEATURE_NAMES = ['dr', 'dphi', 'dz', 'deta', 'dR'] as const;

/** Per-node truth, present when the event had truth: what labels and metrics need, stored with the graph so
 * later stages (GNN, report) and Python users need nothing else. */
export interface NodeTruth {
  /** Particle id per node (0 = noise), exact. */
  particleId: BigUint64Array;
  /** Dense particle number per node (−1 = noise); equal numbers = same particle within this graph. */
  particle: Int32Array;
  /** Order of the node's layer group along its particle's trajectory (0, 1, 2, …; −1 = noise). Hits of one
   * particle on the same layer (module overlaps) share a rank; a true segment joins ranks k and k+1. */
  rank: Int32Array;
  /** Transverse momentum of the node's particle at production, GeV (0 for noise). */
  ptGeV: Float32Array;
  /** Distance of the particle's production vertex from the beam axis, mm (0 for noise): secondaries and
   * decay products start away from the beamline, where the z0 and phi-slope cuts do not hold. */
  vertexRMm: Float32Array;
}

export interface Graph {
  eventId: string;
  /** Hit id per node (join key back to the event files). */
  hitId: Uint32Array;
  /** Volume id per node (for metrics by volume and the viewer). */
  volumeId: Uint8Array;
  /** Index of the node's layer in the layer model. */
  layer: Uint8Array;
  /** nNodes × NODE_FEATURES, row-major. */
  nodeFeatures: Float32Array;
  /** Edge endpoints as node rows; src is the inner hit (earlier layer in the adjacency). */
  src: Uint32Array;
  dst: Uint32Array;
  /** nEdges × EDGE_FEATURES, row-major. */
  edgeFeatures: Float32Array;
  /** 1 = true consecutive segment of one non-noise particle; absent without truth. */
  y?: Uint8Array;
  truth?: NodeTruth;
}

export function nodeCount(g: Graph): number {
  return g.hitId.length;
}

export function edgeCount(g: Graph): number {
  return g.src.length;
}
