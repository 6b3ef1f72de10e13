// Phoenix event-data JSON (HSF Phoenix's documented format: { EVENT_KEY: { "event number", "run number",
// OBJECT_TYPE: { COLLECTION: [objects] } } }) of an event's hits, reconstructed tracks and truth particles. Every
// track carries its perigee parameters (`dparams` = [d0, z0, φ, θ, q/p] in mm, rad, 1/MeV, as Phoenix's
// extrapolator expects) and at least three positions: its perigee followed by its hits from the beam line
// outwards. Pure: used by `npm run export -- --to phoenix` and by the viewer's export button alike.
import { trackParams, type TrackParams } from '../tracks/track-params.ts';

export interface PhoenixHits {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  z: ArrayLike<number>;
}

export interface PhoenixTrackSet {
  name: string;
  /** Track label per hit row; labels < 0 (or in a group of fewer than minHits hits) are in no track. */
  labels: ArrayLike<number>;
  /** Tracks with fewer hits are left out (default 2: two hits and the perigee make three points). */
  minHits?: number;
  /** Hex colour per label (optional). */
  colour?: (label: number) => string;
}

export interface PhoenixTruthParticle {
  particleId: bigint;
  /** Production vertex (mm) and momentum (GeV), charge (e). */
  vx: number;
  vy: number;
  vz: number;
  px: number;
  py: number;
  pz: number;
  q: number;
  /** Hit rows of the particle. */
  rows: number[];
}

export interface PhoenixEventInput {
  eventId: string;
  hits: PhoenixHits;
  /** Hit rows for the Hits collection (default: all). */
  hitRows?: ArrayLike<number>;
  tracks: PhoenixTrackSet[];
  truth?: PhoenixTruthParticle[];
}

export interface PhoenixTrack {
  pos: [number, number, number][];
  dparams: [number, number, number, number, number];
  pT: number;
  eta: number;
  phi: number;
  d0: number;
  z0: number;
  charge: number;
  nhits: number;
  color?: string;
  particle_id?: string;
}

const r3 = (v: number): number => Math.round(v * 1000) / 1000;
const finite = (v: number): number => (Number.isFinite(v) ? v : 0);

function trackObject(p: TrackParams, pos: [number, number, number][], nhits: number): PhoenixTrack {
  return {
    pos: pos.map((q) => [r3(q[0]), r3(q[1]), r3(q[2])] as [number, number, number]),
    dparams: [finite(p.d0), finite(p.z0), finite(p.phi), finite(p.theta), finite(p.qOverP)],
    pT: Number.isFinite(p.ptGeV) ? p.ptGeV * 1000 : 1e9,
    eta: finite(p.eta),
    phi: finite(p.phi),
    d0: finite(p.d0),
    z0: finite(p.z0),
    charge: p.charge,
    nhits,
  };
}

/** Hit rows grouped by label, each group in order of distance from the origin. */
function groupRows(labels: ArrayLike<number>, h: PhoenixHits): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l < 0) continue;
    let g = groups.get(l);
    if (!g) groups.set(l, (g = []));
    g.push(i);
  }
  const d2 = (i: number) => h.x[i] ** 2 + h.y[i] ** 2 + h.z[i] ** 2;
  for (const g of groups.values()) g.sort((a, b) => d2(a) - d2(b));
  return groups;
}

/** Reconstructed tracks of one track set: parameters from a helix fit, perigee + hits as positions. */
export function phoenixTracks(h: PhoenixHits, set: PhoenixTrackSet): PhoenixTrack[] {
  const min = Math.max(2, set.minHits ?? 2);
  const out: PhoenixTrack[] = [];
  for (const [label, rows] of groupRows(set.labels, h)) {
    if (rows.length < min) continue;
    const p = trackParams(
      rows.map((i) => h.x[i]),
      rows.map((i) => h.y[i]),
      rows.map((i) => h.z[i]),
    );
    const t = trackObject(p, [p.perigee, ...rows.map((i) => [h.x[i], h.y[i], h.z[i]] as [number, number, number])], rows.length);
    if (set.colour) t.color = set.colour(label);
    out.push(t);
  }
  return out;
}

/** Truth particles as a Tracks collection: parameters from the production vertex and momentum. */
export function phoenixTruth(h: PhoenixHits, particles: PhoenixTruthParticle[]): PhoenixTrack[] {
  const out: PhoenixTrack[] = [];
  const d2 = (i: number) => h.x[i] ** 2 + h.y[i] ** 2 + h.z[i] ** 2;
  for (const p of particles) {
    if (p.rows.length === 0) continue;
    const pt = Math.hypot(p.px, p.py);
    const pTot = Math.hypot(pt, p.pz);
    const theta = Math.atan2(pt, p.pz);
    const phi = Math.atan2(p.py, p.px);
    const rows = [...p.rows].sort((a, b) => d2(a) - d2(b));
    const pos: [number, number, number][] = [[p.vx, p.vy, p.vz], ...rows.map((i) => [h.x[i], h.y[i], h.z[i]] as [number, number, number])];
    // Fewer than three points: one more on the straight line from the vertex along the momentum (10 mm out).
    if (pos.length < 3 && pTot > 0) pos.push([p.vx + (10 * p.px) / pTot, p.vy + (10 * p.py) / pTot, p.vz + (10 * p.pz) / pTot]);
    const params: TrackParams = {
      d0: Math.sign(Math.cos(phi) * p.vy - Math.sin(phi) * p.vx) * Math.hypot(p.vx, p.vy),
      z0: p.vz,
      phi,
      theta,
      qOverP: pTot > 0 ? p.q / (pTot * 1000) : 0,
      ptGeV: pt,
      eta: pt > 0 ? Math.asinh(p.pz / pt) : 0,
      charge: p.q,
      perigee: [p.vx, p.vy, p.vz],
    };
    const t = trackObject(params, pos, rows.length);
    t.particle_id = p.particleId.toString();
    out.push(t);
  }
  return out;
}

/** The whole event: { eventId: { event number, run number, Hits, Tracks } }. */
export function phoenixEvent(input: PhoenixEventInput): Record<string, unknown> {
  const h = input.hits;
  const rows = input.hitRows ?? Array.from({ length: h.x.length }, (_, i) => i);
  const hits: [number, number, number][] = [];
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    hits.push([r3(h.x[i]), r3(h.y[i]), r3(h.z[i])]);
  }
  const tracks: Record<string, PhoenixTrack[]> = {};
  for (const set of input.tracks) tracks[set.name] = phoenixTracks(h, set);
  if (input.truth) tracks['Truth particles'] = phoenixTruth(h, input.truth);
  return {
    [input.eventId]: {
      'event number': Number(input.eventId.replace(/^event/, '')),
      'run number': 0,
      units: 'positions mm; dparams [d0 mm, z0 mm, phi rad, theta rad, q/p 1/MeV]; pT MeV (ATLAS convention)',
      Hits: { Hits: hits },
      Tracks: tracks,
    },
  };
}
