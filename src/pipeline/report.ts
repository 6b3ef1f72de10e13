// report.json and a self-contained report.html for a pipeline run: score and tracking-metrics tables, efficiency
// vs pT and η, edge-score histograms, ROC curve and per-stage timing, drawn by Vega-Lite into inline SVG (the
// file needs no network and no script).
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { trackingRates, type TrackingCounts, type TrackingRates } from '../tracks/metrics.ts';
import { writeFileAtomic } from '../core/fs.ts';
import { TIMED_STAGES } from './finish-event.ts';
import { THROUGHPUT_ANCHOR, type PipelineSummary } from './summary.ts';

/** Writes report.json and report.html (both atomic). */
export async function writeReport(summary: PipelineSummary): Promise<void> {
  writeFileAtomic(summary.reportJson, JSON.stringify(reportJson(summary), null, 2) + '\n');
  writeFileAtomic(summary.reportHtml, await reportHtml(summary));
}

/** The report's JSON: the summary with rates worked out (counts stay for re-aggregation). */
export function reportJson(s: PipelineSummary): Record<string, unknown> {
  return {
    inputDir: s.inputDir,
    outputDir: s.outputDir,
    codeVersion: s.codeVersion,
    scorer: s.scorer,
    config: s.config,
    summary: s.summaryLine,
    meanScore: s.meanScore ?? null,
    secondsPerEvent: s.meanTrackingMs / 1000,
    eventsPerSecond: s.eventsPerSecond,
    meanStageMs: s.meanStageMs,
    throughputAnchor: THROUGHPUT_ANCHOR,
    computedEvents: s.computedEvents,
    computedWallMs: s.computedWallMs,
    wallSecondsPerEvent: s.wallMsPerEvent !== undefined ? s.wallMsPerEvent / 1000 : null,
    steadyWallSecondsPerEvent: s.steadyWallMsPerEvent !== undefined ? s.steadyWallMsPerEvent / 1000 : null,
    overlapped: s.overlapped,
    tracking: s.counts ? { allHits: trackingRates(s.counts), graphHits: trackingRates(s.graphCounts!) } : null,
    counts: s.counts ?? null,
    graphCounts: s.graphCounts ?? null,
    scoreHist: s.scoreHist ?? null,
    roc: s.scoreHist ? rocFromHistograms(s.scoreHist) : null,
    events: s.events.map((e) => ({
      eventId: e.eventId,
      cached: e.cached,
      hits: e.hits,
      graphNodes: e.graphNodes,
      graphEdges: e.graphEdges,
      tracks: e.tracks,
      threshold: e.threshold,
      timingsMs: e.timingsMs,
      score: e.truth?.score ?? null,
      goodTracks: e.truth?.goodTracks ?? null,
    })),
  };
}

/** ROC points (false-positive rate, true-positive rate) at each histogram bin edge, from the top down. */
export function rocFromHistograms(h: { trueEdges: number[]; falseEdges: number[] }): { threshold: number; fpr: number; tpr: number }[] {
  const bins = h.trueEdges.length;
  const nTrue = h.trueEdges.reduce((a, b) => a + b, 0);
  const nFalse = h.falseEdges.reduce((a, b) => a + b, 0);
  const out = [{ threshold: 1, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let b = bins - 1; b >= 0; b--) {
    tp += h.trueEdges[b];
    fp += h.falseEdges[b];
    out.push({ threshold: b / bins, fpr: nFalse > 0 ? fp / nFalse : 0, tpr: nTrue > 0 ? tp / nTrue : 0 });
  }
  return out;
}

/** Area under the ROC points (trapezoids); exact up to the histogram's binning. */
export function aucFromRoc(roc: { fpr: number; tpr: number }[]): number {
  let area = 0;
  for (let i = 1; i < roc.length; i++) area += ((roc[i].fpr - roc[i - 1].fpr) * (roc[i].tpr + roc[i - 1].tpr)) / 2;
  return area;
}

async function svgOf(spec: vl.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const fmt = (v: number | undefined, digits = 4): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function ptBinLabels(c: TrackingCounts): string[] {
  return c.ptEdgesGeV.slice(0, -1).map((lo, b) => (c.ptEdgesGeV[b + 1] === Infinity ? `≥ ${lo}` : `${lo}–${c.ptEdgesGeV[b + 1]}`));
}

function efficiencyPoints(c: TrackingCounts, scope: string) {
  const pts: { bin: string; order: number; efficiency: number; scope: string; particles: number }[] = [];
  for (let b = 0; b < c.ptEdgesGeV.length - 1; b++) {
    const n = c.reconstructable[0][b];
    if (n === 0) continue;
    pts.push({ bin: ptBinLabels(c)[b], order: b, efficiency: c.reconstructed[0][b] / n, scope, particles: n });
  }
  return pts;
}

function etaPoints(c: TrackingCounts, scope: string) {
  const pts: { eta: number; efficiency: number; scope: string; particles: number }[] = [];
  for (let b = 0; b < c.etaEdges.length - 1; b++) {
    const n = c.etaReconstructable[b];
    if (n === 0) continue;
    pts.push({ eta: (c.etaEdges[b] + c.etaEdges[b + 1]) / 2, efficiency: c.etaReconstructed[b] / n, scope, particles: n });
  }
  return pts;
}

const WIDTH = 380;
const HEIGHT = 230;

async function plots(s: PipelineSummary): Promise<{ title: string; svg: string }[]> {
  const out: { title: string; svg: string }[] = [];
  if (s.counts && s.graphCounts) {
    const scopes = [...efficiencyPoints(s.counts, 'all hits'), ...efficiencyPoints(s.graphCounts, 'graph hits')];
    out.push({
      title: 'Tracking efficiency vs particle pT (≥ 3 hits)',
      svg: await svgOf({
        width: WIDTH, height: HEIGHT, data: { values: scopes },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'bin', type: 'ordinal', sort: ptBinLabels(s.counts), title: 'particle pT [GeV]' },
          y: { field: 'efficiency', type: 'quantitative', scale: { domain: [0, 1] } },
          color: { field: 'scope', type: 'nominal', title: 'hits counted' },
        },
      }),
    });
    const eta = [...etaPoints(s.counts, 'all hits'), ...etaPoints(s.graphCounts, 'graph hits')];
    out.push({
      title: 'Tracking efficiency vs η (pT > 1 GeV, ≥ 3 hits)',
      svg: await svgOf({
        width: WIDTH, height: HEIGHT, data: { values: eta },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'eta', type: 'quantitative', title: 'particle η', scale: { domain: [-4, 4] } },
          y: { field: 'efficiency', type: 'quantitative', scale: { domain: [0, 1] } },
          color: { field: 'scope', type: 'nominal', title: 'hits counted' },
        },
      }),
    });
  }
  if (s.scoreHist) {
    const bins = s.config.report.scoreBins;
    const rebin = (h: number[]) => {
      const per = h.length / bins;
      return Array.from({ length: bins }, (_, b) => h.slice(b * per, (b + 1) * per).reduce((x, y) => x + y, 0));
    };
    const hist = [
      ...rebin(s.scoreHist.trueEdges).map((n, b) => ({ score: b / bins, edges: n, label: 'true edges' })),
      ...rebin(s.scoreHist.falseEdges).map((n, b) => ({ score: b / bins, edges: n, label: 'false edges' })),
    ].filter((d) => d.edges > 0); // a log axis has no place for empty bins
    out.push({
      title: 'Edge scores of true and false edges',
      svg: await svgOf({
        width: WIDTH, height: HEIGHT, data: { values: hist },
        mark: { type: 'line', interpolate: 'step-after', point: { size: 10 } },
        encoding: {
          x: { field: 'score', type: 'quantitative', title: 'edge score (bin start)', scale: { domain: [0, 1] } },
          y: { field: 'edges', type: 'quantitative', scale: { type: 'log' }, title: 'edges per bin (log)' },
          color: { field: 'label', type: 'nominal', title: null, scale: { domain: ['true edges', 'false edges'], range: ['#1f77b4', '#d62728'] } },
        },
      }),
    });
    const roc = rocFromHistograms(s.scoreHist);
    out.push({
      title: `ROC curve of the edge scores (AUC ${aucFromRoc(roc).toFixed(4)}, from 1000-bin histograms)`,
      svg: await svgOf({
        width: WIDTH, height: HEIGHT, data: { values: roc },
        mark: { type: 'line' },
        encoding: {
          x: { field: 'fpr', type: 'quantitative', title: 'false-positive rate (false edges kept)', scale: { type: 'sqrt', domain: [0, 1] } },
          y: { field: 'tpr', type: 'quantitative', title: 'true-positive rate (true edges kept)', scale: { domain: [0, 1] } },
          order: { field: 'fpr', type: 'quantitative' },
        },
      }),
    });
  }
  const timing = TIMED_STAGES.map((k, i) => ({ stage: k, order: i, ms: s.meanStageMs[k] }));
  out.push({
    title: `Mean wall time per event by stage (total ${(s.meanTrackingMs / 1000).toFixed(3)} s; TrackML winner ${THROUGHPUT_ANCHOR.secondsPerEvent} s)`,
    svg: await svgOf({
      width: WIDTH, height: HEIGHT, data: { values: timing },
      layer: [
        { mark: 'bar', encoding: { y: { field: 'stage', type: 'nominal', sort: [...TIMED_STAGES], title: null }, x: { field: 'ms', type: 'quantitative', title: 'ms per event' } } },
        { mark: { type: 'text', align: 'left', dx: 3 }, encoding: { y: { field: 'stage', type: 'nominal', sort: [...TIMED_STAGES] }, x: { field: 'ms', type: 'quantitative' }, text: { field: 'ms', type: 'quantitative', format: '.0f' } } },
      ],
    }),
  });
  return out;
}

function ratesTable(title: string, rows: TrackingRates[]): string {
  const head = '<tr><th>pT [GeV]</th><th>particles (≥3 hits)</th><th>efficiency</th><th>particles (≥5)</th><th>efficiency (≥5)</th><th>tracks (≥3 hits)</th><th>fake rate</th><th>duplicate rate</th></tr>';
  const body = rows
    .map((r) => `<tr${r.ptBin === '> 1' || r.ptBin === 'all' ? ' class="sum"' : ''}><td>${esc(r.ptBin)}</td><td>${r.particles}</td><td>${fmt(r.efficiency)}</td><td>${r.particles5}</td><td>${fmt(r.efficiency5)}</td><td>${r.tracks}</td><td>${fmt(r.fakeRate)}</td><td>${fmt(r.duplicateRate)}</td></tr>`)
    .join('\n');
  return `<h3>${esc(title)}</h3><table>${head}\n${body}</table>`;
}

/** The HTML text of the report. */
export async function reportHtml(s: PipelineSummary): Promise<string> {
  const figures = await plots(s);
  const events = s.events
    .map((e) => {
      const total = TIMED_STAGES.reduce((a, k) => a + e.timingsMs[k], 0);
      return `<tr><td>${e.eventId}</td><td>${e.hits}</td><td>${e.graphNodes}</td><td>${e.graphEdges}</td><td>${e.tracks}</td><td>${fmt(e.truth?.score)}</td>${TIMED_STAGES.map((k) => `<td>${e.timingsMs[k].toFixed(0)}</td>`).join('')}<td>${total.toFixed(0)}</td><td>${e.cached ? 'cached' : ''}</td></tr>`;
    })
    .join('\n');
  const metrics = s.counts
    ? ratesTable('Tracking metrics, all hits of the event (what the TrackML score sees)', trackingRates(s.counts)) +
      ratesTable("Tracking metrics, the graph's hits only (a particle's hits outside the graph are not counted)", trackingRates(s.graphCounts!))
    : '<p>No truth files: the events are tracked but not scored.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>trackml-gnn report — ${esc(s.outputDir)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:20px}h2{font-size:17px;margin-top:28px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}
tr.sum td{font-weight:600;background:#fafafa}td:first-child{text-align:left}
.grid{display:flex;flex-wrap:wrap;gap:18px}.fig{border:1px solid #ddd;padding:8px}.fig h4{margin:0 0 6px;font-size:13px}
.big{font-size:18px;font-weight:600}code{background:#f3f3f3;padding:1px 4px}
</style></head><body>
<h1>trackml-gnn pipeline report</h1>
<p class="big">${s.meanScore !== undefined ? `TrackML score ${s.meanScore.toFixed(4)} · ` : ''}${(1 / s.eventsPerSecond).toFixed(3)} s/event · ${s.eventsPerSecond.toFixed(2)} events/s${s.overlapped ? ` (latency ${(s.meanTrackingMs / 1000).toFixed(3)} s: ${s.parallelEvents ? `${s.parallelEvents} events at a time on worker threads` : "tracks overlap the next event's GNN"})` : ''}</p>
<p>${esc(s.summaryLine)}</p>
<p>Input <code>${esc(s.inputDir)}</code> · scorer ${esc(s.scorer.label)} · edge threshold ${s.events[0]?.threshold ?? '–'} · track builder <code>${esc(s.config.tracks.method)}</code> · graph <code>${esc(s.config.graph.builder)}/${esc(s.config.graph.detector)}/${esc(s.config.graph.preset)}</code> · code ${esc(s.codeVersion)}</p>
<p>Definitions: a particle (≥ 3 hits) is reconstructed when one track holds &gt; 50 % of its hits and &gt; 50 % of that track's hits are its; a track (≥ 3 hits) is matched when &gt; 50 % of its hits come from one particle; fake rate = unmatched tracks / tracks; duplicate rate = matched tracks beyond the first per particle / tracks. Tracks are binned by the pT of their majority particle.</p>
<h2>Score and tracking metrics</h2>
${metrics}
<h2>Plots</h2>
<div class="grid">
${figures.map((f) => `<div class="fig"><h4>${esc(f.title)}</h4>${f.svg}</div>`).join('\n')}
</div>
<h2>Events</h2>
<table><tr><th>event</th><th>hits</th><th>graph nodes</th><th>graph edges</th><th>tracks</th><th>score</th>${TIMED_STAGES.map((k) => `<th>${k} [ms]</th>`).join('')}<th>total [ms]</th><th></th></tr>
${events}
</table>
</body></html>
`;
}
