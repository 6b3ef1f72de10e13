/// <reference lib="dom" />
// EventDisplay: the one facade over the display's managers (as Phoenix's three-manager): scene, hits, edges,
// tracks, detector, axes, cuts, colours, selection and export. It owns the ViewState and is the only place that
// changes it; an event arrives through one interface (ViewerEventData, event-data.ts) via `load`, never fetched
// here, so a page that computes events itself (a Web Worker running the pipeline) drives the same display.
import * as THREE from 'three';
import type { DetectorData, ViewerEventData } from '../event-data.ts';
import { DEFAULT_STATE, stateToQuery, type Projection, type ViewState } from '../state.ts';
import type { LiveScore } from '../tracks.ts';
import { AxesManager } from './axes-manager.ts';
import { ColourManager, type Legend } from './colour-manager.ts';
import { CutsManager } from './cuts-manager.ts';
import { DetectorLayer } from './detector-layer.ts';
import { EdgeLayer } from './edge-layer.ts';
import { ExportManager } from './export-manager.ts';
import { HitsLayer } from './hits-layer.ts';
import { SceneManager } from './scene-manager.ts';
import { SelectionManager, type PickInfo } from './selection-manager.ts';
import { TrackLayer } from './track-layer.ts';

export type { PickInfo } from './selection-manager.ts';
export type { Legend } from './colour-manager.ts';

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
  /** Its parts, ms: edges, labels (union-find), segments, score, hitColours. */
  updateParts: Record<string, number>;
  loadMs: number;
  /** ms from navigation start to the first rendered frame. */
  firstFrameMs: number | undefined;
  /** Where the first frame's time went, ms. */
  phases: Record<string, number>;
}

export interface DisplayOptions {
  /** Element for the axes' tick labels and the scale bar (both optional). */
  axesOverlay?: HTMLElement | null;
  scaleBar?: HTMLElement | null;
  /** Loads the detector's module table when the outline is first shown. */
  detector?: () => Promise<DetectorData>;
}

export class EventDisplay {
  state: ViewState = { ...DEFAULT_STATE };
  stats: DisplayStats = {
    hits: 0,
    hitsDrawn: 0,
    edges: 0,
    edgesDrawn: 0,
    edgesPassing: 0,
    tracksDrawn: 0,
    score: undefined,
    goodTracks: 0,
    lastUpdateMs: 0,
    loadMs: 0,
    firstFrameMs: undefined,
    phases: {},
    updateParts: {},
  };
  data: ViewerEventData | undefined;
  readonly sceneManager: SceneManager;
  private readonly hitsLayer = new HitsLayer();
  private readonly edges = new EdgeLayer();
  private readonly tracks = new TrackLayer();
  private readonly detector = new DetectorLayer();
  private readonly axes: AxesManager;
  private readonly cuts = new CutsManager();
  private readonly colours = new ColourManager();
  private readonly selection: SelectionManager;
  private readonly exporter: ExportManager;
  private readonly listeners: (() => void)[] = [];
  private partStart = 0;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly opts: DisplayOptions = {},
  ) {
    this.sceneManager = new SceneManager(canvas);
    this.axes = new AxesManager(this.sceneManager, opts.axesOverlay ?? null, opts.scaleBar ?? null);
    this.selection = new SelectionManager(this.sceneManager);
    this.exporter = new ExportManager(this.sceneManager);
    this.sceneManager.onCameraMoved = () => {
      this.state.camera = this.sceneManager.cameraState();
      this.changed();
    };
    // Edges over tracks over hits: faded hits (drawn first, no depth writes) never hide the GNN's edges.
    this.sceneManager.scene.add(this.hitsLayer.points, this.edges.lines, this.edges.fnLines, this.tracks.lines, this.axes.lines);
    this.sceneManager.warmUp([this.hitsLayer.points, this.edges.lines, this.tracks.lines, this.edges.fnLines]);
    this.sceneManager.resize();
  }

  get live(): LiveScore | undefined {
    return this.tracks.live;
  }

  /** Calls `fn` after every change of state or stats; returns the function that stops it. */
  onChange(fn: () => void): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  resize(): void {
    this.sceneManager.resize();
  }

  /** Shows an event with the whole of `initial` applied. Unless the link sets them, the threshold and the track
   * set are the pipeline's: its final tracks, at the threshold it built them at. */
  load(data: ViewerEventData, initial: ViewState, opts: { thresholdFromUrl?: boolean } = {}): void {
    const phases = this.stats.phases;
    let t = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      phases[name] = Math.round(now - t);
      t = now;
    };
    this.data = data;
    this.state = { ...initial, event: data.eventId };
    const s = this.state;
    if (!opts.thresholdFromUrl) s.threshold = data.result?.threshold ?? data.graph?.threshold ?? s.threshold;
    this.stats.loadMs = data.loadMs;
    if (s.tracks === 'submission' && !data.tracks) s.tracks = data.graph?.score ? 'live' : 'none';
    if (s.tracks === 'live' && !data.graph?.score) s.tracks = data.tracks ? 'submission' : 'none';
    if (data.graph && !data.graph.y && s.edgeColour === 'truth') s.edgeColour = 'score';
    if (!data.truth && (s.hitColour === 'particle' || s.hitColour === 'match')) s.hitColour = 'volume';
    if (!data.graph && s.hitStyle === 'graph') s.hitStyle = 'full';
    const n = data.hits.hitId.length;
    this.stats.hits = n;
    this.stats.edges = data.graph ? data.graph.src.length : 0;
    this.hitsLayer.build(n);
    this.edges.build(data.graph);
    this.tracks.build(data, this.hitsLayer.positionAttr);
    this.cuts.build(data);
    this.colours.build(data.graph);
    this.edges.geometry.setAttribute('color', this.colours.scoreColours!);
    lap('buffers');
    this.applyProjection(s.projection, s.camera);
    if (s.edgeColour === 'truth' && data.graph?.y) this.useTruthColours();
    lap('positions');
    this.hitsLayer.points.visible = s.showHits;
    this.hitsLayer.setStyle(s.hitStyle);
    this.edges.lines.visible = s.showEdges;
    this.applyCuts();
    this.applyThreshold();
    lap('threshold');
    if (s.showDetector) void this.setVisible('detector', true);
    this.sceneManager.renderNow();
    this.sceneManager.syncPixels();
    lap('firstRender');
    this.stats.firstFrameMs ??= performance.now();
    this.changed();
  }

  // ---------------------------------------------------------------- projection

  private applyProjection(p: Projection, camera?: ViewState['camera']): void {
    this.state.projection = p;
    this.hitsLayer.project(this.data!.hits, p);
    this.edges.writePositions(this.hitsLayer.pos);
    this.detector.place(p);
    this.axes.build(p);
    this.sceneManager.setProjection(p, camera);
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
    this.redrawEdgesAndTracks();
    this.changed();
  }

  setHitStyle(style: ViewState['hitStyle']): void {
    if (style === 'graph' && !this.data?.graph) return;
    this.state.hitStyle = style;
    this.hitsLayer.setStyle(style);
    this.applyCuts();
    this.sceneManager.requestRender();
    this.changed();
  }

  private applyCuts(): void {
    const drawn = this.cuts.apply(this.data!, this.state, this.hitsLayer.index);
    this.hitsLayer.setDrawn(drawn);
    this.stats.hitsDrawn = drawn;
  }

  private redrawEdgesAndTracks(): void {
    const pass = this.cuts.passFlags(this.state);
    this.stats.edgesDrawn = this.edges.updateDrawn(pass, this.state.edgeColour === 'truth', this.state.showEdges);
    this.tracks.updateDrawn(pass);
    this.stats.tracksDrawn = this.tracks.tracksDrawn;
    this.sceneManager.requestRender();
  }

  // ---------------------------------------------------------------- threshold, edges, tracks, score

  /** Sets the threshold and returns the JS work it cost, ms (buffer updates, union-find, re-score). */
  setThreshold(t: number): number {
    this.state.threshold = Math.min(1, Math.max(0, t));
    const ms = this.applyThreshold();
    this.changed();
    return ms;
  }

  private part(name: string): void {
    const now = performance.now();
    this.stats.updateParts[name] = Math.round((now - this.partStart) * 10) / 10;
    this.partStart = now;
  }

  private applyThreshold(): number {
    const t0 = performance.now();
    this.partStart = t0;
    this.edges.setThreshold(this.state.threshold);
    this.stats.edgesPassing = this.edges.above;
    this.part('edges');
    this.applyTracks();
    this.stats.lastUpdateMs = performance.now() - t0;
    return this.stats.lastUpdateMs;
  }

  private useTruthColours(): void {
    if (!this.edges.trueEdge.length) this.edges.prepareTruth();
    this.edges.setThreshold(this.state.threshold);
    this.edges.geometry.setAttribute('color', this.colours.edgeTruthColours(this.data!.graph!));
  }

  setEdgeColour(mode: ViewState['edgeColour']): void {
    const g = this.data?.graph;
    if (mode === 'truth' && !g?.y) return;
    this.state.edgeColour = mode;
    if (mode === 'truth') this.useTruthColours();
    else this.edges.geometry.setAttribute('color', this.colours.scoreColours!);
    this.redrawEdgesAndTracks();
    this.changed();
  }

  setTrackSource(src: ViewState['tracks']): void {
    this.state.tracks = src;
    this.applyTracks();
    this.changed();
  }

  /** Labels from the chosen track set, their polylines, the live score and the hit colours. */
  private applyTracks(): void {
    const d = this.data!;
    this.tracks.computeLabels(d, this.state.tracks, this.edges.above);
    this.part('labels');
    this.redrawEdgesAndTracks();
    this.part('segments');
    const live = this.tracks.score();
    this.stats.score = live?.score;
    this.stats.goodTracks = live?.goodTracks ?? 0;
    this.part('score');
    this.writeHitColours();
    this.part('hitColours');
  }

  setHitColour(mode: ViewState['hitColour']): void {
    this.state.hitColour = mode;
    this.writeHitColours();
    this.sceneManager.requestRender();
    this.changed();
  }

  private writeHitColours(): void {
    this.colours.writeHitColours(
      this.data!,
      this.state,
      this.hitsLayer.colours,
      this.tracks.labels,
      this.tracks.segments?.size,
      this.tracks.live,
      this.cuts.outsideGraph,
    );
    this.hitsLayer.coloursChanged();
  }

  /** Legends of every colouring on screen. */
  legends(): Legend[] {
    return this.data ? this.colours.legends(this.data, this.state, this.tracks.live) : [];
  }

  // ---------------------------------------------------------------- visibility, detector

  async setVisible(what: 'hits' | 'edges' | 'detector' | 'axes', on: boolean): Promise<void> {
    if (what === 'hits') ((this.state.showHits = on), (this.hitsLayer.points.visible = on));
    if (what === 'edges') {
      this.state.showEdges = on;
      this.edges.lines.visible = on;
      this.redrawEdgesAndTracks();
    }
    if (what === 'axes') this.axes.setVisible(on);
    if (what === 'detector') {
      this.state.showDetector = on;
      if (on && !this.detector.mesh && this.opts.detector)
        this.detector.ensure(this.sceneManager.scene, await this.opts.detector(), this.state.projection);
      this.detector.setVisible(on);
    }
    this.sceneManager.requestRender();
    this.changed();
  }

  // ---------------------------------------------------------------- render, pick, export

  requestRender(): void {
    this.sceneManager.requestRender();
  }

  renderNow(): void {
    this.sceneManager.renderNow();
  }

  measureFrames(n: number): number {
    return this.sceneManager.measureFrames(n);
  }

  litPixels(): number {
    return this.sceneManager.litPixels();
  }

  toQuery(): string {
    return stateToQuery(this.state);
  }

  pick(px: number, py: number): PickInfo | undefined {
    if (!this.data) return undefined;
    return this.selection.pick(px, py, this.hitsLayer.points, this.tracks.lines, (row) => this.describeHit(row));
  }

  describeHit(row: number): PickInfo {
    return this.selection.describeHit(this.data!, this.state, row, this.tracks, this.tracks.live, this.cuts.outsideGraph);
  }

  /** Client (CSS pixel) coordinates where hit `row` is drawn. */
  screenPositionOfHit(row: number): { x: number; y: number } {
    const p = this.hitsLayer.pos;
    const { x, y } = this.sceneManager.toScreen(new THREE.Vector3(p[3 * row], p[3 * row + 1], p[3 * row + 2]));
    return { x, y };
  }

  exportPng(): string {
    return this.exporter.png();
  }

  /** Phoenix event-data JSON of the drawn hits and shown tracks. */
  exportPhoenix(): Record<string, unknown> {
    return this.exporter.phoenix(
      this.data!,
      this.state,
      this.hitsLayer.index.subarray(0, this.hitsLayer.drawn),
      this.cuts.pass,
      this.tracks,
    );
  }
}
