// The graph stage's entry: one event → one Graph (nodes = hits on the model's layers, edges from the configured
// builder, features, and truth labels when the event has truth).
import type { TrackmlEvent } from '../trackml/types.ts';
import type { GraphConfig } from './config.ts';
import { resolveCuts } from './config.ts';
import { edgeFeatures, nodeFeatures } from './features.ts';
import { buildGeometricEdges, type EdgeList, type NodeCoords } from './geometric.ts';
import type { Graph } from './graph.ts';
import { layerOfHits, type LayerModel } from './layers.ts';
import { applyModuleMap, type ModuleMap, type ModuleMapLearner, type ModuleLookup } from './module-map.ts';
import { applyRingMap, type ModuleRings, type RingMap, type RingMapLearner } from './ring-map.ts';
import { computeNodeTruth, labelEdges } from './truth.ts';

/** What graph building needs besides the event: built once per run, shared by all events. */
export interface GraphContext {
  model: LayerModel;
  /** Required for builder 'moduleMap'. */
  moduleMap?: ModuleMap;
  /** (volume, layer, module) → module row; required for the map builders. */
  modules?: ModuleLookup;
  /** Required for builder 'ringMap'. */
  ringMap?: RingMap;
  /** The detector's module rings; required for builder 'ringMap'. */
  rings?: ModuleRings;
}

export interface SelectedNodes extends NodeCoords {
  /** Hit row of each node in the event. */
  hitRow: Uint32Array;
  layer: Uint8Array;
}

/** The event's hits on the model's layers, with r, φ, z. */
export function selectNodes(event: TrackmlEvent, model: LayerModel): SelectedNodes {
  const h = event.hits;
  const layerOfHit = layerOfHits(model, h.volumeId, h.layerId);
  let n = 0;
  for (let i = 0; i < layerOfHit.length; i++) if (layerOfHit[i] >= 0) n++;
  const hitRow = new Uint32Array(n);
  const rMm = new Float32Array(n);
  const phiRad = new Float32Array(n);
  const zMm = new Float32Array(n);
  const layer = new Uint8Array(n);
  let k = 0;
  for (let i = 0; i < layerOfHit.length; i++) {
    if (layerOfHit[i] < 0) continue;
    hitRow[k] = i;
    rMm[k] = Math.hypot(h.x[i], h.y[i]);
    phiRad[k] = Math.atan2(h.y[i], h.x[i]);
    zMm[k] = h.z[i];
    layer[k] = layerOfHit[i];
    k++;
  }
  return { hitRow, rMm, phiRad, zMm, layer };
}

/** Edges only (the timed part of graph building). */
export function buildEdges(event: TrackmlEvent, nodes: SelectedNodes, ctx: GraphContext, config: GraphConfig): EdgeList {
  if (config.builder === 'geometric') return buildGeometricEdges(nodes, ctx.model, resolveCuts(config), config.phiBins);
  if (config.builder === 'ringMap') {
    if (!ctx.ringMap || !ctx.rings || !ctx.modules)
      throw new Error('buildEdges: builder ringMap needs ctx.ringMap, ctx.rings and ctx.modules');
    return applyRingMap(nodes, ringRows(event, nodes, ctx.modules, ctx.rings), ctx.ringMap, config.moduleMap.marginFraction);
  }
  if (!ctx.moduleMap || !ctx.modules) throw new Error('buildEdges: builder moduleMap needs ctx.moduleMap and ctx.modules');
  return applyModuleMap(nodes, moduleRows(event, nodes, ctx.modules), ctx.moduleMap, config.moduleMap.marginFraction);
}

/** Module row of each node (−1 for a module the lookup does not know). */
function moduleRows(event: TrackmlEvent, nodes: SelectedNodes, modules: ModuleLookup): Int32Array {
  const h = event.hits;
  const moduleRow = new Int32Array(nodes.hitRow.length);
  for (let k = 0; k < moduleRow.length; k++) {
    const i = nodes.hitRow[k];
    moduleRow[k] = modules.moduleIndexOf(h.volumeId[i], h.layerId[i], h.moduleId[i]);
  }
  return moduleRow;
}

/** Ring of each node (−1 for a module the lookup does not know). */
function ringRows(event: TrackmlEvent, nodes: SelectedNodes, modules: ModuleLookup, rings: ModuleRings): Int32Array {
  const rows = moduleRows(event, nodes, modules);
  for (let k = 0; k < rows.length; k++) if (rows[k] >= 0) rows[k] = rings.ringOfModule[rows[k]];
  return rows;
}

/** Adds the true segments of one event with truth (same nodes and module rows as the builder uses) to a module-map
 * learner: segments of particles with pT ≥ minPtGeV produced within maxVertexRMm of the beam axis. */
export function learnModuleMapEvent(
  learner: ModuleMapLearner,
  event: TrackmlEvent,
  ctx: GraphContext,
  minPtGeV: number,
  maxVertexRMm: number,
): void {
  if (!event.truth) throw new Error(`${event.eventId}: a module map is learned from truth`);
  if (!ctx.modules) throw new Error('learnModuleMapEvent: needs ctx.modules');
  const nodes = selectNodes(event, ctx.model);
  const hitId = Uint32Array.from(nodes.hitRow, (r) => event.hits.hitId[r]);
  const truth = computeNodeTruth(hitId, nodes.layer, event.truth, event.particles);
  learner.add(nodes, moduleRows(event, nodes, ctx.modules), truth, minPtGeV, maxVertexRMm);
}

/** The ring-map counterpart of learnModuleMapEvent. */
export function learnRingMapEvent(
  learner: RingMapLearner,
  event: TrackmlEvent,
  ctx: GraphContext,
  minPtGeV: number,
  maxVertexRMm: number,
): void {
  if (!event.truth) throw new Error(`${event.eventId}: a ring map is learned from truth`);
  if (!ctx.modules || !ctx.rings) throw new Error('learnRingMapEvent: needs ctx.modules and ctx.rings');
  const nodes = selectNodes(event, ctx.model);
  const hitId = Uint32Array.from(nodes.hitRow, (r) => event.hits.hitId[r]);
  const truth = computeNodeTruth(hitId, nodes.layer, event.truth, event.particles);
  learner.add(nodes, ringRows(event, nodes, ctx.modules, ctx.rings), truth, minPtGeV, maxVertexRMm);
}

/** buildGraph(event, ctx, config) → Graph: the one entry function of the stage. */
export function buildGraph(event: TrackmlEvent, ctx: GraphContext, config: GraphConfig): Graph {
  const nodes = selectNodes(event, ctx.model);
  const { src, dst } = buildEdges(event, nodes, ctx, config);
  const h = event.hits;
  const hitId = new Uint32Array(nodes.hitRow.length);
  const volumeId = new Uint8Array(nodes.hitRow.length);
  for (let k = 0; k < hitId.length; k++) {
    hitId[k] = h.hitId[nodes.hitRow[k]];
    volumeId[k] = h.volumeId[nodes.hitRow[k]];
  }
  const graph: Graph = {
    eventId: event.eventId,
    hitId,
    volumeId,
    layer: nodes.layer,
    nodeFeatures: nodeFeatures(nodes),
    src,
    dst,
    edgeFeatures: edgeFeatures(nodes, src, dst),
  };
  if (event.truth) {
    graph.truth = computeNodeTruth(hitId, nodes.layer, event.truth, event.particles);
    graph.y = labelEdges(src, dst, graph.truth);
  }
  return graph;
}
