// Tracks the GNN's graph cannot hold: the shipped graph is built for pT > 1 GeV, while particles below 1 GeV carry
// about 70 % of the TrackML score weight. After the GNN tracks and their strip extension, triplets of free pixel hits
// (on barrel layers, on disks, or from the first barrel layers to the first disks) that fit a helix from the
// beamline (transverse impact parameter, straight line in r–z, radius of a particle above minPtGeV) seed new tracks
// (src/tracks/seed-search.ts); each seed is followed through every pixel and strip layer by the same helix walk as
// the strip extension (src/tracks/helix-walk.ts) and kept when it collects minHits hits. Best seeds first, walks of
// at least longFirstHits hits are kept at once; the shorter ones then longest first; a hit taken by a kept track cannot
// seed or join another. Then the same for secondaries from the hits left: seeds whose circle passes the beam axis at
// up to displacedMaxD0Mm, followed with a helix that need not pass the beamline.
import type { Hits } from '../trackml/types.ts';
import { seedConfigSchema, type ExtendConfig, type SeedConfig } from './config.ts';
import { stripWindows } from './extend.ts';
import { insertByDistance } from './helix-fit.ts';
import { followHelix, walkLayers, type WalkLayers } from './helix-walk.ts';
import { buildHitIndex, layerViews, PIXEL_VOLUMES, TRACKER_VOLUMES, type HitIndex, type LayerView } from './hit-index.ts';
import { findSeeds as searchSeeds, SeedList } from './seed-search.ts';
import { seedingTriplets, type LayerKey } from './seed-triplets.ts';
import { freeRows, maxId, toStepIds } from './track-ids.ts';

export { seedConfigSchema, type SeedConfig };

/** Seeds by the length of their last walk, longest first, ties to the better seed (lower index): a binary max-heap on
 * typed arrays. */
class SeedQueue {
  private readonly seed: Int32Array;
  private readonly len: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.seed = new Int32Array(capacity);
    this.len = new Int32Array(capacity);
  }
  /** Heap slot a goes before slot b. */
  private before(a: number, b: number): boolean {
    return this.len[a] > this.len[b] || (this.len[a] === this.len[b] && this.seed[a] < this.seed[b]);
  }
  private swap(a: number, b: number): void {
    const s = this.seed[a],
      l = this.len[a];
    this.seed[a] = this.seed[b];
    this.len[a] = this.len[b];
    this.seed[b] = s;
    this.len[b] = l;
  }
  push(seed: number, length: number): void {
    let k = this.size++;
    this.seed[k] = seed;
    this.len[k] = length;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!this.before(k, parent)) break;
      this.swap(k, parent);
      k = parent;
    }
  }
  topLength(): number {
    return this.len[0];
  }
  pop(): number {
    const top = this.seed[0];
    this.size--;
    if (this.size > 0) {
      this.seed[0] = this.seed[this.size];
      this.len[0] = this.len[this.size];
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        let m = k;
        if (l < this.size && this.before(l, m)) m = l;
        if (l + 1 < this.size && this.before(l + 1, m)) m = l + 1;
        if (m === k) break;
        this.swap(k, m);
        k = m;
      }
    }
    return top;
  }
}

/** Seeds of the free hits (free[row] = 1) on every seeding layer triplet, best first. */
export function seedsOf(idx: HitIndex, free: Uint8Array, config: SeedConfig, skips: boolean, displaced: boolean): SeedList {
  const byKey = new Map<number, LayerView>();
  for (const l of layerViews(idx, free, PIXEL_VOLUMES, () => ({ acrossMm: 0, alongMm: 0 }))) byKey.set(l.key, l);
  const seeds = new SeedList();
  const layer = ([v, l]: LayerKey) => byKey.get(v * 256 + l);
  for (const [a, b, c] of seedingTriplets(idx, config.disks, skips)) {
    const A = layer(a),
      B = layer(b),
      C = layer(c);
    if (A && B && C) searchSeeds(idx, A, B, C, config, displaced, seeds);
  }
  return seeds.sorted();
}

/** One seed round's walks (see seedTracks): the walk in `track`, the hits taken (`claimed`), the new ids. */
export class SeedWalks {
  readonly track: number[] = [];
  constructor(
    readonly idx: HitIndex,
    readonly layers: WalkLayers,
    readonly claimed: Uint8Array,
    readonly out: Int32Array,
    public nextId: number,
    readonly config: SeedConfig,
    readonly lookahead: number,
  ) {}

  /** Follows seed i into `track` (its rows claimed); false when a seed hit is already taken. */
  follow(seeds: SeedList, i: number, general: boolean): boolean {
    const a = seeds.a[i],
      b = seeds.b[i],
      c = seeds.c[i];
    const { track, claimed } = this;
    track.length = 0;
    if (claimed[a] || claimed[b] || claimed[c]) return false;
    claimed[a] = claimed[b] = claimed[c] = 1;
    // The seed's hits by distance from the origin (no sort callback, no temporary arrays).
    track.push(a);
    insertByDistance(this.idx, track, b);
    insertByDistance(this.idx, track, c);
    followHelix(this.idx, track, this.layers, claimed, this.lookahead, this.config.maxMisses, general, this.config.maxGap);
    return true;
  }

  keep(): void {
    this.nextId++;
    const { track, out } = this;
    for (let i = 0; i < track.length; i++) out[track[i]] = this.nextId;
  }

  release(): void {
    const { track, claimed } = this;
    for (let i = 0; i < track.length; i++) claimed[track[i]] = 0;
  }

  /** The walk in `track` is long enough for a track: minHits, or pixelMinHits when all its hits are pixel hits. */
  longEnough(minHits: number, pixelMinHits: number): boolean {
    const { track } = this;
    if (track.length >= minHits) return true;
    if (track.length < pixelMinHits) return false;
    const volumeId = this.idx.hits.volumeId;
    for (let i = 0; i < track.length; i++) if (!PIXEL_VOLUMES.has(volumeId[track[i]])) return false;
    return true;
  }

  /** Phase 1, best seeds first: a walk of at least longFirstHits hits becomes a track at once; a shorter one gives its
   * hits back and is queued with its length. Phase 2, longest known walk first: the seed is followed again against
   * the hits taken since and kept when it is still at least as long as the next queued walk (walks only get shorter
   * as hits are taken), else queued again with its new length. So a short track from a seed with one wrong hit cannot
   * take hits a longer track needs, whatever the seeds' order. */
  select(seeds: SeedList, general: boolean, minHits: number, pixelMinHits = minHits, accept?: (track: readonly number[]) => boolean): void {
    const queue = new SeedQueue(seeds.length);
    // `accept`: a further quality cut on a walk (src/tracks/large-radius.ts), besides its length.
    const good = () => this.longEnough(minHits, pixelMinHits) && (!accept || accept(this.track));
    // onWalk[row]: 1 + the seed whose queued walk last took the row (0: none), for skipSeedsOnQueuedWalks.
    const onWalk = this.config.skipSeedsOnQueuedWalks ? new Int32Array(this.claimed.length) : undefined;
    for (let i = 0; i < seeds.length; i++) {
      if (onWalk) {
        const w = onWalk[seeds.a[i]];
        if (w !== 0 && w === onWalk[seeds.b[i]] && w === onWalk[seeds.c[i]]) continue;
      }
      if (!this.follow(seeds, i, general)) continue;
      if (this.track.length >= this.config.longFirstHits && (!accept || accept(this.track))) this.keep();
      else {
        this.release();
        if (good()) {
          queue.push(i, this.track.length);
          if (onWalk) for (let t = 0; t < this.track.length; t++) onWalk[this.track[t]] = i + 1;
        }
      }
    }
    while (queue.size > 0) {
      const i = queue.pop();
      if (!this.follow(seeds, i, general)) continue;
      const enough = good();
      if (enough && (queue.size === 0 || this.track.length >= queue.topLength())) this.keep();
      else {
        this.release();
        if (enough) queue.push(i, this.track.length);
      }
    }
  }
}

/** Where seedTracks adds the CPU time of its seed searches (ms by `clock`) to ms['seed search'] (the rest of a seed
 * round is its helix walks): buildEventTracks's step timer (src/tracks/build.ts StepTimes). */
export interface SearchTimer {
  ms: Record<string, number>;
  clock: () => number;
}

/** New track ids (step ids, see src/tracks/track-ids.ts): seeds of free hits followed into new tracks (see the file
 * comment). */
export function seedTracks(idx: HitIndex, ids: Int32Array, config: SeedConfig, extend: ExtendConfig, timer?: SearchTimer): Int32Array {
  const out = ids.slice();
  if (!config.enabled) return out;
  const n = ids.length;
  const { free, claimed } = freeRows(ids, config.freeTrackHits);
  const layers = walkLayers(
    layerViews(idx, free, TRACKER_VOLUMES, (vol) =>
      PIXEL_VOLUMES.has(vol) ? { acrossMm: config.pixelAcrossMm, alongMm: config.pixelAlongMm } : stripWindows(vol, extend),
    ),
  );
  const walks = new SeedWalks(idx, layers, claimed, out, maxId(ids), config, extend.lookaheadCandidates);
  // Prompt particles, then secondaries from the hits left (consecutive layers only: triplets that skip a layer added
  // +0.0003 in score for ~0.1 s more per event).
  const search = (mask: Uint8Array, skips: boolean, displaced: boolean): SeedList => {
    const t0 = timer?.clock() ?? 0;
    const seeds = seedsOf(idx, mask, config, skips, displaced);
    if (timer) timer.ms['seed search'] = (timer.ms['seed search'] ?? 0) + timer.clock() - t0;
    return seeds;
  };
  walks.select(search(free, config.skipLayerTriplets, false), false, config.minHits, config.pixelOnlyMinHits);
  if (config.displacedMaxD0Mm > config.maxD0Mm) {
    const left = new Uint8Array(n);
    for (let r = 0; r < n; r++) left[r] = 1 - claimed[r];
    walks.select(search(left, false, true), true, config.displacedMinHits);
  }
  return out;
}

/** seedTracks on 64-bit track ids (new tracks numbered from the largest id + 1). */
export function seedAndFollow(hits: Hits, trackId: BigInt64Array, config: SeedConfig, extend: ExtendConfig): BigInt64Array {
  if (!config.enabled) return trackId.slice();
  const step = toStepIds(trackId);
  return step.back(seedTracks(buildHitIndex(hits), step.ids, config, extend));
}

/** Seeds from the free hits (free(row) true) on one layer triplet, best first. */
export function findSeeds(
  hits: Hits,
  free: (row: number) => boolean,
  config: SeedConfig,
  triplet: readonly [LayerKey, LayerKey, LayerKey],
  displaced = false,
): { rows: [number, number, number]; quality: number }[] {
  const idx = buildHitIndex(hits);
  const mask = Uint8Array.from({ length: hits.hitId.length }, (_, r) => (free(r) ? 1 : 0));
  const byKey = new Map(layerViews(idx, mask, PIXEL_VOLUMES, () => ({ acrossMm: 0, alongMm: 0 })).map((l) => [l.key, l]));
  const [A, B, C] = triplet.map(([v, l]) => byKey.get(v * 256 + l));
  const seeds = new SeedList();
  if (A && B && C) searchSeeds(idx, A, B, C, config, displaced, seeds);
  const s = seeds.sorted();
  return Array.from({ length: s.length }, (_, i) => ({
    rows: [s.a[i], s.b[i], s.c[i]] as [number, number, number],
    quality: s.quality[i],
  }));
}
