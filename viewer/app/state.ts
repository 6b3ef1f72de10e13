// The viewer's whole state in one object, and its round trip through the URL query, so a link restores the view
// (event, cuts, threshold, colouring, hit style, track set, projection, camera). Pure: no DOM, tested in Node.

export const HIT_COLOURINGS = ['volume', 'particle', 'track', 'match'] as const;
export const EDGE_COLOURINGS = ['score', 'truth'] as const;
export const PROJECTIONS = ['3d', 'xy', 'rz'] as const;
export const TRACK_SOURCES = ['live', 'submission', 'none'] as const;
/** How hits are drawn: faded behind the graph's edges (default), at full strength, or only the graph's nodes. */
export const HIT_STYLES = ['faded', 'full', 'graph'] as const;

export type HitColouring = (typeof HIT_COLOURINGS)[number];
export type EdgeColouring = (typeof EDGE_COLOURINGS)[number];
export type Projection = (typeof PROJECTIONS)[number];
export type TrackSource = (typeof TRACK_SOURCES)[number];
export type HitStyle = (typeof HIT_STYLES)[number];

export interface Camera {
  /** Position, target (mm) and zoom (orthographic views). */
  position: [number, number, number];
  target: [number, number, number];
  zoom: number;
}

export interface ViewState {
  event: string;
  /** Edge score threshold in [0, 1]: edges at or above it are drawn and joined into live tracks. */
  threshold: number;
  /** Cut on the hit's particle pT (GeV, needs truth); 0 = off. */
  ptMinGeV: number;
  /** Cut on |η| of the hit position; ≥ 5 = off. */
  absEtaMax: number;
  /** Volume id to show; −1 = all. */
  volume: number;
  /** Layer id to show (within the volume, or in any volume); −1 = all. */
  layer: number;
  hitColour: HitColouring;
  edgeColour: EdgeColouring;
  /** 'submission' = the pipeline's final tracks (default); 'live' = union-find over edges ≥ threshold. */
  tracks: TrackSource;
  hitStyle: HitStyle;
  projection: Projection;
  showHits: boolean;
  showEdges: boolean;
  showDetector: boolean;
  camera: Camera | undefined;
}

export const DEFAULT_STATE: ViewState = {
  event: '',
  threshold: 0.5,
  ptMinGeV: 0,
  absEtaMax: 5,
  volume: -1,
  layer: -1,
  hitColour: 'volume',
  edgeColour: 'score',
  tracks: 'submission',
  hitStyle: 'faded',
  projection: '3d',
  showHits: true,
  showEdges: true,
  showDetector: false,
  camera: undefined,
};

const round = (x: number, digits: number): string => String(Number(x.toFixed(digits)));

/** Only what differs from the defaults goes into the query, so links stay short. */
export function stateToQuery(s: ViewState): string {
  const q = new URLSearchParams();
  const d = DEFAULT_STATE;
  q.set('event', s.event);
  if (s.threshold !== d.threshold) q.set('thr', round(s.threshold, 4));
  if (s.ptMinGeV !== d.ptMinGeV) q.set('pt', round(s.ptMinGeV, 3));
  if (s.absEtaMax !== d.absEtaMax) q.set('eta', round(s.absEtaMax, 3));
  if (s.volume !== d.volume) q.set('vol', String(s.volume));
  if (s.layer !== d.layer) q.set('lay', String(s.layer));
  if (s.hitColour !== d.hitColour) q.set('hc', s.hitColour);
  if (s.edgeColour !== d.edgeColour) q.set('ec', s.edgeColour);
  if (s.tracks !== d.tracks) q.set('trk', s.tracks);
  if (s.hitStyle !== d.hitStyle) q.set('hs', s.hitStyle);
  if (s.projection !== d.projection) q.set('view', s.projection);
  const flags = `${+s.showHits}${+s.showEdges}${+s.showDetector}`;
  if (flags !== '110') q.set('show', flags);
  if (s.camera) q.set('cam', [...s.camera.position, ...s.camera.target, s.camera.zoom].map((v) => round(v, 2)).join(','));
  return q.toString();
}

function pick<T extends string>(v: string | null, allowed: readonly T[], fallback: T): T {
  return v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

function num(v: string | null, fallback: number, lo: number, hi: number): number {
  if (v === null || v.trim() === '') return fallback;
  const x = Number(v);
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : fallback;
}

/** Reads a query; anything malformed falls back to the default (a link must never break the page). */
export function stateFromQuery(query: string, base: ViewState = DEFAULT_STATE): ViewState {
  const q = new URLSearchParams(query);
  const show = q.get('show') ?? '';
  const s: ViewState = {
    event: q.get('event') ?? base.event,
    threshold: num(q.get('thr'), base.threshold, 0, 1),
    ptMinGeV: num(q.get('pt'), base.ptMinGeV, 0, 1000),
    absEtaMax: num(q.get('eta'), base.absEtaMax, 0, 5),
    volume: Math.round(num(q.get('vol'), base.volume, -1, 255)),
    layer: Math.round(num(q.get('lay'), base.layer, -1, 255)),
    hitColour: pick(q.get('hc'), HIT_COLOURINGS, base.hitColour),
    edgeColour: pick(q.get('ec'), EDGE_COLOURINGS, base.edgeColour),
    tracks: pick(q.get('trk'), TRACK_SOURCES, base.tracks),
    hitStyle: pick(q.get('hs'), HIT_STYLES, base.hitStyle),
    projection: pick(q.get('view'), PROJECTIONS, base.projection),
    showHits: /^[01]{3}$/.test(show) ? show[0] === '1' : base.showHits,
    showEdges: /^[01]{3}$/.test(show) ? show[1] === '1' : base.showEdges,
    showDetector: /^[01]{3}$/.test(show) ? show[2] === '1' : base.showDetector,
    camera: base.camera,
  };
  const cam = (q.get('cam') ?? '').split(',').map(Number);
  if (cam.length === 7 && cam.every(Number.isFinite) && cam[6] > 0) {
    s.camera = { position: [cam[0], cam[1], cam[2]], target: [cam[3], cam[4], cam[5]], zoom: cam[6] };
  }
  return s;
}
