// Where the simulated endcap hit excess comes from (issue #18). Real vs simulated, printed as tables:
//  1. prompt primaries with hits per |η| bin (the real full events' particles files): the pile-up η spectrum;
//  2. mean hits per prompt primary by pT × |η| (particles files' nhits): which particles leave too many hits;
//  3. per endcap disk: real hits (full events' mean, bench/results/realism.json) vs simulated, by source;
//  4. per volume (real 5 % sample truth): hits per crossed layer (double hits in overlapping modules), layers per
//     particle, holes between a particle's first and last layer.
// Run: npx tsx bench/endcap-excess.ts   (ENDCAP_EVENTS=N simulated events, default 4; writes nothing).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildDetectorIndex, loadDetector } from '../src/geometry/index.ts';
import { simulateConfig } from '../src/simulate/config.ts';
import { simulateEvent } from '../src/simulate/simulate-event.ts';
import { findEvents, readEvent } from '../src/trackml/index.ts';
import type { Particles, TrackmlEvent } from '../src/trackml/types.ts';
import { repoRoot, sharedDataDir } from './lib.ts';

const N = Number(process.env.ENDCAP_EVENTS ?? 4);
const PT = [0.15, 0.2, 0.3, 0.5, 1, Infinity];
const ETA = [0, 1, 1.5, 2, 2.5, 3, 4];
const SOURCES = ['noise', 'prompt pT≥0.3', 'prompt pT<0.3', 'displaced', 'secondary'];
const generation = (id: bigint) => Number((id >> 24n) & 0xfffn);
const isPrompt = (p: Particles, i: number) => generation(p.particleId[i]) === 0 && Math.hypot(p.vx[i], p.vy[i]) < 2;
const bin = (x: number, edges: number[]) => edges.findIndex((lo, k) => k < edges.length - 1 && x >= lo && x < edges[k + 1]);
const grid = () => PT.slice(1).map(() => ETA.slice(1).map(() => 0));
const pct = (s: number, r: number) => `${((s / r - 1) * 100).toFixed(1)} %`;

/** Adds prompt primaries (n) and their hits (h) per (pT, |η|) cell. */
function nhitsGrid(p: Particles, n: number[][], h: number[][]): void {
  for (let i = 0; i < p.px.length; i++) {
    if (!isPrompt(p, i)) continue;
    const pt = Math.hypot(p.px[i], p.py[i]);
    const a = bin(pt, PT);
    const b = bin(Math.abs(Math.asinh(p.pz[i] / pt)), ETA);
    if (a < 0 || b < 0) continue;
    n[a][b]++;
    h[a][b] += p.nhits[i];
  }
}

/** Source of every hit (index into SOURCES), from truth and the particles table. */
function hitSources(ev: TrackmlEvent): Uint8Array {
  const p = ev.particles!;
  const kind = new Map<bigint, number>();
  for (let i = 0; i < p.px.length; i++) {
    const k = generation(p.particleId[i]) > 0 ? 4 : !isPrompt(p, i) ? 3 : Math.hypot(p.px[i], p.py[i]) < 0.3 ? 2 : 1;
    kind.set(p.particleId[i], k);
  }
  return Uint8Array.from(ev.truth!.particleId, (id) => (id === 0n ? 0 : (kind.get(id) ?? 1)));
}

/** Per volume: [hits, distinct (particle, layer), distinct particles, holes, layers expected] of signal hits. */
function layerStats(ev: TrackmlEvent): Map<number, number[]> {
  const layers = new Map<string, Set<number>>();
  for (let i = 0; i < ev.hits.hitId.length; i++) {
    const pid = ev.truth!.particleId[i];
    if (pid === 0n) continue;
    const key = `${pid}:${ev.hits.volumeId[i]}`;
    if (!layers.has(key)) layers.set(key, new Set());
    layers.get(key)!.add(ev.hits.layerId[i]);
  }
  const out = new Map<number, number[]>();
  for (let i = 0; i < ev.hits.hitId.length; i++) {
    if (ev.truth!.particleId[i] === 0n) continue;
    const s = out.get(ev.hits.volumeId[i]) ?? [0, 0, 0, 0, 0];
    s[0]++;
    out.set(ev.hits.volumeId[i], s);
  }
  for (const [key, ls] of layers) {
    const s = out.get(Number(key.split(':')[1]))!;
    const span = (Math.max(...ls) - Math.min(...ls)) / 2 + 1;
    s[1] += ls.size;
    s[2]++;
    s[3] += span - ls.size;
    s[4] += span;
  }
  return out;
}

const det = buildDetectorIndex(loadDetector());
const config = simulateConfig();
const sims = Array.from({ length: N }, (_, e) => simulateEvent(det, config, 2026, e));
const withParticles = findEvents(path.join(sharedDataDir, 'full-events')).filter((f) => f.particles);
const reals = withParticles.map((f) => readEvent(f, ['particles']).particles!);

console.log(`\n1. prompt primaries with hits per event, by |η| (real: ${reals.length} events; simulated: ${N})`);
const etaCount = (p: Particles) => {
  const c = ETA.slice(1).map(() => 0);
  for (let i = 0; i < p.px.length; i++)
    if (isPrompt(p, i) && p.nhits[i] > 0) c[bin(Math.abs(Math.asinh(p.pz[i] / Math.hypot(p.px[i], p.py[i]))), ETA)]++;
  return c;
};
const rEta = reals.map(etaCount);
const sEta = sims.map((s) => etaCount(s.particles));
ETA.slice(1).forEach((hi, k) => {
  const r = rEta.reduce((a, c) => a + c[k], 0) / rEta.length;
  const s = sEta.reduce((a, c) => a + c[k], 0) / sEta.length;
  console.log(`  |η| ${ETA[k]}–${hi}: real ${r.toFixed(0)}  sim ${s.toFixed(0)}  ${pct(s, r)}`);
});

console.log('\n2. mean hits per prompt primary (particles files), real / simulated, rows pT (GeV), columns |η|');
const [rn, rh, sn, sh] = [grid(), grid(), grid(), grid()];
for (const p of reals) nhitsGrid(p, rn, rh);
for (const s of sims) nhitsGrid(s.particles, sn, sh);
console.log(
  `  ${''.padEnd(10)} ${ETA.slice(1)
    .map((hi, b) => `${ETA[b]}–${hi}`.padEnd(18))
    .join('')}`,
);
PT.slice(1).forEach((hi, a) => {
  const cells = ETA.slice(1).map((_, b) =>
    `${(rh[a][b] / rn[a][b]).toFixed(2)}/${(sh[a][b] / sn[a][b]).toFixed(2)} (${pct(sh[a][b] / sn[a][b], rh[a][b] / rn[a][b])})`.padEnd(18),
  );
  console.log(`  ${`${PT[a]}–${hi}`.padEnd(10)} ${cells.join('')}`);
});

console.log('\n3. hits per endcap disk: real (full events mean) vs simulated, simulated by source');
const rows = JSON.parse(readFileSync(path.join(repoRoot, 'bench/results/realism.json'), 'utf8')).rows as {
  key: string;
  real: { value: number };
}[];
const realLayer = new Map(rows.filter((r) => r.key.startsWith('hits.layer.')).map((r) => [r.key.slice(11), r.real.value]));
const bySource = new Map<string, number[]>();
const zOf = new Map<string, number>();
for (const s of sims) {
  const src = hitSources(s);
  for (let i = 0; i < s.hits.hitId.length; i++) {
    const key = `${s.hits.volumeId[i]}:${s.hits.layerId[i]}`;
    if (!bySource.has(key))
      bySource.set(
        key,
        SOURCES.map(() => 0),
      );
    bySource.get(key)![src[i]] += 1 / N;
    zOf.set(key, Math.round(Math.abs(s.hits.z[i]) / 10) * 10);
  }
}
console.log(`  disk (|z| mm): real  sim  sim − real | ${SOURCES.join(' / ')}`);
for (const [key, c] of [...bySource].sort()) {
  if (det.layers.find((l) => `${l.volumeId}:${l.layerId}` === key)?.kind !== 'endcap') continue;
  const s = c.reduce((a, b) => a + b, 0);
  const r = realLayer.get(key) ?? Number.NaN;
  console.log(
    `  ${key} (${zOf.get(key)}): ${r.toFixed(0)}  ${s.toFixed(0)}  ${(s - r).toFixed(0)} (${pct(s, r)}) | ${c.map((x) => x.toFixed(0)).join(' / ')}`,
  );
}

console.log('\n4. per volume, real 5 % sample truth vs simulated event 0: hits per crossed layer, layers per particle, holes');
const sample = layerStats(readEvent(findEvents(path.join(sharedDataDir, 'sample-event'))[0]));
const sim0 = layerStats(sims[0]);
const fmt = (s: number[]) => `${(s[0] / s[1]).toFixed(3)} ${(s[1] / s[2]).toFixed(2)} ${((100 * s[3]) / s[4]).toFixed(2)} %`;
for (const v of [...sample.keys()].sort((a, b) => a - b))
  console.log(`  volume ${v}: real ${fmt(sample.get(v)!)} (${sample.get(v)![1]} crossings)  sim ${fmt(sim0.get(v)!)}`);
