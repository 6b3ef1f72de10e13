// Markdown of the realism benchmark (bench/realism.bench.ts): a headline table (also in the README's simulator
// section), then every figure by group, real beside simulated, ✗ where the simulated value is outside the real spread.
import type { Figure } from '../src/simulate/realism.ts';

export interface RealismRow {
  key: string;
  /** Real reference: the full events (mean, min–max) or the 5 % sample (value, ~2σ range). */
  source: 'full' | 'sample';
  real: Figure;
  sim: Figure;
  flag: boolean;
}

export interface RealismInfo {
  simEvents: number;
  seed: number;
  fullEvents: string[];
  sampleEvent: string;
  simCpuMsPerEvent: number;
  simHitsPerEvent: number;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  if (a >= 0.01) return v.toFixed(3);
  return v.toPrecision(2);
}

const range = (f: Figure): string => (f.lo === f.hi ? fmt(f.value) : `${fmt(f.value)} (${fmt(f.lo)}–${fmt(f.hi)})`);
const delta = (r: RealismRow): string => (r.real.value !== 0 ? `${((r.sim.value / r.real.value - 1) * 100).toFixed(1)} %` : '—');

/** What a key means, for the headline and group tables. */
const LABELS: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^hits\.total$/, () => 'hits per event'],
  [/^hits\.volume\.(\d+)$/, (m) => `hits in volume ${m[1]}`],
  [/^noise\.total$/, () => "noise share of hits (full events: hits in no particle's nhits)"],
  [/^particles\.all$/, () => 'particles per event (particles file)'],
  [/^particles\.prompt$/, () => 'prompt primaries (generation 0, vertex r < 2 mm)'],
  [/^particles\.displaced$/, () => 'displaced generation-0 particles (vertex r ≥ 2 mm: decay daughters)'],
  [/^particles\.displacedBeyond30mm$/, () => 'displaced generation-0 particles, vertex r ≥ 30 mm'],
  [/^particles\.secondaries$/, () => 'secondaries (generation > 0)'],
  [/^particles\.hitShare\.(\w+)$/, (m) => `share of signal hits: ${m[1]}`],
  [/^hits\.(displaced|secondaries)$/, (m) => `share of signal hits: ${m[1]} (sample)`],
  [/^weight\.displaced$/, () => 'score weight of displaced generation-0 particles'],
  [/^weight\.displacedBeyond30mm$/, () => 'score weight of displaced particles born beyond r = 30 mm'],
  [/^particles\.pt\.q(\d+)$/, (m) => `particle pT, ${m[1]} % quantile (GeV)`],
  [/^particles\.absEta\.q(\d+)$/, (m) => `particle |η|, ${m[1]} % quantile`],
  [/^particles\.displacedPt\.q(\d+)$/, (m) => `displaced particles' pT, ${m[1]} % quantile (GeV)`],
  [/^particles\.nhits\.(.+)$/, (m) => `share of particles with ${m[1].endsWith('-') ? `${m[1].slice(0, -1)} or more` : m[1]} hits`],
  [/^particles\.meanHits$/, () => 'mean hits per particle'],
  [/^interactions\.(\w+)$/, (m) => `material interactions making secondaries per event: ${m[1]}`],
  [/^beamSpot\.sigmaZMm$/, () => 'beam spot σz of the interaction vertices (mm)'],
  [/^noise\.share\.(\d+)$/, (m) => `noise share of volume ${m[1]}'s hits`],
  [/^cells\.mean\.(\d+)$/, (m) => `cells per hit, volume ${m[1]}`],
  [/^cells\.single\.(\d+)$/, (m) => `share of one-cell hits, volume ${m[1]}`],
  [/^resid\.local\.(\d+)\.p90$/, (m) => `|measured − true| across, volume ${m[1]}, 90 % (µm)`],
  [/^resid\.helix\.(\d+)\.p(\d+)$/, (m) => `next true hit off the 2 T helix of the previous one, volume ${m[1]}, ${m[2]} % (mm)`],
  [
    /^scatter\.chordBend\.(\d+)\.p(\d+)$/,
    (m) =>
      `dip-angle bend between consecutive chords of true hits × momentum (scattering from positions), volume ${m[1]}, ${m[2]} % (mrad·GeV)`,
  ],
  [
    /^particles\.weightShare\.displacedBeyond30mm$/,
    () => 'score weight of displaced particles born beyond r = 30 mm (pT weights of particles with ≥ 4 hits, particles files)',
  ],
  [/^field\.effectiveBz\.(\d+)-(\d+)$/, (m) => `effective Bz turning momenta between hits, |z| ${m[1]}–${m[2]} mm (T)`],
  [
    /^score\.pipeline$/,
    () =>
      'TrackML score of the shipped pipeline: real 5 % sample (± 2 sd of the simulated subsets’ scores) vs 5 % particle subsets of simulated events',
  ],
  [
    /^graph\.(\w+)\.edges$/,
    (m) => `${m[1] === 'moduleMap' ? 'shipped pixel pT > 1 module map' : 'geometric pixel pT > 1'} graph: edges per event`,
  ],
];

function label(key: string): string {
  for (const [re, f] of LABELS) {
    const m = key.match(re);
    if (m) return f(m);
  }
  return key;
}

const HEADLINE = [
  'hits.total',
  'hits.volume.7',
  'hits.volume.8',
  'hits.volume.9',
  'hits.volume.12',
  'hits.volume.13',
  'hits.volume.14',
  'hits.volume.16',
  'hits.volume.17',
  'hits.volume.18',
  'noise.total',
  'particles.all',
  'particles.prompt',
  'particles.displaced',
  'particles.secondaries',
  'particles.pt.q50',
  'particles.absEta.q50',
  'particles.meanHits',
  'weight.displaced',
  'weight.displacedBeyond30mm',
  'particles.weightShare.displacedBeyond30mm',
  'cells.mean.8',
  'cells.mean.13',
  'resid.helix.14.p90',
  'resid.helix.18.p90',
  'resid.helix.8.p50',
  'scatter.chordBend.8.p50',
  'field.effectiveBz.2500-3100',
  'graph.moduleMap.edges',
  'graph.geometric.edges',
  'score.pipeline',
];

function table(rows: RealismRow[], withLabel = true): string[] {
  const out = [`| ${withLabel ? 'figure' : 'key'} | real | simulated | sim − real | |`, '| --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    out.push(
      `| ${withLabel ? label(r.key) : r.key}${r.source === 'sample' ? ' ¹' : ''} | ${range(r.real)} | ${range(r.sim)} | ${delta(r)} | ${r.flag ? '✗' : '✓'} |`,
    );
  }
  return out;
}

/** The headline table alone (also pasted into the README's simulator section). */
export function headlineTable(rows: RealismRow[]): string[] {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const layers = rows.filter((r) => r.key.startsWith('hits.layer.'));
  const within = layers.filter(
    (r) => Math.abs(r.sim.value / r.real.value - 1) <= 0.05 || (r.sim.value >= r.real.lo && r.sim.value <= r.real.hi),
  );
  const out = table(HEADLINE.map((k) => byKey.get(k)).filter((r): r is RealismRow => r !== undefined));
  out.push(
    `| layers with hits within 5 % of the real mean or inside the real spread | ${layers.length} | ${within.length} | | ${within.length === layers.length ? '✓' : '✗'} |`,
  );
  return out;
}

export function realismMarkdown(rows: RealismRow[], info: RealismInfo): string {
  const group = (prefix: RegExp) => rows.filter((r) => prefix.test(r.key));
  const flagged = rows.filter((r) => r.flag && !r.key.includes('.pair.'));
  const pairs = rows.filter((r) => r.key.includes('.pair.')).sort((a, b) => Number(b.flag) - Number(a.flag) || b.real.value - a.real.value);
  const lines = [
    '## Simulator realism: simulated vs real',
    '',
    `${info.simEvents} simulated MU = 200 events (seed ${info.seed}, built-in detector, default config) against the four real full ` +
      `events (${info.fullEvents.join(', ')}; particle figures from the two with particles files) and, where truth or cells are ` +
      `needed (¹), the real 5 % sample ${info.sampleEvent}. Real: the full events' mean (min–max) or the sample's value ` +
      '(its ~2σ statistical range); simulated: mean (min–max over events). ✗: the simulated value is outside the real range ' +
      'and more than 5 % from the real value. Simulation: ' +
      `${Math.round(info.simCpuMsPerEvent).toLocaleString('en-US')} ms CPU per event (${Math.round(info.simHitsPerEvent).toLocaleString('en-US')} hits).`,
    '',
    ...headlineTable(rows),
    '',
    `Flagged figures (${flagged.length}): ${flagged.length ? flagged.map((r) => `\`${r.key}\``).join(', ') : 'none'}; layer pairs of the graphs: ` +
      `${pairs.filter((r) => r.flag).length} of ${pairs.length} flagged.`,
    '',
    '### Hits per layer (volume:layer)',
    '',
    ...table(group(/^hits\.layer\./), false),
    '',
    '### Hits per module, by volume (all modules, empty ones included)',
    '',
    ...table(group(/^modules\./), false),
    '',
    '### Particles (real: events with particles files)',
    '',
    ...table(group(/^(particles\.|interactions\.|beamSpot|noise\.total)/)),
    '',
    '### Noise, clusters, displaced particles, residuals and field (real: the 5 % sample)',
    '',
    ...table(group(/^(noise\.share|cells\.|hits\.(displaced|secondaries)|weight\.|resid\.|scatter\.|field\.)/)),
    '',
    '### Graph edges per event and per layer pair',
    '',
    ...table(group(/^(graph\.\w+\.edges|score\.)/)),
    '',
    '<details><summary>Edges per layer pair (flagged first)</summary>',
    '',
    ...table(pairs, false),
    '',
    '</details>',
  ];
  return lines.join('\n');
}
