// report.json and a self-contained report.html for a pipeline run: the stage commands' figures (graph
// construction, GNN at the working point, tracking metrics), acorn's evaluation plots (report-plots.ts), score
// histograms, ROC, training curves and per-stage timing, drawn by Vega-Lite into inline SVG (the file needs no
// network and no script).
import * as vl from 'vega-lite';
import { clopperPearson } from './binomial.ts';
import { confusionFigure, evaluationFigures, rocFigure, svgOf, trainingFigures, type Figure } from './report-plots.ts';
import { trackingRates, type TrackingRates } from '../tracks/metrics.ts';
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
    failures: s.failures ?? [],
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
    evaluation: s.evaluation ? { config: s.config.evaluation, ...s.evaluation, headline: headline(s) } : null,
    trainingHistory: s.training ?? null,
    events: s.events.map((e) => ({
      eventId: e.eventId,
      cached: e.cached,
      hits: e.hits,
      graphNodes: e.graphNodes,
      graphEdges: e.graphEdges,
      tracks: e.tracks,
      threshold: e.threshold,
      timingsMs: e.timingsMs,
      wallMs: e.wallMs ?? null,
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

const fmt = (v: number | undefined, digits = 4): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const WIDTH = 380;
const HEIGHT = 230;

/** The report's summary numbers, each with the stage command that prints the same figure. */
export function headline(s: PipelineSummary) {
  const e = s.evaluation!;
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  const level = s.config.evaluation.confidenceLevel;
  const eff = (k: number, n: number) => ({ k, n, value: n > 0 ? k / n : NaN, interval: clopperPearson(k, n, level) });
  return {
    workingPoint: e.workingPoint,
    /** stage:graphs (edgeMetrics, summed over events). */
    graph: {
      efficiencyPt1: e.graph.segmentsPt1 > 0 ? e.graph.keptPt1 / e.graph.segmentsPt1 : NaN,
      efficiencyAll: e.graph.segments > 0 ? e.graph.kept / e.graph.segments : NaN,
      purity: e.graph.edges > 0 ? e.graph.trueEdges / e.graph.edges : NaN,
      edges: e.graph.edges,
    },
    /** stage:infer (scoreMetrics at the working point, summed as sumScoreMetrics does). */
    gnn: {
      auc: e.gnn.auc,
      aucPt1: e.gnn.aucPt1,
      efficiency: e.gnn.efficiency,
      purity: e.gnn.purity,
      efficiencyPt1: e.gnn.efficiencyPt1,
      purityPt1: e.gnn.purityPt1,
    },
    /** The evaluation's target particles and segments, all bins of the η plots (which apply every cut). */
    target: {
      graphEfficiency: eff(sum(e.graphVsEta.pass), sum(e.graphVsEta.total)),
      gnnEfficiency: eff(sum(e.gnnVsEta.pass), sum(e.gnnVsEta.total)),
      trackingEfficiency: eff(sum(e.particlesVsEta.pass), sum(e.particlesVsEta.total)),
    },
  };
}

function targetText(s: PipelineSummary): string {
  const t = s.config.evaluation.targetParticles;
  const pt = t.ptGeV[1] === null ? `pT ≥ ${t.ptGeV[0]} GeV` : `${t.ptGeV[0]} ≤ pT ≤ ${t.ptGeV[1]} GeV`;
  return `target particles: ${pt}, ≥ ${t.minHits} hits${t.primaryOnly ? ', primary' : ''}, |η| ≤ ${t.absEtaMax}`;
}

async function plots(s: PipelineSummary): Promise<Figure[]> {
  const out: Figure[] = [];
  const ev = s.evaluation;
  if (ev) out.push(...(await evaluationFigures(ev, s.config.evaluation.confidenceLevel, targetText(s))));
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
      id: 'score-hist',
      title: 'Edge scores of true and false edges',
      svg: await svgOf({
        width: WIDTH,
        height: HEIGHT,
        data: { values: hist },
        mark: { type: 'line', interpolate: 'step-after', point: { size: 10 } },
        encoding: {
          x: { field: 'score', type: 'quantitative', title: 'edge score (bin start)', scale: { domain: [0, 1] } },
          y: { field: 'edges', type: 'quantitative', scale: { type: 'log' }, title: 'edges per bin (log scale)' },
          color: {
            field: 'label',
            type: 'nominal',
            title: null,
            scale: { domain: ['true edges', 'false edges'], range: ['#1f77b4', '#d62728'] },
          },
        },
      }),
    });
    if (ev) {
      const roc = rocFromHistograms(s.scoreHist);
      out.push(await rocFigure(roc, aucFromRoc(roc), ev.gnn));
      out.push(await confusionFigure(ev.gnn));
    }
  }
  if (s.training) out.push(...(await trainingFigures(s.training.points, s.training.source)));
  const timing = TIMED_STAGES.map((k, i) => ({ stage: k, order: i, ms: s.meanStageMs[k] }));
  out.push({
    id: 'timing',
    title: `Mean time per event by stage (summing to ${(s.meanTrackingMs / 1000).toFixed(3)} s; wall ${((s.wallMsPerEvent ?? s.meanTrackingMs) / 1000).toFixed(3)} s per event; TrackML winner ${THROUGHPUT_ANCHOR.secondsPerEvent} s)`,
    svg: await svgOf({
      width: WIDTH,
      height: HEIGHT,
      data: { values: timing },
      layer: [
        {
          mark: 'bar',
          encoding: {
            y: { field: 'stage', type: 'nominal', sort: [...TIMED_STAGES], title: null },
            x: { field: 'ms', type: 'quantitative', title: 'ms per event' },
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 3 },
          encoding: {
            y: { field: 'stage', type: 'nominal', sort: [...TIMED_STAGES] },
            x: { field: 'ms', type: 'quantitative' },
            text: { field: 'ms', type: 'quantitative', format: '.0f' },
          },
        },
      ],
    } as vl.TopLevelSpec),
  });
  return out;
}

function stageTable(s: PipelineSummary): string {
  if (!s.evaluation) return '';
  const h = headline(s);
  const ci = (x: { value: number; interval: [number, number]; k: number; n: number }) =>
    `${fmt(x.value)} [${fmt(x.interval[0])}, ${fmt(x.interval[1])}] (${x.k} / ${x.n})`;
  const rows = [
    ['graph construction: efficiency of true pT > 1 GeV segments', fmt(h.graph.efficiencyPt1), '<code>stage:graphs</code> eff(pT&gt;1)'],
    ['graph construction: purity (true edges / edges)', fmt(h.graph.purity), '<code>stage:graphs</code> purity'],
    [`GNN at ${h.workingPoint}: AUC (mean over events)`, fmt(h.gnn.auc), '<code>stage:infer</code> AUC'],
    [`GNN at ${h.workingPoint}: efficiency of true pT > 1 GeV edges`, fmt(h.gnn.efficiencyPt1), '<code>stage:infer</code> eff(pT&gt;1)'],
    [`GNN at ${h.workingPoint}: purity (true / kept edges)`, fmt(h.gnn.purity), '<code>stage:infer</code> purity'],
    [
      `GNN at ${h.workingPoint}: purity pT > 1 (slower true edges left out)`,
      fmt(h.gnn.purityPt1),
      '<code>stage:infer</code> metrics.purityPt1',
    ],
    [`target segments in the graph (${esc(targetText(s))})`, ci(h.target.graphEfficiency), 'evaluation'],
    [`target segments in the graph kept by the GNN at ${h.workingPoint}`, ci(h.target.gnnEfficiency), 'evaluation'],
    ['target particles found by a track', ci(h.target.trackingEfficiency), 'evaluation'],
  ];
  return `<h3>Edge and target figures (${s.evaluation.events} events; intervals: Clopper–Pearson ${(100 * s.config.evaluation.confidenceLevel).toFixed(2)} %)</h3>
<table><tr><th>figure</th><th>value</th><th>same as</th></tr>
${rows.map((r) => `<tr><td>${r[0]}</td><td>${r[1]}</td><td>${r[2]}</td></tr>`).join('\n')}</table>`;
}

function ratesTable(title: string, rows: TrackingRates[]): string {
  const head =
    '<tr><th>pT [GeV]</th><th>particles (≥3 hits)</th><th>efficiency</th><th>particles (≥5)</th><th>efficiency (≥5)</th><th>tracks (≥3 hits)</th><th>fake rate</th><th>duplicate rate</th></tr>';
  const body = rows
    .map(
      (r) =>
        `<tr${r.ptBin === '> 1' || r.ptBin === 'all' ? ' class="sum"' : ''}><td>${esc(r.ptBin)}</td><td>${r.particles}</td><td>${fmt(r.efficiency)}</td><td>${r.particles5}</td><td>${fmt(r.efficiency5)}</td><td>${r.tracks}</td><td>${fmt(r.fakeRate)}</td><td>${fmt(r.duplicateRate)}</td></tr>`,
    )
    .join('\n');
  return `<h3>${esc(title)}</h3><table>${head}\n${body}</table>`;
}

/** The failed events of a queue run, each with its reason (empty when none failed). */
function failuresHtml(s: PipelineSummary): string {
  const f = s.failures ?? [];
  if (f.length === 0) return '';
  const rows = f.map((x) => `<tr><td>${esc(x.eventId)}</td><td style="text-align:left">${esc(x.reason)}</td></tr>`).join('\n');
  return `<h2>Failed events (${f.length}, not in the figures below)</h2><table><tr><th>event</th><th>reason</th></tr>\n${rows}</table>\n`;
}

/** The HTML text of the report. */
export async function reportHtml(s: PipelineSummary): Promise<string> {
  const figures = await plots(s);
  const events = s.events
    .map((e) => {
      const total = TIMED_STAGES.reduce((a, k) => a + e.timingsMs[k], 0);
      return `<tr><td>${e.eventId}</td><td>${e.hits}</td><td>${e.graphNodes}</td><td>${e.graphEdges}</td><td>${e.tracks}</td><td>${fmt(e.truth?.score)}</td>${TIMED_STAGES.map((k) => `<td>${e.timingsMs[k].toFixed(0)}</td>`).join('')}<td>${total.toFixed(0)}</td><td>${e.wallMs !== undefined ? e.wallMs.toFixed(0) : '–'}</td><td>${e.cached ? 'cached (times of the computing run)' : ''}</td></tr>`;
    })
    .join('\n');
  const metrics = s.counts
    ? ratesTable('Tracking metrics, all hits of the event (what the TrackML score sees)', trackingRates(s.counts)) +
      ratesTable(
        "Tracking metrics, the graph's hits only (a particle's hits outside the graph are not counted)",
        trackingRates(s.graphCounts!),
      )
    : '<p>No truth files: the events are tracked but not scored.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>trackml-gnn report — ${esc(s.outputDir)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:20px}h2{font-size:17px;margin-top:28px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}
tr.sum td{font-weight:600;background:#fafafa}td:first-child{text-align:left}
.grid{display:flex;flex-wrap:wrap;gap:18px}.fig{border:1px solid #ddd;padding:8px;max-width:470px}.fig[data-plot="edge-eff-rz"]{max-width:none}.fig h4{margin:0 0 6px;font-size:13px}
.big{font-size:18px;font-weight:600}code{background:#f3f3f3;padding:1px 4px}
</style></head><body>
<h1>trackml-gnn pipeline report</h1>
<p class="big">${s.meanScore !== undefined ? `TrackML score ${s.meanScore.toFixed(4)} · ` : ''}${(1 / s.eventsPerSecond).toFixed(3)} s/event wall · ${s.eventsPerSecond.toFixed(2)} events/s (stages sum to ${(s.meanTrackingMs / 1000).toFixed(3)} s per event${s.overlapped ? `: ${s.parallelEvents ? `${s.parallelEvents} events at a time on worker threads` : "tracks overlap the next event's GNN"}` : ''}${s.computedEvents < s.events.length ? `; ${s.events.length - s.computedEvents} events from the cache, with the times of the run that computed them` : ''})</p>
<p>${esc(s.summaryLine)}</p>
<p>Input <code>${esc(s.inputDir)}</code> · scorer ${esc(s.scorer.label)} · edge threshold ${s.events[0]?.threshold ?? '–'} · track builder <code>${esc(s.config.tracks.method)}</code> · graph <code>${esc(s.config.graph.builder)}/${esc(s.config.graph.detector)}/${esc(s.config.graph.preset)}</code> · code ${esc(s.codeVersion)}</p>
<p>Definitions: a particle (≥ 3 hits) is reconstructed when one track holds &gt; 50 % of its hits and &gt; 50 % of that track's hits are its; a track (≥ 3 hits) is matched when &gt; 50 % of its hits come from one particle; fake rate = unmatched tracks / tracks; duplicate rate = matched tracks beyond the first per particle / tracks. Tracks are binned by the pT of their majority particle.</p>
${failuresHtml(s)}<h2>Score and tracking metrics</h2>
${metrics}
${stageTable(s)}
${s.training ? '' : `<p>No training curves: the model (<code>${esc(s.config.model)}</code>) carries no training history (models keep it in <code>meta.history</code> since training stored it there; older ones need <code>train-state.json</code> or <code>../history.json</code> beside them).</p>`}
<h2>Plots</h2>
<div class="grid">
${figures.map((f) => `<div class="fig" data-plot="${f.id}"><h4>${esc(f.title)}</h4>${f.svg}</div>`).join('\n')}
</div>
<h2>Events</h2>
<table><tr><th>event</th><th>hits</th><th>graph nodes</th><th>graph edges</th><th>tracks</th><th>score</th>${TIMED_STAGES.map((k) => `<th>${k} [ms]</th>`).join('')}<th>total [ms]</th><th>wall [ms]</th><th></th></tr>
${events}
</table>
</body></html>
`;
}
