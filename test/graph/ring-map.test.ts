// Ring maps (src/graph/ring-map.ts): rings of the built-in and the real detector agree, learning and applying agree
// exactly, the file round-trips, and the shipped whole-detector map joins hand-made helices across barrel → endcap
// transitions, the strip layers and a missing hit.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { ringMapFromArrow, ringMapToArrow } from '../../src/graph/arrow-io.ts';
import { buildGraph, learnRingMapEvent } from '../../src/graph/build.ts';
import { graphConfig, graphConfigSchema } from '../../src/graph/config.ts';
import { edgeMetrics } from '../../src/graph/metrics.ts';
import { findRing, moduleRings, RingMapLearner } from '../../src/graph/ring-map.ts';
import { makeGraphContext } from '../../src/graph/stage.ts';
import { simulateConfig } from '../../src/simulate/config.ts';
import { HitBuffer } from '../../src/simulate/hit-buffer.ts';
import { ParticleList } from '../../src/simulate/particle-list.ts';
import { Propagator } from '../../src/simulate/propagate.ts';
import { eventRng } from '../../src/simulate/rng.ts';
import { simulateEvent } from '../../src/simulate/simulate-event.ts';
import { encodeParticleId } from '../../src/trackml/particle-id.ts';
import type { TrackmlEvent } from '../../src/trackml/types.ts';
import { itRealData, realDetectorsFile, repoRoot } from '../real-data.ts';

const builtIn = buildDetectorIndex(loadDetector());

describe('module rings', () => {
  itRealData('group the built-in and the real detector alike, so one map file serves both', () => {
    const a = moduleRings(builtIn);
    const b = moduleRings(buildDetectorIndex(loadDetector(realDetectorsFile())));
    expect(a.count).toBeGreaterThan(300);
    expect(b.count).toBe(a.count);
    const seen = new Set<number>();
    for (let k = 0; k < a.count; k++) {
      const j = findRing(b, a.volumeId[k], a.layerId[k], a.rMm[k], a.zMm[k]);
      expect(j).toBeGreaterThanOrEqual(0);
      seen.add(j);
    }
    expect(seen.size).toBe(a.count); // one to one
    // Every module of a ring sits at the ring's radius and z (they differ only in φ).
    for (let m = 0; m < builtIn.moduleCount; m += 97) {
      const k = a.ringOfModule[m];
      expect(Math.abs(Math.hypot(builtIn.centre[3 * m], builtIn.centre[3 * m + 1]) - a.rMm[k])).toBeLessThan(2);
      expect(Math.abs(builtIn.centre[3 * m + 2] - a.zMm[k])).toBeLessThan(2);
    }
  });
});

describe('ring map learning and applying', () => {
  const config = graphConfig({ builder: 'ringMap', detector: 'full', moduleMap: { marginFraction: 0 } });
  const ctx = makeGraphContext({ ...config, builder: 'geometric' });
  const sim = simulateConfig({ pileup: 20, simulatedPtMinGeV: 0.5, noiseFraction: 0 });
  const events = [0, 1].map((i) => simulateEvent(ctx.detector, sim, 3, i));
  const learner = new RingMapLearner(ctx.rings!.count);
  for (const ev of events) learnRingMapEvent(learner, ev, ctx, 0.5, 2);
  const map = learner.finish();

  it('keeps every segment it learned from, at zero margin (same formulas both ways)', () => {
    for (const ev of events) {
      const g = buildGraph(ev, { ...ctx, ringMap: map }, config);
      const m = edgeMetrics(g);
      expect(m.byPt.pt0p5Prompt.segments).toBeGreaterThan(200);
      expect(m.byPt.pt0p5Prompt.efficiency).toBe(1);
    }
  });

  it('round-trips through its Arrow file, and a ring the detector lacks is an error', () => {
    const bytes = ringMapToArrow(map, ctx.rings!, { events: '2' });
    const back = ringMapFromArrow(bytes, ctx.rings!);
    expect([...back.srcRing]).toEqual([...map.srcRing]);
    expect([...back.dstRing]).toEqual([...map.dstRing]);
    expect([...back.lo]).toEqual([...map.lo]);
    expect([...back.hi]).toEqual([...map.hi]);
    const fewer = { ...ctx.rings!, count: 10 };
    expect(() => ringMapFromArrow(bytes, fewer, 'x.arrow')).toThrow(/x\.arrow: row \d+ names a ring/);
  });

  it('trims ranges to quantiles when asked, never widening them', () => {
    const trimmed = new RingMapLearner(ctx.rings!.count, 0.01);
    for (const ev of events) learnRingMapEvent(trimmed, ev, ctx, 0.5, 2);
    const t = trimmed.finish();
    let narrower = 0;
    for (let i = 0; i < t.lo.length; i++) {
      expect(t.lo[i]).toBeGreaterThanOrEqual(map.lo[i]);
      expect(t.hi[i]).toBeLessThanOrEqual(map.hi[i]);
      if (t.lo[i] > map.lo[i] || t.hi[i] < map.hi[i]) narrower++;
    }
    expect(narrower).toBeGreaterThan(0);
    expect(trimmed.finish(0).lo).toEqual(map.lo); // the same learner still gives min/max
  });
});

/** Hits of hand-made particles from the origin (pT, η, φ, charge), propagated as clean helices (no material, no
 * missed hits) through the built-in detector; `drop` removes the listed hit rows of the particle (a hole). */
function helixEvent(particles: { ptGeV: number; eta: number; phi: number; q: number; drop?: number[] }[]): TrackmlEvent {
  const config = simulateConfig({
    materialScale: 0,
    energyLoss: false,
    hitEfficiency: 1,
    hitEfficiencyPerVolume: {},
    interactionScale: 0,
    noiseFraction: 0,
  });
  const list = new ParticleList();
  const buf = new HitBuffer();
  const prop = new Propagator(builtIn, config, eventRng(1, 1), list, buf);
  const rows: { start: number; end: number; drop: number[] }[] = [];
  particles.forEach((p, i) => {
    const pz = p.ptGeV * Math.sinh(p.eta);
    list.add(
      encodeParticleId({ vertexId: 1, primaryId: i + 1, generation: 0, secondaryId: 0, process: 0 }),
      211 * p.q,
      p.q,
      0.13957,
      0,
      0,
      0,
      0,
      p.ptGeV * Math.cos(p.phi),
      p.ptGeV * Math.sin(p.phi),
      pz,
    );
    const start = buf.length;
    prop.propagate(i);
    rows.push({ start, end: buf.length, drop: p.drop ?? [] });
  });
  const keep: number[] = [];
  for (const r of rows) for (let k = r.start; k < r.end; k++) if (!r.drop.includes(k - r.start)) keep.push(k);
  const n = keep.length;
  const hitId = Uint32Array.from(keep, (_, i) => i + 1);
  const f32 = (col: Float64Array) => Float32Array.from(keep, (k) => col[k]);
  return {
    eventId: 'event000000001',
    hits: {
      hitId,
      x: f32(buf.x),
      y: f32(buf.y),
      z: f32(buf.z),
      volumeId: Uint8Array.from(keep, (k) => builtIn.volumeId[buf.module[k]]),
      layerId: Uint8Array.from(keep, (k) => builtIn.layerId[buf.module[k]]),
      moduleId: Uint16Array.from(keep, (k) => builtIn.moduleId[buf.module[k]]),
    },
    truth: {
      hitId,
      particleId: BigUint64Array.from(keep, (k) => list.particleId[buf.particle[k]]),
      tx: f32(buf.tx),
      ty: f32(buf.ty),
      tz: f32(buf.tz),
      tpx: f32(buf.tpx),
      tpy: f32(buf.tpy),
      tpz: f32(buf.tpz),
      weight: new Float64Array(n).fill(1),
    },
    particles: list.toParticles(),
  };
}

describe('shipped whole-detector map on hand-made helices', () => {
  const configFile = path.join(repoRoot, 'pipelines', 'graphs-ringmap-full-pt1.yaml');
  const config = loadConfig(graphConfigSchema, configFile);
  const ctx = makeGraphContext(config, configFile);

  it('joins every consecutive pair of hits: pixel and strip barrels, barrel → endcap transitions, disks, a hole', () => {
    // Central (pixel → short → long strip barrel), barrel → endcap in the pixels (|η| 2.4, both sides) and in the
    // strips (η 1.6, −1.5), far forward (disks only), both charges; one helix with a strip-barrel hit removed (a hole).
    const event = helixEvent([
      { ptGeV: 3, eta: 0.2, phi: 0.3, q: 1 },
      { ptGeV: 3, eta: 2.4, phi: 0.5, q: 1 },
      { ptGeV: 4, eta: -2.4, phi: 2.9, q: -1 },
      { ptGeV: 2, eta: 1.6, phi: 1.7, q: -1 },
      { ptGeV: 4, eta: -1.5, phi: -2.1, q: 1 },
      { ptGeV: 2.5, eta: 3.0, phi: -0.6, q: 1 },
      { ptGeV: 6, eta: 0.5, phi: -1.2, q: 1, drop: [9] },
    ]);
    const g = buildGraph(event, ctx, config);
    const m = edgeMetrics(g);
    const vols = new Set(event.hits.volumeId);
    for (const v of [7, 8, 9, 12, 13, 14, 16, 17, 18]) expect(vols.has(v)).toBe(true);
    // Transitions the helices make, by the volumes of consecutive hits.
    const kinds = new Set<string>();
    const y = g.y!;
    for (let e = 0; e < g.src.length; e++) if (y[e]) kinds.add(`${g.volumeId[g.src[e]]}>${g.volumeId[g.dst[e]]}`);
    for (const t of ['8>8', '8>13', '13>17', '8>9', '8>7', '13>14', '13>12', '12>16', '9>9', '14>14', '14>18']) expect(kinds).toContain(t);
    expect(m.byPt.all.segments).toBeGreaterThan(60);
    expect(m.byPt.all.efficiency).toBe(1);
  });
});
