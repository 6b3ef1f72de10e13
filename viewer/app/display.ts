/// <reference lib="dom" />
// The event display facade (Phoenix-style): owns the three.js scene, the loaded event and the ViewState, and is
// the one place that changes them. Hits are one Points, edges one LineSegments, tracks one LineSegments over the
// hit positions; a threshold or cut change rewrites index/colour buffers (or just the draw range), never geometry.
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { categoryColour, EDGE_FN, EDGE_FP, EDGE_TP, MATCH_COLOURS, OUTSIDE_GRAPH_COLOUR, viridis } from './colors.ts';
import { loadDetector, loadEvent, type DetectorData, type EventData } from './data.ts';
import { DEFAULT_STATE, stateToQuery, type Projection, type ViewState } from './state.ts';
import {
  componentLabels, countAtOrAbove, hitLabels, LiveScorer, MATCH_MISSED, MATCH_NAMES, orderByRadius, trackSegments, type LiveScore, type TrackSegments,
} from './tracks.ts';

/** What the UI and tests read back. */
export interface DisplayStats {
  hits: number;
  hitsDrawn: number;
  edges: number;
  edgesDrawn: number;
  /** Edges with score ≥ threshold (before cuts). */
  edgesPassing: number;
  tracksDrawn: number;
  /** Live TrackML score of the shown tracks, when truth is present. */
  score: number | undefined;
  goodTracks: number;
  /** JS work of the last threshold change (buffers, union-find, score), ms. */
  lastUpdateMs: number;
  /** Its parts, ms: edges (draw ranges / index), labels (union-find), segments (track polylines and colours),
   * score (live score and match status), hitColours. */
  updateParts: Record<string, number>;
  loadMs: number;
  /** ms from navigation start to the first rendered frame. */
  firstFrameMs: number | undefined;
  /** Where the first frame's time went, ms. */
  phases: Record<string, number>;
}

export interface PickInfo {
  kind: 'hit';
  row: number;
  lines: [string, string][];
}

const MIN_TRACK_HITS = 3;
const BG = 0x0b0d12;

export class EventDisplay {
  state: ViewState = { ...DEFAULT_STATE };
  stats: DisplayStats = {
    hits: 0, hitsDrawn: 0, edges: 0, edgesDrawn: 0, edgesPassing: 0, tracksDrawn: 0, score: undefined,
    goodTracks: 0, lastUpdateMs: 0, loadMs: 0, firstFrameMs: undefined, phases: {}, updateParts: {},
  };
  data: EventData | undefined;
  live: LiveScore | undefined;
  readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly perspective: THREE.PerspectiveCamera;
  private readonly ortho: THREE.OrthographicCamera;
  private controls: OrbitControls;
  private readonly listeners: (() => void)[] = [];
  private renderQueued = false;

  // hits
  private hitGeometry = new THREE.BufferGeometry();
  private hitPos = new Float32Array(0);
  private hitColours = new Uint8Array(0);
  private hitIndex = new Uint32Array(0);
  private hitPass = new Uint8Array(0);
  private points: THREE.Points;
  // edges (sorted by descending score; vertex 2k, 2k+1 = edge k)
  private edgeGeometry = new THREE.BufferGeometry();
  private edgeScoreColours: THREE.BufferAttribute | undefined;
  private edgeTruthColours: THREE.BufferAttribute | undefined;
  private edgeIndex = new Uint32Array(0);
  // missed true edges (FN) in truth colouring: the true edges, in score order, drawn from the threshold down
  private fnGeometry = new THREE.BufferGeometry();
  private fnLines: THREE.LineSegments;
  private trueEdge = new Uint32Array(0);
  private fnIndex = new Uint32Array(0);
  private trueAbove = 0;
  private edgesAbove = 0;
  private lines: THREE.LineSegments;
  // tracks (vertices = hits)
  private trackGeometry = new THREE.BufferGeometry();
  private trackColours = new Uint8Array(0);
  private trackLines: THREE.LineSegments;
  private segments: TrackSegments | undefined;
  private labels = new Int32Array(0);
  private labelLimit = 0;
  private byRadius: Uint32Array = new Uint32Array(0);
  private scorer: LiveScorer | undefined;
  /** 1 for hits that are not graph nodes (undefined without a graph). */
  private outsideGraph: Uint8Array | undefined;
  // detector
  private detector: DetectorData | undefined;
  private detectorMesh: THREE.InstancedMesh | undefined;

  constructor(readonly canvas: HTMLCanvasElement) {
    // Colours are written as sRGB bytes and shown as written, so the legend's CSS colours match the picture.
    THREE.ColorManagement.enabled = false;
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: false });
    this.renderer.outputColorSpace = THREE.LinearSRGBColorSpace;
    this.renderer.setClearColor(BG);
    this.renderer.setPixelRatio(1);
    this.perspective = new THREE.PerspectiveCamera(45, 1, 10, 50_000);
    this.ortho = new THREE.OrthographicCamera(-1, 1, 1, -1, -50_000, 50_000);
    this.controls = new OrbitControls(this.perspective, canvas);
    this.controls.addEventListener('change', () => this.requestRender(true));
    this.points = new THREE.Points(this.hitGeometry, new THREE.PointsMaterial({ size: 2, sizeAttenuation: false, vertexColors: true }));
    this.lines = new THREE.LineSegments(this.edgeGeometry, new THREE.LineBasicMaterial({ vertexColors: true }));
    this.trackLines = new THREE.LineSegments(this.trackGeometry, new THREE.LineBasicMaterial({ vertexColors: true }));
    this.fnLines = new THREE.LineSegments(this.fnGeometry, new THREE.LineBasicMaterial({ color: new THREE.Color(EDGE_FN[0] / 255, EDGE_FN[1] / 255, EDGE_FN[2] / 255) }));
    this.fnLines.visible = false;
    for (const o of [this.points, this.lines, this.trackLines, this.fnLines]) o.frustumCulled = false;
    this.scene.add(this.lines, this.fnLines, this.trackLines, this.points);
    this.warmUp();
    this.resize();
  }

  onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  get camera(): THREE.Camera {
    return this.state.projection === '3d' ? this.perspective : this.ortho;
  }

  resize(): void {
    const w = this.canvas.clientWidth || 800;
    const h = this.canvas.clientHeight || 600;
    this.renderer.setSize(w, h, false);
    this.perspective.aspect = w / h;
    this.perspective.updateProjectionMatrix();
    this.fitOrtho();
    this.requestRender();
  }

  private fitOrtho(): void {
    const w = this.canvas.clientWidth || 800;
    const h = this.canvas.clientHeight || 600;
    // x–y: the barrel (r ≤ 1.1 m); r–z: the full length (|z| ≤ 3 m) by ±1.1 m in r.
    const halfH = this.state.projection === 'rz' ? Math.max(1100, (3100 * h) / w) : 1100;
    const halfW = (halfH * w) / h;
    Object.assign(this.ortho, { left: -halfW, right: halfW, top: halfH, bottom: -halfH });
    this.ortho.updateProjectionMatrix();
  }

  /** Draws one point and one line with the real materials and attribute formats, so that shader compilation
   * (slow with software WebGL) runs in the GPU process while the page waits for the event's data. */
  private warmUp(): void {
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(new Float32Array([0, 0, 0, 1, 1, 1]), 3));
    g.setAttribute('color', new THREE.BufferAttribute(new Uint8Array(6), 3, true));
    const keep = [this.points.geometry, this.lines.geometry, this.trackLines.geometry, this.fnLines.geometry] as const;
    this.points.geometry = this.lines.geometry = this.trackLines.geometry = this.fnLines.geometry = g;
    const fnVisible = this.fnLines.visible;
    this.fnLines.visible = true;
    this.renderer.render(this.scene, this.perspective);
    this.fnLines.visible = fnVisible;
    [this.points.geometry, this.lines.geometry, this.trackLines.geometry, this.fnLines.geometry] = keep;
    g.dispose();
  }

  /** Loads an event and applies the whole state to it. */
  async open(initial: ViewState, opts: { thresholdFromUrl?: boolean } = {}): Promise<void> {
    const phases = this.stats.phases;
    let t = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      phases[name] = Math.round(now - t);
      t = now;
    };
    phases.scriptStart = Math.round(t);
    this.state = { ...initial };
    const list = await (await fetch('/api/events')).json() as { events: { id: string; layers: Record<string, boolean> }[] };
    const entry = list.events.find((e) => e.id === this.state.event) ?? list.events[0];
    this.state.event = entry.id;
    const data = await loadEvent(entry.id, entry.layers);
    lap('fetch');
    this.data = data;
    // The threshold stage:infer worked at, unless the link says otherwise.
    if (!opts.thresholdFromUrl && data.graph?.threshold !== undefined) this.state.threshold = data.graph.threshold;
    this.stats.loadMs = data.loadMs;
    if (!data.graph?.score && this.state.tracks === 'live') this.state.tracks = data.submission ? 'submission' : 'none';
    if (data.graph && !data.graph.y && this.state.edgeColour === 'truth') this.state.edgeColour = 'score';
    if (!data.truth && (this.state.hitColour === 'particle' || this.state.hitColour === 'match')) this.state.hitColour = 'volume';
    this.buildBuffers();
    lap('buffers');
    this.applyProjection(this.state.projection, this.state.camera);
    if (this.state.edgeColour === 'truth' && data.graph?.y) {
      this.prepareTruth();
      this.edgeGeometry.setAttribute('color', this.edgeTruthColours!);
    }
    lap('positions');
    this.points.visible = this.state.showHits;
    this.lines.visible = this.state.showEdges;
    this.applyCuts();
    this.applyThreshold();
    lap('threshold');
    if (this.state.showDetector) await this.setVisible('detector', true);
    this.renderNow();
    this.syncPixels();
    lap('firstRender');
    this.stats.firstFrameMs ??= performance.now();
    this.changed();
  }

  private buildBuffers(): void {
    const d = this.data!;
    const n = d.hits.hitId.length;
    this.stats.hits = n;
    this.hitPos = new Float32Array(3 * n);
    this.hitColours = new Uint8Array(3 * n);
    this.hitIndex = new Uint32Array(n);
    this.hitPass = new Uint8Array(n);
    this.labels = new Int32Array(n);
    this.byRadius = orderByRadius(d.hits.x, d.hits.y, d.hits.z);
    this.scorer = d.truth ? new LiveScorer({ hitId: d.hits.hitId, particleId: d.truth.particleId, weight: d.truth.weight }) : undefined;
    const posAttr = new THREE.BufferAttribute(this.hitPos, 3);
    this.hitGeometry = new THREE.BufferGeometry();
    this.hitGeometry.setAttribute('position', posAttr);
    this.hitGeometry.setAttribute('color', new THREE.BufferAttribute(this.hitColours, 3, true));
    this.hitGeometry.setIndex(new THREE.BufferAttribute(this.hitIndex, 1));
    this.points.geometry = this.hitGeometry;

    // Tracks share the hits' position buffer (one upload) with their own colours and index.
    this.trackColours = new Uint8Array(3 * n);
    this.trackGeometry = new THREE.BufferGeometry();
    this.trackGeometry.setAttribute('position', posAttr);
    this.trackGeometry.setAttribute('color', new THREE.BufferAttribute(this.trackColours, 3, true));
    this.trackGeometry.setIndex(new THREE.BufferAttribute(new Uint32Array(2 * n), 1));
    this.trackGeometry.setDrawRange(0, 0);
    this.trackLines.geometry = this.trackGeometry;

    const g = d.graph;
    const m = g ? g.src.length : 0;
    this.stats.edges = m;
    // No index buffer until a cut or the truth colouring needs one: edges are in score order, so the drawn set
    // is a prefix and a draw range is enough (saves an 8-bytes-per-edge upload on the first frame).
    this.edgeIndex = new Uint32Array(0);
    this.edgeGeometry = new THREE.BufferGeometry();
    this.edgeGeometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(6 * m), 3));
    this.edgeScoreColours = this.scoreColours();
    this.edgeTruthColours = undefined;
    this.edgeGeometry.setAttribute('color', this.edgeScoreColours);
    this.lines.geometry = this.edgeGeometry;
    this.fnGeometry = new THREE.BufferGeometry();
    this.fnLines.geometry = this.fnGeometry;
    this.trueEdge = new Uint32Array(0);
    this.labelLimit = g ? g.nodeHit.length + n : n;
    this.outsideGraph = undefined;
    if (g) {
      this.outsideGraph = new Uint8Array(n).fill(1);
      for (let k = 0; k < g.nodeHit.length; k++) this.outsideGraph[g.nodeHit[k]] = 0;
    }
    if (d.submission) this.labelLimit = Math.max(this.labelLimit, d.submission.trackId.length + n);
  }

  // ---------------------------------------------------------------- positions / projection

  private applyProjection(p: Projection, camera?: ViewState['camera']): void {
    this.state.projection = p;
    const d = this.data!;
    const { x, y, z } = d.hits;
    const n = x.length;
    const pos = this.hitPos;
    for (let i = 0; i < n; i++) {
      if (p === 'rz') {
        const r = Math.hypot(x[i], y[i]);
        pos[3 * i] = z[i];
        pos[3 * i + 1] = y[i] >= 0 ? r : -r;
        pos[3 * i + 2] = 0;
      } else {
        pos[3 * i] = x[i];
        pos[3 * i + 1] = y[i];
        pos[3 * i + 2] = z[i];
      }
    }
    (this.hitGeometry.getAttribute('position') as THREE.BufferAttribute).needsUpdate = true;
    const g = d.graph;
    if (g) {
      const ep = this.edgeGeometry.getAttribute('position') as THREE.BufferAttribute;
      const a = ep.array as Float32Array;
      for (let k = 0; k < g.src.length; k++) {
        const s = 3 * g.nodeHit[g.src[k]];
        const t = 3 * g.nodeHit[g.dst[k]];
        a[6 * k] = pos[s]; a[6 * k + 1] = pos[s + 1]; a[6 * k + 2] = pos[s + 2];
        a[6 * k + 3] = pos[t]; a[6 * k + 4] = pos[t + 1]; a[6 * k + 5] = pos[t + 2];
      }
      ep.needsUpdate = true;
      if (this.trueEdge.length) this.writeFnPositions();
    }
    if (this.detectorMesh) this.writeDetectorMatrices();
    // Cameras: 3D orbits; the projections pan and zoom only.
    this.controls.dispose();
    this.controls = new OrbitControls(this.camera as THREE.PerspectiveCamera, this.canvas);
    this.controls.enableRotate = p === '3d';
    this.controls.addEventListener('change', () => this.requestRender(true));
    if (p === '3d') {
      this.perspective.position.set(...(camera?.position ?? [5200, 3400, 6800]));
      this.controls.target.set(...(camera?.target ?? [0, 0, 0]));
    } else {
      this.fitOrtho();
      const t = camera?.target ?? [0, 0, 0];
      this.ortho.position.set(t[0], t[1], 10_000);
      this.ortho.up.set(0, 1, 0);
      this.ortho.zoom = camera?.zoom ?? 1;
      this.ortho.updateProjectionMatrix();
      this.controls.target.set(t[0], t[1], 0);
    }
    this.controls.update();
    this.requestRender();
  }

  setProjection(p: Projection): void {
    this.applyProjection(p);
    this.state.camera = undefined;
    this.changed();
  }

  // ---------------------------------------------------------------- cuts

  setCuts(c: Partial<Pick<ViewState, 'ptMinGeV' | 'absEtaMax' | 'volume' | 'layer'>>): void {
    Object.assign(this.state, c);
    this.applyCuts();
    this.rebuildEdgeIndex();
    this.requestRender();
    this.changed();
  }

  private cutsActive(): boolean {
    const s = this.state;
    return s.ptMinGeV > 0 || s.absEtaMax < 5 || s.volume >= 0 || s.layer >= 0;
  }

  private applyCuts(): void {
    const { hits, truth } = this.data!;
    const s = this.state;
    const n = hits.hitId.length;
    let drawn = 0;
    for (let i = 0; i < n; i++) {
      let ok = true;
      if (s.volume >= 0 && hits.volumeId[i] !== s.volume) ok = false;
      else if (s.layer >= 0 && hits.layerId[i] !== s.layer) ok = false;
      else if (s.ptMinGeV > 0 && truth && !(truth.ptGeV[i] >= s.ptMinGeV)) ok = false;
      else if (s.absEtaMax < 5) {
        const r = Math.hypot(hits.x[i], hits.y[i]);
        ok = Math.abs(Math.asinh(hits.z[i] / Math.max(r, 1e-6))) <= s.absEtaMax;
      }
      this.hitPass[i] = ok ? 1 : 0;
      if (ok) this.hitIndex[drawn++] = i;
    }
    const idx = this.hitGeometry.getIndex()!;
    idx.needsUpdate = true;
    this.hitGeometry.setDrawRange(0, drawn);
    this.stats.hitsDrawn = drawn;
  }

  // ---------------------------------------------------------------- threshold, edges, tracks, score

  /** Sets the threshold and returns the JS work it cost, ms (buffer updates, union-find, re-score). */
  setThreshold(t: number): number {
    this.state.threshold = Math.min(1, Math.max(0, t));
    const ms = this.applyThreshold();
    this.changed();
    return ms;
  }

  private applyThreshold(): number {
    const t0 = performance.now();
    this.partStart = t0;
    const g = this.data!.graph;
    if (g) {
      // Scores are sorted descending: a binary search for the first edge below the threshold.
      const lo = g.score ? countAtOrAbove(g.score, this.state.threshold, undefined, g.src.length) : g.src.length;
      this.edgesAbove = lo;
      this.stats.edgesPassing = lo;
      this.trueAbove = this.countTrueAbove();
      this.rebuildEdgeIndex();
    }
    this.part('edges');
    this.applyTracks();
    this.stats.lastUpdateMs = performance.now() - t0;
    this.requestRender();
    return this.stats.lastUpdateMs;
  }

  /** True edges with score ≥ threshold: a binary search, as true edges are kept in score order too. */
  private countTrueAbove(): number {
    const g = this.data!.graph!;
    if (!g.score || !this.trueEdge.length) return 0;
    return countAtOrAbove(g.score, this.state.threshold, this.trueEdge);
  }

  /** Draw ranges (no cuts) or index buffers (cuts) of the edges above the threshold, and in truth colouring the
   * missed true edges below it. Without cuts a threshold change writes no buffer at all. */
  private rebuildEdgeIndex(): void {
    const g = this.data!.graph;
    if (!g) return;
    const m = g.src.length;
    const K = this.edgesAbove;
    const truthMode = this.state.edgeColour === 'truth' && this.trueEdge.length > 0;
    this.fnLines.visible = truthMode && this.state.showEdges;
    const nTrue = this.trueEdge.length;
    const KT = this.trueAbove;
    if (!this.cutsActive()) {
      if (this.edgeGeometry.getIndex()) this.edgeGeometry.setIndex(null);
      this.edgeGeometry.setDrawRange(0, 2 * K);
      if (this.fnGeometry.getIndex()) this.fnGeometry.setIndex(null);
      this.fnGeometry.setDrawRange(2 * KT, 2 * (nTrue - KT));
      this.stats.edgesDrawn = K + (truthMode ? nTrue - KT : 0);
      return;
    }
    const pass = this.hitPass;
    const nh = g.nodeHit;
    if (this.edgeIndex.length !== 2 * m) this.edgeIndex = new Uint32Array(2 * m);
    const idx = this.edgeIndex;
    let len = 0;
    for (let k = 0; k < K; k++) {
      if (!(pass[nh[g.src[k]]] && pass[nh[g.dst[k]]])) continue;
      idx[len++] = 2 * k;
      idx[len++] = 2 * k + 1;
    }
    setIndexPrefix(this.edgeGeometry, idx, len);
    let fnLen = 0;
    if (truthMode) {
      if (this.fnIndex.length !== 2 * nTrue) this.fnIndex = new Uint32Array(2 * nTrue);
      const fi = this.fnIndex;
      for (let j = KT; j < nTrue; j++) {
        const k = this.trueEdge[j];
        if (!(pass[nh[g.src[k]]] && pass[nh[g.dst[k]]])) continue;
        fi[fnLen++] = 2 * j;
        fi[fnLen++] = 2 * j + 1;
      }
      setIndexPrefix(this.fnGeometry, fi, fnLen);
    }
    this.stats.edgesDrawn = (len + fnLen) / 2;
  }

  /** Viridis of the GNN score per edge (both vertices). */
  private scoreColours(): THREE.BufferAttribute {
    const g = this.data?.graph;
    const m = g ? g.src.length : 0;
    const c = new Uint8Array(6 * m);
    for (let k = 0; k < m; k++) {
      viridis(g!.score ? g!.score[k] : 1, c, 6 * k);
      c[6 * k + 3] = c[6 * k]; c[6 * k + 4] = c[6 * k + 1]; c[6 * k + 5] = c[6 * k + 2];
    }
    return new THREE.BufferAttribute(c, 3, true);
  }

  /** Truth colouring, built once: edges above the threshold are TP or FP by their label alone, so the colours
   * never change with the threshold; the missed ones (FN) are the separate true-edge lines. */
  private prepareTruth(): void {
    const g = this.data!.graph!;
    const y = g.y!;
    const m = g.src.length;
    const c = new Uint8Array(6 * m);
    let nTrue = 0;
    for (let k = 0; k < m; k++) {
      const col = y[k] ? EDGE_TP : EDGE_FP;
      c.set(col, 6 * k);
      c.set(col, 6 * k + 3);
      nTrue += y[k];
    }
    this.edgeTruthColours = new THREE.BufferAttribute(c, 3, true);
    this.trueEdge = new Uint32Array(nTrue);
    for (let k = 0, j = 0; k < m; k++) if (y[k]) this.trueEdge[j++] = k;
    this.fnGeometry = new THREE.BufferGeometry();
    this.fnGeometry.setAttribute('position', new THREE.BufferAttribute(new Float32Array(6 * nTrue), 3));
    this.fnLines.geometry = this.fnGeometry;
    this.writeFnPositions();
    this.trueAbove = this.countTrueAbove();
  }

  private writeFnPositions(): void {
    const src = (this.edgeGeometry.getAttribute('position') as THREE.BufferAttribute).array as Float32Array;
    const attr = this.fnGeometry.getAttribute('position') as THREE.BufferAttribute;
    const dst = attr.array as Float32Array;
    for (let j = 0; j < this.trueEdge.length; j++) dst.set(src.subarray(6 * this.trueEdge[j], 6 * this.trueEdge[j] + 6), 6 * j);
    attr.needsUpdate = true;
  }

  setEdgeColour(mode: ViewState['edgeColour']): void {
    const g = this.data?.graph;
    if (mode === 'truth' && !g?.y) return;
    this.state.edgeColour = mode;
    if (mode === 'truth' && !this.edgeTruthColours) this.prepareTruth();
    this.edgeGeometry.setAttribute('color', mode === 'truth' ? this.edgeTruthColours! : this.edgeScoreColours!);
    this.rebuildEdgeIndex();
    this.requestRender();
    this.changed();
  }

  setTrackSource(src: ViewState['tracks']): void {
    this.state.tracks = src;
    this.applyTracks();
    this.requestRender();
    this.changed();
  }

  /** Labels per hit from the chosen source, their polylines, the live score and the hit colours. */
  private partStart = 0;
  private part(name: string): void {
    const now = performance.now();
    this.stats.updateParts[name] = Math.round((now - this.partStart) * 10) / 10;
    this.partStart = now;
  }

  private applyTracks(): void {
    const d = this.data!;
    const n = d.hits.hitId.length;
    const labels = this.labels;
    const src = this.state.tracks;
    if (src === 'live' && d.graph?.score) {
      const g = d.graph;
      hitLabels(n, g.nodeHit, componentLabels(g.nodeHit.length, g.src, g.dst, this.edgesAbove), labels);
    } else if (src === 'submission' && d.submission) {
      const ht = d.submission.hitTrack;
      const nt = d.submission.trackId.length;
      for (let i = 0; i < n; i++) labels[i] = ht[i] >= 0 ? ht[i] : nt + i;
    } else {
      for (let i = 0; i < n; i++) labels[i] = i;
    }
    const none = src === 'none' || (src === 'live' && !d.graph?.score) || (src === 'submission' && !d.submission);
    this.part('labels');
    this.segments = trackSegments(labels, this.byRadius, MIN_TRACK_HITS, this.labelLimit, this.segments);
    const tIdx = this.trackGeometry.getIndex()!;
    if (none) {
      this.trackGeometry.setDrawRange(0, 0);
      this.stats.tracksDrawn = 0;
    } else {
      (tIdx.array as Uint32Array).set(this.segments.index.subarray(0, this.segments.length));
      tIdx.clearUpdateRanges();
      tIdx.addUpdateRange(0, Math.max(1, this.segments.length));
      tIdx.needsUpdate = true;
      this.trackGeometry.setDrawRange(0, this.segments.length);
      this.stats.tracksDrawn = this.segments.tracks;
      const tc = this.trackColours;
      for (let i = 0; i < n; i++) categoryColour(labels[i], tc, 3 * i);
      (this.trackGeometry.getAttribute('color') as THREE.BufferAttribute).needsUpdate = true;
    }
    this.part('segments');
    if (this.scorer && !none) {
      this.live = this.scorer.score(labels, this.labelLimit);
      this.stats.score = this.live.score;
      this.stats.goodTracks = this.live.goodTracks;
    } else {
      this.live = undefined;
      this.stats.score = undefined;
      this.stats.goodTracks = 0;
    }
    this.part('score');
    this.writeHitColours();
    this.part('hitColours');
  }

  setHitColour(mode: ViewState['hitColour']): void {
    this.state.hitColour = mode;
    this.writeHitColours();
    this.requestRender();
    this.changed();
  }

  private writeHitColours(): void {
    const d = this.data!;
    const n = d.hits.hitId.length;
    const c = this.hitColours;
    let mode = this.state.hitColour;
    if ((mode === 'particle' || mode === 'match') && !d.truth) mode = 'volume';
    if (mode === 'match' && !this.live) mode = d.truth ? 'particle' : 'volume';
    const size = this.segments?.size;
    // With live tracks, a hit the graph left out (e.g. strips under a pixel-only graph) was never in reach of the
    // GNN: told apart from hits the tracks missed.
    const outside = this.state.tracks === 'live' ? this.outsideGraph : undefined;
    for (let i = 0; i < n; i++) {
      const o = 3 * i;
      if (mode === 'volume') categoryColour(d.hits.volumeId[i], c, o);
      else if (mode === 'particle') {
        const p = d.truth!.particle[i];
        if (p < 0) c.set(MATCH_COLOURS[4], o);
        else categoryColour(p, c, o);
      } else if (mode === 'track') {
        if (size && size[this.labels[i]] < 2) c.set(MATCH_COLOURS[4], o);
        else categoryColour(this.labels[i], c, o);
      } else if (this.live!.status[i] === MATCH_MISSED && outside && outside[i]) c.set(OUTSIDE_GRAPH_COLOUR, o);
      else c.set(MATCH_COLOURS[this.live!.status[i]], o);
    }
    (this.hitGeometry.getAttribute('color') as THREE.BufferAttribute).needsUpdate = true;
  }

  // ---------------------------------------------------------------- visibility, detector

  async setVisible(what: 'hits' | 'edges' | 'detector', on: boolean): Promise<void> {
    if (what === 'hits') (this.state.showHits = on), (this.points.visible = on);
    if (what === 'edges') {
      this.state.showEdges = on;
      this.lines.visible = on;
      this.fnLines.visible = on && this.state.edgeColour === 'truth' && this.trueEdge.length > 0;
    }
    if (what === 'detector') {
      this.state.showDetector = on;
      if (on && !this.detectorMesh) {
        this.detector ??= await loadDetector();
        const mat = new THREE.MeshBasicMaterial({ color: 0x556070, wireframe: true, transparent: true, opacity: 0.25 });
        this.detectorMesh = new THREE.InstancedMesh(new THREE.BoxGeometry(1, 1, 1), mat, this.detector.modules);
        this.detectorMesh.frustumCulled = false;
        this.writeDetectorMatrices();
        this.scene.add(this.detectorMesh);
      }
      if (this.detectorMesh) this.detectorMesh.visible = on;
    }
    this.requestRender();
    this.changed();
  }

  private writeDetectorMatrices(): void {
    const d = this.detector!;
    const mesh = this.detectorMesh!;
    const m = new THREE.Matrix4();
    const rz = this.state.projection === 'rz';
    for (let i = 0; i < d.modules; i++) {
      const R = d.rot.subarray(9 * i, 9 * i + 9);
      const su = 2 * d.halfU[i], sv = 2 * d.halfV[i], sw = Math.max(d.thickness[i], 0.5);
      if (!rz) {
        m.set(
          R[0] * su, R[1] * sv, R[2] * sw, d.cx[i],
          R[3] * su, R[4] * sv, R[5] * sw, d.cy[i],
          R[6] * su, R[7] * sv, R[8] * sw, d.cz[i],
          0, 0, 0, 1,
        );
      } else {
        // r–z: the module's axis-aligned extent in z and in r around its centre.
        const rc = Math.hypot(d.cx[i], d.cy[i]) || 1;
        const ux = d.cx[i] / rc, uy = d.cy[i] / rc;
        const ez = Math.abs(R[6]) * su + Math.abs(R[7]) * sv + Math.abs(R[8]) * sw;
        const er = Math.abs(ux * R[0] + uy * R[3]) * su + Math.abs(ux * R[1] + uy * R[4]) * sv + Math.abs(ux * R[2] + uy * R[5]) * sw;
        m.set(ez, 0, 0, d.cz[i], 0, er, 0, d.cy[i] >= 0 ? rc : -rc, 0, 0, 1, 0, 0, 0, 0, 1);
      }
      mesh.setMatrixAt(i, m);
    }
    mesh.instanceMatrix.needsUpdate = true;
  }

  // ---------------------------------------------------------------- render, pick, export

  requestRender(cameraMoved = false): void {
    if (cameraMoved) {
      this.state.camera = this.cameraState();
      this.changed();
    }
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.renderNow();
    });
  }

  renderNow(): void {
    this.renderer.render(this.scene, this.camera);
  }

  /** Waits for the GPU (SwiftShader) to finish the frame: a 1-pixel read blocks until it is drawn. */
  syncPixels(): void {
    const gl = this.renderer.getContext();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  }

  private cameraState(): ViewState['camera'] {
    const c = this.camera as THREE.PerspectiveCamera | THREE.OrthographicCamera;
    const t = this.controls.target;
    return { position: [c.position.x, c.position.y, c.position.z], target: [t.x, t.y, t.z], zoom: c.zoom };
  }

  toQuery(): string {
    return stateToQuery(this.state);
  }

  /** The hit under a canvas pixel (among drawn hits), with what is known about it. */
  pick(px: number, py: number): PickInfo | undefined {
    const d = this.data;
    if (!d || !this.points.visible) return undefined;
    const rect = this.canvas.getBoundingClientRect();
    const ndc = new THREE.Vector2(((px - rect.left) / rect.width) * 2 - 1, -((py - rect.top) / rect.height) * 2 + 1);
    const ray = new THREE.Raycaster();
    ray.setFromCamera(ndc, this.camera);
    // Tolerance of ~6 pixels in world units at the target.
    let worldPerPixel: number;
    if (this.state.projection === '3d') {
      const dist = this.perspective.position.distanceTo(this.controls.target);
      worldPerPixel = (2 * dist * Math.tan((this.perspective.fov * Math.PI) / 360)) / rect.height;
    } else worldPerPixel = (this.ortho.top - this.ortho.bottom) / this.ortho.zoom / rect.height;
    ray.params.Points = { threshold: 6 * worldPerPixel };
    const hits = ray.intersectObject(this.points);
    let best = hits[0];
    for (const h of hits) if ((h.distanceToRay ?? 0) < (best.distanceToRay ?? 0)) best = h;
    if (best && best.index !== undefined) return this.describeHit(best.index);
    // No hit under the pointer: a track line there names its nearer end's hit (and so the track).
    if (!this.trackLines.visible || this.trackGeometry.drawRange.count === 0) return undefined;
    ray.params.Line = { threshold: 4 * worldPerPixel };
    const onTrack = ray.intersectObject(this.trackLines)[0];
    if (!onTrack || onTrack.index === undefined) return undefined;
    const info = this.describeHit(this.trackGeometry.getIndex()!.getX(onTrack.index));
    info.lines.unshift(['picked', 'track (nearest hit below)']);
    return info;
  }

  describeHit(row: number): PickInfo {
    const d = this.data!;
    const h = d.hits;
    const r = Math.hypot(h.x[row], h.y[row]);
    const lines: [string, string][] = [
      ['hit id', String(h.hitId[row])],
      ['x, y, z (mm)', `${h.x[row].toFixed(1)}, ${h.y[row].toFixed(1)}, ${h.z[row].toFixed(1)}`],
      ['r (mm), η', `${r.toFixed(1)}, ${Math.asinh(h.z[row] / Math.max(r, 1e-6)).toFixed(3)}`],
      ['volume / layer / module', `${h.volumeId[row]} / ${h.layerId[row]} / ${h.moduleId[row]}`],
    ];
    if (d.truth) {
      const t = d.truth;
      if (t.particleId[row] === 0n) lines.push(['particle', 'noise']);
      else {
        lines.push(['particle id', t.particleId[row].toString()]);
        lines.push(['particle pT (GeV), η, q', `${t.ptGeV[row].toFixed(3)}, ${t.eta[row].toFixed(3)}, ${t.charge[row]}`]);
        lines.push(['particle hits', String(t.nhits[row])]);
      }
    }
    if (this.state.tracks !== 'none' && this.segments) {
      const label = this.labels[row];
      const size = this.segments.size[label];
      let name = String(label);
      if (this.state.tracks === 'submission' && d.submission && d.submission.hitTrack[row] >= 0) name = d.submission.trackId[d.submission.hitTrack[row]].toString();
      const alone = this.state.tracks === 'live' && this.outsideGraph?.[row] ? 'none (not a graph node)' : 'none (unconnected hit)';
      lines.push([`track (${this.state.tracks})`, size > 1 ? `${name}, ${size} hits` : alone]);
    }
    if (this.live) lines.push(['match', MATCH_NAMES[this.live.status[row]]]);
    return { kind: 'hit', row, lines };
  }

  /** Client (CSS pixel) coordinates where hit `row` is drawn. */
  screenPositionOfHit(row: number): { x: number; y: number } {
    const v = new THREE.Vector3(this.hitPos[3 * row], this.hitPos[3 * row + 1], this.hitPos[3 * row + 2]).project(this.camera);
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + ((v.x + 1) / 2) * rect.width, y: rect.top + ((1 - v.y) / 2) * rect.height };
  }

  exportPng(): string {
    this.renderNow();
    return this.renderer.domElement.toDataURL('image/png');
  }

  /** Phoenix event-data JSON of the drawn hits and tracks (positions in mm). */
  exportPhoenix(): Record<string, unknown> {
    const d = this.data!;
    const h = d.hits;
    const hitsOut: { pos: number[] }[] = [];
    for (let k = 0; k < this.stats.hitsDrawn; k++) {
      const i = this.hitIndex[k];
      hitsOut.push({ pos: [h.x[i], h.y[i], h.z[i]] });
    }
    const tracksOut: { pos: number[][]; color: string; hits: number }[] = [];
    if (this.segments && this.state.tracks !== 'none') {
      const byLabel = new Map<number, number[][]>();
      for (let k = 0; k < this.byRadius.length; k++) {
        const i = this.byRadius[k];
        const l = this.labels[i];
        if (this.segments.size[l] < MIN_TRACK_HITS || !this.hitPass[i]) continue;
        let pts = byLabel.get(l);
        if (!pts) byLabel.set(l, (pts = []));
        pts.push([h.x[i], h.y[i], h.z[i]]);
      }
      const c = new Uint8Array(3);
      for (const [l, pos] of byLabel) {
        if (pos.length < 2) continue;
        categoryColour(l, c, 0);
        tracksOut.push({ pos, color: [...c].map((v) => v.toString(16).padStart(2, '0')).join(''), hits: pos.length });
      }
    }
    const eventNumber = Number(d.eventId.replace(/^event/, ''));
    return {
      [d.eventId]: {
        'event number': eventNumber,
        'run number': 0,
        Hits: { Hits: hitsOut },
        Tracks: { [`Tracks (${this.state.tracks}, threshold ${this.state.threshold})`]: tracksOut },
      },
    };
  }

  /** Median time of `n` full frames, ms (render + wait for the pixels). */
  measureFrames(n: number): number {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      this.renderNow();
      this.syncPixels();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(n / 2)];
  }

  /** Pixels of the current frame that differ from the background (a blank canvas has none). */
  litPixels(): number {
    this.renderNow();
    const gl = this.renderer.getContext();
    const w = gl.drawingBufferWidth, hgt = gl.drawingBufferHeight;
    const px = new Uint8Array(w * hgt * 4);
    gl.readPixels(0, 0, w, hgt, gl.RGBA, gl.UNSIGNED_BYTE, px);
    // The corner pixel is background in every view (the detector is centred); compare against it.
    const br = px[0], bgG = px[1], bb = px[2];
    let lit = 0;
    for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - br) + Math.abs(px[i + 1] - bgG) + Math.abs(px[i + 2] - bb) > 24) lit++;
    return lit;
  }
}

/** Points a geometry's index at the first `len` entries of `idx` (uploading only those). */
function setIndexPrefix(geometry: THREE.BufferGeometry, idx: Uint32Array, len: number): void {
  let attr = geometry.getIndex();
  if (!attr || attr.array !== idx) {
    attr = new THREE.BufferAttribute(idx, 1);
    geometry.setIndex(attr);
  }
  attr.clearUpdateRanges();
  attr.addUpdateRange(0, Math.max(len, 1));
  attr.needsUpdate = true;
  geometry.setDrawRange(0, len);
}
