// The report's figures as Vega-Lite specs, rendered to inline SVG (no script, no network in the page): acorn's
// evaluation plots — efficiencies with Clopper–Pearson error bars vs pT (log axis) and η, edge efficiency in r–z,
// confusion at the working point, ROC on a log false-positive axis with the working point marked, training
// curves — plus score histograms and per-stage times.
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { HistoryPoint } from '../gnn/history.ts';
import type { ScoreMetrics } from '../gnn/metrics.ts';
import { clopperPearson } from './binomial.ts';
import type { EvalCounts, Ratio } from './evaluate.ts';

export interface Figure {
  /** Stable id (data-plot attribute; tests look for every one). */
  id: string;
  title: string;
  svg: string;
}

const WIDTH = 380;
const HEIGHT = 230;

export async function svgOf(spec: vl.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

interface RatioPoint {
  series: string;
  xc: number;
  xlo: number;
  xhi: number;
  value: number;
  lo: number;
  hi: number;
  k: number;
  n: number;
}

/** Points with error bars of one ratio histogram (empty bins left out). `log`: geometric bin centres. */
export function ratioPoints(series: string, r: Ratio, edges: number[], level: number, log: boolean): RatioPoint[] {
  const out: RatioPoint[] = [];
  for (let b = 0; b < r.total.length; b++) {
    const n = r.total[b],
      k = r.pass[b];
    if (n === 0) continue;
    const [lo, hi] = clopperPearson(k, n, level);
    const xlo = edges[b],
      xhi = edges[b + 1];
    out.push({ series, xc: log ? Math.sqrt(xlo * xhi) : (xlo + xhi) / 2, xlo, xhi, value: k / n, lo, hi, k, n });
  }
  return out;
}

/** Points with horizontal bin extents and vertical error bars, one colour per series. */
function ratioSpec(points: RatioPoint[], x: { title: string; log: boolean; domain: [number, number] }, yTitle: string): vl.TopLevelSpec {
  const minLo = points.reduce((m, p) => Math.min(m, p.lo), 1);
  // The y axis starts at a round value below every error bar (its label says where), so small differences show.
  const y0 = Math.max(0, Math.floor(minLo * 10) / 10 - 0.1);
  const xs = { field: 'xc', type: 'quantitative', title: x.title, scale: { type: x.log ? 'log' : 'linear', domain: x.domain } } as const;
  const ys = { field: 'value', type: 'quantitative', title: yTitle, scale: { domain: [y0, 1] } } as const;
  return {
    width: WIDTH,
    height: HEIGHT,
    data: { values: points },
    encoding: { color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom' } } },
    layer: [
      { mark: { type: 'rule' }, encoding: { x: { ...xs, field: 'xlo' }, x2: { field: 'xhi' }, y: ys } },
      { mark: { type: 'rule' }, encoding: { x: xs, y: { ...ys, field: 'lo' }, y2: { field: 'hi' } } },
      { mark: { type: 'point', filled: true, size: 25 }, encoding: { x: xs, y: ys, tooltip: [{ field: 'k' }, { field: 'n' }] } },
    ],
  } as unknown as vl.TopLevelSpec;
}

/** Efficiency, purity and rate plots of the evaluation. */
export async function evaluationFigures(e: EvalCounts, level: number, targetText: string): Promise<Figure[]> {
  const pct = `${(level * 100).toFixed(1)} % Clopper–Pearson intervals`;
  const pt = {
    title: 'particle pT [GeV] (log scale)',
    log: true,
    domain: [e.ptEdgesGeV[0], e.ptEdgesGeV[e.ptEdgesGeV.length - 1]] as [number, number],
  };
  const eta = { title: 'η', log: false, domain: [e.etaEdges[0], e.etaEdges[e.etaEdges.length - 1]] as [number, number] };
  const wp = e.workingPoint;
  const figs: [string, string, RatioPoint[], typeof pt, string][] = [
    [
      'graph-eff-pt',
      `Graph construction efficiency vs pT (${targetText}; target segments in the graph; ${pct})`,
      ratioPoints('graph construction', e.graphVsPt, e.ptEdgesGeV, level, true),
      pt,
      'efficiency',
    ],
    [
      'graph-eff-eta',
      `Graph construction efficiency vs η (${targetText}; ${pct})`,
      ratioPoints('graph construction', e.graphVsEta, e.etaEdges, level, false),
      eta,
      'efficiency',
    ],
    [
      'edge-pt',
      `Edge efficiency and purity at the working point ${wp} vs pT (efficiency: target segments in the graph kept by the GNN; purity: kept edges that are true, by the inner hit's particle pT; ${pct})`,
      [
        ...ratioPoints('GNN efficiency', e.gnnVsPt, e.ptEdgesGeV, level, true),
        ...ratioPoints('purity', e.purityVsPt, e.ptEdgesGeV, level, true),
      ],
      pt,
      'efficiency / purity',
    ],
    [
      'edge-eta',
      `Edge efficiency and purity at the working point ${wp} vs η (inner hit's η; ${pct})`,
      [
        ...ratioPoints('GNN efficiency', e.gnnVsEta, e.etaEdges, level, false),
        ...ratioPoints('purity', e.purityVsEta, e.etaEdges, level, false),
      ],
      eta,
      'efficiency / purity',
    ],
    [
      'track-eff-pt',
      `Tracking efficiency vs pT (${targetText} but pT; found = a track holds > 50 % of its hits and is > 50 % its; ${pct})`,
      ratioPoints('tracking efficiency', e.particlesVsPt, e.ptEdgesGeV, level, true),
      pt,
      'efficiency',
    ],
    [
      'track-eff-eta',
      `Tracking efficiency vs η (${targetText}; ${pct})`,
      ratioPoints('tracking efficiency', e.particlesVsEta, e.etaEdges, level, false),
      eta,
      'efficiency',
    ],
  ];
  const out: Figure[] = [];
  for (const [id, title, points, x, y] of figs) out.push({ id, title, svg: await svgOf(ratioSpec(points, x, y)) });
  for (const [id, h, edges, x, log] of [
    ['track-rates-pt', e.tracksVsPt, e.ptEdgesGeV, pt, true],
    ['track-rates-eta', e.tracksVsEta, e.etaEdges, eta, false],
  ] as const) {
    const fake = ratioPoints('fake rate', { total: h.tracks, pass: h.fakes }, edges, level, log);
    const dup = ratioPoints('duplicate rate', { total: h.tracks, pass: h.duplicates }, edges, level, log);
    const spec = ratioSpec([...fake, ...dup], x, 'rate') as unknown as { layer: { encoding: { y: { scale: { domain: number[] } } } }[] };
    const maxHi = [...fake, ...dup].reduce((m, p) => Math.max(m, p.hi), 0.01);
    for (const l of spec.layer) l.encoding.y.scale = { domain: [0, Math.min(1, Math.ceil(maxHi * 20) / 20)] };
    out.push({
      id,
      title: `Fake and duplicate rates of tracks (≥ 3 hits) vs ${log ? 'pT' : 'η'} of their majority particle (${pct})`,
      svg: await svgOf(spec as unknown as vl.TopLevelSpec),
    });
  }
  out.push({
    id: 'edge-eff-rz',
    title: `Edge efficiency in r–z of the segment's inner hit (${targetText}): graph construction, and the GNN at ${wp} of the graph's`,
    svg: await svgOf(rzSpec(e)),
  });
  return out;
}

function rzSpec(e: EvalCounts): vl.TopLevelSpec {
  const nR = e.rEdgesMm.length - 1;
  const cells: { stage: string; zlo: number; zhi: number; rlo: number; rhi: number; efficiency: number; n: number }[] = [];
  for (const [stage, r] of [
    ['graph construction', e.graphRZ],
    ["GNN (of the graph's)", e.gnnRZ],
  ] as const) {
    for (let c = 0; c < r.total.length; c++) {
      if (r.total[c] === 0) continue;
      const zb = Math.floor(c / nR),
        rb = c % nR;
      cells.push({
        stage,
        zlo: e.zEdgesMm[zb],
        zhi: e.zEdgesMm[zb + 1],
        rlo: e.rEdgesMm[rb],
        rhi: e.rEdgesMm[rb + 1],
        efficiency: r.pass[c] / r.total[c],
        n: r.total[c],
      });
    }
  }
  const rMax = cells.reduce((m, c) => Math.max(m, c.rhi), 100);
  // The z range the cells fill (a pixel-only graph spans a third of the detector's length).
  const zMax = cells.reduce((m, c) => Math.max(m, Math.abs(c.zlo), Math.abs(c.zhi)), 100);
  return {
    data: { values: cells },
    facet: { row: { field: 'stage', type: 'nominal', title: null, sort: ['graph construction', "GNN (of the graph's)"] } },
    spec: {
      width: 2 * WIDTH,
      height: 110,
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'zlo', type: 'quantitative', title: 'z [mm]', scale: { domain: [-zMax, zMax] } },
        x2: { field: 'zhi' },
        y: { field: 'rlo', type: 'quantitative', title: 'r [mm]', scale: { domain: [0, rMax] } },
        y2: { field: 'rhi' },
        color: {
          field: 'efficiency',
          type: 'quantitative',
          scale: { scheme: 'viridis', domain: [Math.min(0.9, ...cells.map((c) => c.efficiency)), 1] },
        },
        tooltip: [{ field: 'efficiency', format: '.4f' }, { field: 'n' }],
      },
    },
  } as unknown as vl.TopLevelSpec;
}

/** Confusion of the edges at the working point, counts and the fraction of each truth class. */
export async function confusionFigure(m: ScoreMetrics): Promise<Figure> {
  const tp = m.selectedTrue,
    fp = m.selected - m.selectedTrue,
    fn = m.trueEdges - m.selectedTrue,
    tn = m.edges - m.selected - fn;
  const cell = (truth: string, predicted: string, count: number, ofClass: number) => ({
    truth,
    predicted,
    count,
    fraction: ofClass > 0 ? count / ofClass : 0,
    label: `${count} (${((100 * count) / Math.max(1, ofClass)).toFixed(2)} %)`,
  });
  const values = [
    cell('true edge', `kept (score ≥ ${m.threshold})`, tp, tp + fn),
    cell('true edge', `cut (score < ${m.threshold})`, fn, tp + fn),
    cell('false edge', `kept (score ≥ ${m.threshold})`, fp, fp + tn),
    cell('false edge', `cut (score < ${m.threshold})`, tn, fp + tn),
  ];
  const spec = {
    width: 280,
    height: 140,
    data: { values },
    encoding: {
      x: { field: 'predicted', type: 'nominal', title: 'GNN at the working point', axis: { labelAngle: 0 } },
      y: { field: 'truth', type: 'nominal', title: 'truth' },
    },
    layer: [
      {
        mark: 'rect',
        encoding: {
          color: {
            field: 'fraction',
            type: 'quantitative',
            title: 'fraction of the truth class',
            scale: { scheme: 'blues', domain: [0, 1] },
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 12 },
        encoding: { text: { field: 'label' }, color: { condition: { test: 'datum.fraction > 0.5', value: 'white' }, value: 'black' } },
      },
    ],
  } as unknown as vl.TopLevelSpec;
  return {
    id: 'confusion',
    title: `Confusion of the graph's edges at the working point ${m.threshold} (counts; % of the row)`,
    svg: await svgOf(spec),
  };
}

/** ROC from the stored histograms, false-positive rate on a log axis, with the working point's exact rates. */
export async function rocFigure(roc: { fpr: number; tpr: number }[], auc: number, m: ScoreMetrics): Promise<Figure> {
  const pts = roc.filter((p) => p.fpr > 0);
  const fpr = (m.selected - m.selectedTrue) / Math.max(1, m.edges - m.trueEdges);
  const tpr = m.selectedTrue / Math.max(1, m.trueEdges);
  const minFpr = Math.min(fpr > 0 ? fpr : 1, ...pts.map((p) => p.fpr));
  const lo = 10 ** Math.floor(Math.log10(minFpr));
  const x = {
    field: 'fpr',
    type: 'quantitative',
    title: 'false-positive rate: false edges kept (log scale)',
    scale: { type: 'log', domain: [lo, 1] },
  } as const;
  const y = { field: 'tpr', type: 'quantitative', title: 'true-positive rate: true edges kept', scale: { domain: [0, 1] } } as const;
  const wp = [{ fpr: Math.max(fpr, lo), tpr, label: `working point ${m.threshold}: TPR ${tpr.toFixed(4)}, FPR ${fpr.toExponential(2)}` }];
  const spec = {
    width: WIDTH,
    height: HEIGHT,
    layer: [
      { data: { values: pts }, mark: { type: 'line' }, encoding: { x, y, order: { field: 'fpr', type: 'quantitative' } } },
      { data: { values: wp }, mark: { type: 'point', shape: 'diamond', size: 90, filled: true, color: '#d62728' }, encoding: { x, y } },
      {
        data: { values: wp },
        mark: { type: 'text', align: 'right', dx: -8, dy: -8, fontSize: 11 },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
  } as unknown as vl.TopLevelSpec;
  return {
    id: 'roc',
    title: `ROC curve of the edge scores (AUC ${auc.toFixed(4)} from 1000-bin histograms), working point marked`,
    svg: await svgOf(spec),
  };
}

/** Training curves: loss per epoch, and the validation metrics at each epoch's threshold. */
export async function trainingFigures(h: HistoryPoint[], source: string): Promise<Figure[]> {
  const loss = h.flatMap((p) => [
    { epoch: p.epoch, value: p.trainLoss, series: 'training loss' },
    { epoch: p.epoch, value: p.valLoss, series: 'validation loss' },
  ]);
  const val = h
    .flatMap((p) => [
      { epoch: p.epoch, value: p.auc, series: 'AUC' },
      { epoch: p.epoch, value: p.efficiencyPt1, series: `efficiency pT > 1 at ${p.threshold}` },
      { epoch: p.epoch, value: p.purity, series: `purity at ${p.threshold}` },
    ])
    .filter((d) => Number.isFinite(d.value));
  const spec = (values: unknown[], yTitle: string, log: boolean) =>
    ({
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', title: yTitle, scale: log ? { type: 'log' } : { zero: false } },
        color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'bottom' } },
      },
    }) as unknown as vl.TopLevelSpec;
  return [
    {
      id: 'training-loss',
      title: `Training curves: loss per epoch (log scale; ${source})`,
      svg: await svgOf(spec(loss, 'weighted BCE loss', true)),
    },
    {
      id: 'training-validation',
      title: 'Training curves: validation AUC, efficiency and purity per epoch',
      svg: await svgOf(spec(val, 'validation metric', false)),
    },
  ];
}
