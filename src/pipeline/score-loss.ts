// Where the TrackML score is lost, per event with truth: every particle's truth weight is either scored (its hits in
// its good track) or lost, and the lost weight is split by failure kind and by the particle's pT, η, volume of its
// first hit, origin (prompt / displaced) and number of hits. No I/O; the fractions add up to 1 − score.
import { groupIds64 } from '../../scoring/dense-ids.ts';
import { hitRowLookup } from '../trackml/hit-lookup.ts';
import type { Hits, Particles, Submission, Truth } from '../trackml/types.ts';

/** Failure kinds, in the order tables show them. Whole-particle losses (no good track): `notFound` (no track holds
 * more than half its hits and its hits are not split over several tracks it leads), `split` (its hits lie in two or
 * more tracks it is the majority of, none holding more than half), `merged` (a track holds more than half its hits
 * but they are not more than half of that track). Partial losses of found particles: `unassigned` (hits left
 * alone), `inOtherTracks` (hits attached to another particle's track, i.e. that track's fake hits),
 * `fragments` (hits in a second, smaller track of its own). */
export const LOSS_KINDS = ['notFound', 'split', 'merged', 'unassigned', 'inOtherTracks', 'fragments'] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

/** Particle properties the loss is binned by, with bin labels. */
export const LOSS_AXES = {
  pt: { label: 'pT [GeV]', edges: [0, 0.3, 0.5, 1, 2, Infinity], names: ['< 0.3', '0.3–0.5', '0.5–1', '1–2', '≥ 2'] },
  eta: { label: '|η|', edges: [0, 1, 2, 3, Infinity], names: ['< 1', '1–2', '2–3', '≥ 3'] },
  origin: { label: 'production vertex r', edges: [0, 2, 30, Infinity], names: ['< 2 mm', '2–30 mm', '≥ 30 mm'] },
  nhits: { label: 'hits', edges: [0, 4, 6, 10, 15, Infinity], names: ['1–3', '4–5', '6–9', '10–14', '≥ 15'] },
} as const;
export type LossAxis = keyof typeof LOSS_AXES | 'volume';

/** Weight fractions of one bin (or of the whole event): `weight` the particles' share of the event's weight,
 * `lost[kind]` the share lost that way. Shares of the event's total weight, so an event's bins add up. */
export interface LossCell {
  particles: number;
  weight: number;
  lost: Record<LossKind, number>;
}

export interface ScoreLoss {
  /** Events summed (cells hold sums over events; divide by `events` for means). */
  events: number;
  score: number;
  total: LossCell;
  /** Per axis, the bin label → cell. `volume`: volume id of the particle's first hit (nearest its vertex). */
  by: Record<LossAxis, Record<string, LossCell>>;
  /** Hits of found particles outside their good track, by the volume of the hit (not of the particle's first hit):
   * where tracks leave their particles' hits. Same kinds and units as `lost` (only the three hit-level kinds). */
  lostHitsByVolume: Record<string, Record<LossKind, number>>;
}

const emptyLost = (): Record<LossKind, number> => ({
  notFound: 0,
  split: 0,
  merged: 0,
  unassigned: 0,
  inOtherTracks: 0,
  fragments: 0,
});
const emptyCell = (): LossCell => ({ particles: 0, weight: 0, lost: emptyLost() });

export function emptyScoreLoss(): ScoreLoss {
  const by = { volume: {} } as Record<LossAxis, Record<string, LossCell>>;
  for (const [axis, def] of Object.entries(LOSS_AXES)) {
    by[axis as LossAxis] = Object.fromEntries(def.names.map((n) => [n, emptyCell()]));
  }
  return { events: 0, score: 0, total: emptyCell(), by, lostHitsByVolume: {} };
}

function addCell(into: LossCell, from: LossCell): void {
  into.particles += from.particles;
  into.weight += from.weight;
  for (const k of LOSS_KINDS) into.lost[k] += from.lost[k];
}

/** Sums `b` into `a` (events add up; report means by dividing by `events`). */
export function mergeScoreLoss(a: ScoreLoss, b: ScoreLoss): ScoreLoss {
  a.events += b.events;
  a.score += b.score;
  addCell(a.total, b.total);
  for (const axis of Object.keys(b.by) as LossAxis[]) {
    for (const [name, cell] of Object.entries(b.by[axis])) addCell((a.by[axis][name] ??= emptyCell()), cell);
  }
  for (const [vol, lost] of Object.entries(b.lostHitsByVolume)) {
    const into = (a.lostHitsByVolume[vol] ??= emptyLost());
    for (const k of LOSS_KINDS) into[k] += lost[k];
  }
  return a;
}

const binName = (axis: keyof typeof LOSS_AXES, v: number): string => {
  const { edges, names } = LOSS_AXES[axis];
  for (let i = 0; i < names.length; i++) if (v < edges[i + 1]) return names[i];
  return names[names.length - 1];
};

/** Per dense particle: its truth rows, grouped (CSR), and per track (dense) its size and majority particle as the
 * official score picks it (most hits, ties → smaller particle id; noise counts as a particle). */
interface Grouping {
  nParticles: number;
  particleOfRow: Int32Array;
  particleId: BigUint64Array;
  trackOfRow: Int32Array;
  trackSize: Int32Array;
  trackMajor: Int32Array;
  trackMajorCount: Int32Array;
}

function groupRows(truth: Truth, submission: Submission): Grouping {
  const n = truth.hitId.length;
  const rowOf = hitRowLookup(truth.hitId);
  const tracks = groupIds64(submission.trackId);
  const trackOfRow = new Int32Array(n).fill(-1);
  for (let i = 0; i < submission.hitId.length; i++) {
    const r = rowOf(submission.hitId[i]);
    if (r >= 0) trackOfRow[r] = tracks.groupOfRow[i];
  }
  const parts = groupIds64(truth.particleId);
  const particleId = new BigUint64Array(parts.groups);
  for (let g = 0; g < parts.groups; g++) particleId[g] = truth.particleId[parts.firstRow[g]];
  const trackSize = new Int32Array(tracks.groups);
  for (let r = 0; r < n; r++) if (trackOfRow[r] >= 0) trackSize[trackOfRow[r]]++;
  // Majority per track: count (track, particle) pairs in one map keyed by track · nParticles + particle.
  const pairCount = new Map<number, number>();
  for (let r = 0; r < n; r++) {
    const t = trackOfRow[r];
    if (t < 0) continue;
    const key = t * parts.groups + parts.groupOfRow[r];
    pairCount.set(key, (pairCount.get(key) ?? 0) + 1);
  }
  const trackMajor = new Int32Array(tracks.groups).fill(-1);
  const trackMajorCount = new Int32Array(tracks.groups);
  for (const [key, c] of pairCount) {
    const t = Math.floor(key / parts.groups),
      p = key - t * parts.groups;
    const cur = trackMajor[t];
    if (c > trackMajorCount[t] || (c === trackMajorCount[t] && cur >= 0 && particleId[p] < particleId[cur])) {
      trackMajor[t] = p;
      trackMajorCount[t] = c;
    }
  }
  return { nParticles: parts.groups, particleOfRow: parts.groupOfRow, particleId, trackOfRow, trackSize, trackMajor, trackMajorCount };
}

/** Properties of each dense particle used for binning: from the particles file where it has the particle, else
 * from the truth momentum at its first hit (vertex unknown: counted as prompt). */
function particleProps(g: Grouping, hits: Hits, truth: Truth, particles: Particles | undefined) {
  const n = g.nParticles;
  const pt = new Float64Array(n).fill(NaN),
    eta = new Float64Array(n).fill(NaN),
    vr = new Float64Array(n),
    firstVolume = new Int32Array(n),
    firstDist = new Float64Array(n).fill(Infinity),
    nhits = new Int32Array(n);
  const vx = new Float64Array(n),
    vy = new Float64Array(n),
    vz = new Float64Array(n);
  if (particles) {
    const idx = new Map<bigint, number>();
    for (let p = 0; p < n; p++) idx.set(g.particleId[p], p);
    for (let i = 0; i < particles.particleId.length; i++) {
      const p = idx.get(particles.particleId[i]);
      if (p === undefined) continue;
      const px = particles.px[i],
        py = particles.py[i],
        pz = particles.pz[i];
      pt[p] = Math.hypot(px, py);
      eta[p] = Math.asinh(pz / Math.max(pt[p], 1e-9));
      vx[p] = particles.vx[i];
      vy[p] = particles.vy[i];
      vz[p] = particles.vz[i];
      vr[p] = Math.hypot(vx[p], vy[p]);
    }
  }
  const hitRow = hitRowLookup(hits.hitId);
  for (let r = 0; r < truth.hitId.length; r++) {
    const p = g.particleOfRow[r];
    nhits[p]++;
    const h = hitRow(truth.hitId[r]);
    const x = truth.tx[r] - vx[p],
      y = truth.ty[r] - vy[p],
      z = truth.tz[r] - vz[p];
    const d = x * x + y * y + z * z;
    if (d < firstDist[p]) {
      firstDist[p] = d;
      firstVolume[p] = h >= 0 ? hits.volumeId[h] : 0;
      if (Number.isNaN(pt[p]) || !particles) {
        pt[p] = Math.hypot(truth.tpx[r], truth.tpy[r]);
        eta[p] = Math.asinh(truth.tpz[r] / Math.max(pt[p], 1e-9));
      }
    }
  }
  return { pt, eta, vr, firstVolume, nhits };
}

/** The loss breakdown of one event. `particles` (optional) gives each particle's vertex and initial momentum. */
export function scoreLoss(hits: Hits, truth: Truth, submission: Submission, particles?: Particles): ScoreLoss {
  const g = groupRows(truth, submission);
  const props = particleProps(g, hits, truth, particles);
  const n = g.nParticles;
  const weightOf = new Float64Array(n);
  let totalWeight = 0;
  for (let r = 0; r < truth.hitId.length; r++) {
    weightOf[g.particleOfRow[r]] += truth.weight[r];
    totalWeight += truth.weight[r];
  }
  // Per particle: the track holding most of its hits, and its good track (if any).
  const goodTrackOf = new Int32Array(n).fill(-1);
  for (let t = 0; t < g.trackMajor.length; t++) {
    const p = g.trackMajor[t];
    if (p < 0) continue;
    if (2 * g.trackMajorCount[t] > g.trackSize[t] && 2 * g.trackMajorCount[t] > props.nhits[p]) goodTrackOf[p] = t;
  }
  const lost = Array.from({ length: n }, emptyLost);
  const scored = new Float64Array(n);
  const hitRow = hitRowLookup(hits.hitId);
  const byVolume: Record<string, Record<LossKind, number>> = {};
  const lostHit = (r: number, kind: LossKind, w: number): void => {
    const h = hitRow(truth.hitId[r]);
    (byVolume[String(h >= 0 ? hits.volumeId[h] : 0)] ??= emptyLost())[kind] += w / totalWeight;
  };
  // Hit by hit for found particles; whole particles below.
  const countIn = new Map<number, number>();
  for (let r = 0; r < truth.hitId.length; r++) {
    const p = g.particleOfRow[r],
      t = g.trackOfRow[r],
      w = truth.weight[r];
    if (t >= 0) countIn.set(t * n + p, (countIn.get(t * n + p) ?? 0) + 1);
    if (goodTrackOf[p] < 0) continue;
    if (t === goodTrackOf[p]) {
      scored[p] += w;
      continue;
    }
    const kind: LossKind = t < 0 || g.trackSize[t] === 1 ? 'unassigned' : g.trackMajor[t] === p ? 'fragments' : 'inOtherTracks';
    lost[p][kind] += w;
    lostHit(r, kind, w);
  }
  const tracksLed = new Int32Array(n),
    mostInOneTrack = new Int32Array(n);
  for (const [key, c] of countIn) {
    const t = Math.floor(key / n),
      p = key - t * n;
    if (c > mostInOneTrack[p]) mostInOneTrack[p] = c;
    if (g.trackMajor[t] === p && g.trackSize[t] > 1) tracksLed[p]++;
  }
  for (let p = 0; p < n; p++) {
    if (goodTrackOf[p] >= 0 || weightOf[p] === 0) continue;
    if (2 * mostInOneTrack[p] > props.nhits[p]) lost[p].merged = weightOf[p];
    else if (tracksLed[p] >= 2) lost[p].split = weightOf[p];
    else lost[p].notFound = weightOf[p];
  }
  const out = tally(g, props, weightOf, lost, scored, totalWeight);
  out.lostHitsByVolume = byVolume;
  return out;
}

function tally(
  g: Grouping,
  props: ReturnType<typeof particleProps>,
  weightOf: Float64Array,
  lost: Record<LossKind, number>[],
  scored: Float64Array,
  totalWeight: number,
): ScoreLoss {
  const out = emptyScoreLoss();
  out.events = 1;
  let score = 0;
  for (let p = 0; p < g.nParticles; p++) {
    if (weightOf[p] === 0) continue;
    score += scored[p] / totalWeight;
    const cell: LossCell = { particles: 1, weight: weightOf[p] / totalWeight, lost: emptyLost() };
    for (const k of LOSS_KINDS) cell.lost[k] = lost[p][k] / totalWeight;
    addCell(out.total, cell);
    addCell(out.by.pt[binName('pt', props.pt[p])], cell);
    addCell(out.by.eta[binName('eta', Math.abs(props.eta[p]))], cell);
    addCell(out.by.origin[binName('origin', props.vr[p])], cell);
    addCell(out.by.nhits[binName('nhits', props.nhits[p])], cell);
    addCell((out.by.volume[String(props.firstVolume[p])] ??= emptyCell()), cell);
  }
  out.score = score;
  return out;
}

/** Sum of every lost kind in a cell. */
export const lostTotal = (c: LossCell): number => LOSS_KINDS.reduce((s, k) => s + c.lost[k], 0);
