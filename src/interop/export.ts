// `npm run export`: a pipeline output folder (submissions; graphs and edge scores when kept with --save-graphs)
// and the events its provenance records, written for other tools — Kaggle's combined submission CSV, Phoenix
// event-data JSON, or one PyTorch Geometric file per event for acorn. All I/O of the interop formats lives here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { InputError } from '../core/errors.ts';
import { checkOutputDir, checkOutputFile, ensureOutputDir, writeFileAtomic } from '../core/fs.ts';
import { recordedInputDir, writeProvenance } from '../core/provenance.ts';
import { edgeScoresFileName, graphFromArrow } from '../graph/arrow-io.ts';
import { computeNodeTruth, labelEdges } from '../graph/index.ts';
import type { Graph } from '../graph/graph.ts';
import {
  findEvents,
  hitRowLookup,
  readHits,
  readParticles,
  readSubmission,
  readTruth,
  writeCombinedSubmission,
  type EventFiles,
} from '../trackml/index.ts';
import { phoenixEvent, type PhoenixTruthParticle } from './phoenix.ts';
import { pygFields } from './pyg.ts';
import { torchSavePygData } from './torch-save.ts';

export const EXPORT_FORMATS = ['kaggle', 'phoenix', 'pyg'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  to: ExportFormat;
  /** A pipeline output folder. */
  input: string;
  /** File (kaggle, phoenix) or folder (pyg); default beside the input: submission-combined.csv, phoenix.json, pyg/. */
  output?: string;
}

interface OutputEvent {
  eventId: string;
  submission: string;
  files: EventFiles;
}

/** The output's events with their submission and their event files (from the folder or its recorded input). */
function outputEvents(dir: string): OutputEvent[] {
  if (!existsSync(dir)) throw new InputError(dir, undefined, 'input directory not found');
  const subs = new Map<string, string>();
  for (const f of findEventSubmissions(dir)) subs.set(f.eventId, f.file);
  if (subs.size === 0)
    throw new InputError(dir, undefined, 'no eventNNNNNNNNN-submission.csv here: point --input at a pipeline output folder');
  const inputDir = recordedInputDir(dir);
  const files = new Map<string, EventFiles>();
  for (const d of [dir, ...(inputDir ? [inputDir] : [])])
    for (const e of findEvents(d)) if (!files.has(e.eventId) && e.hits) files.set(e.eventId, e);
  return [...subs].map(([eventId, submission]) => {
    const f = files.get(eventId);
    if (!f)
      throw new InputError(
        dir,
        undefined,
        `${eventId}: its hits are neither here nor in the input the provenance records${inputDir ? ` (${inputDir})` : ''}`,
      );
    return { eventId, submission, files: f };
  });
}

/** The event submissions in `dir`, by event id. */
function findEventSubmissions(dir: string): { eventId: string; file: string }[] {
  const out: { eventId: string; file: string }[] = [];
  for (const name of readdirSync(dir).sort()) {
    const m = /^(event\d{9})-submission\.csv(\.gz)?$/.exec(name);
    if (m) out.push({ eventId: m[1], file: path.join(dir, name) });
  }
  return out;
}

/** The saved graph of an event (with truth labels when the event has truth) and its edge scores. */
function savedGraph(dir: string, e: OutputEvent): { graph: Graph; scores: Float32Array } {
  const nodes = path.join(dir, `${e.eventId}-nodes.arrow`);
  const edges = path.join(dir, `${e.eventId}-edges.arrow`);
  const scoresFile = path.join(dir, edgeScoresFileName(e.eventId));
  for (const f of [nodes, edges, scoresFile])
    if (!existsSync(f))
      throw new InputError(
        f,
        undefined,
        'missing: rerun the pipeline with --save-graphs (config saveGraphs: true) to keep graphs and edge scores',
      );
  const graph = graphFromArrow(readFileSync(nodes), readFileSync(edges), nodes);
  const col = tableFromIPC(readFileSync(scoresFile)).getChild('score')?.toArray() as unknown;
  if (!(col instanceof Float32Array) || col.length !== graph.src.length)
    throw new InputError(scoresFile, undefined, `not the edge scores of ${path.basename(edges)}`);
  return { graph, scores: col };
}

/** Writes the export; returns the path written and how many events. */
export function runExport(opts: ExportOptions): { output: string; events: number } {
  const events = outputEvents(opts.input);
  const defaults: Record<ExportFormat, string> = { kaggle: 'submission-combined.csv', phoenix: 'phoenix.json', pyg: 'pyg' };
  const output = opts.output ?? path.join(opts.input, defaults[opts.to]);
  // An output path that cannot be written is one line before any event is read.
  if (opts.to === 'pyg') checkOutputDir(output);
  else checkOutputFile(output);
  if (opts.to === 'kaggle') {
    writeCombinedSubmission(
      output,
      events.map((e) => ({ eventId: e.eventId, submission: readSubmission(e.submission) })),
    );
  } else if (opts.to === 'phoenix') {
    const all: Record<string, unknown> = {};
    for (const e of events) Object.assign(all, phoenixOf(e));
    writeFileAtomic(output, JSON.stringify(all));
  } else {
    ensureOutputDir(output);
    for (const e of events) {
      const hits = readHits(e.files.hits!);
      const truth = e.files.truth ? readTruth(e.files.truth) : undefined;
      const particles = e.files.particles ? readParticles(e.files.particles) : undefined;
      const { graph, scores } = savedGraph(opts.input, e);
      if (truth) {
        graph.truth = computeNodeTruth(graph.hitId, graph.layer, truth, particles);
        graph.y = labelEdges(graph.src, graph.dst, graph.truth);
      }
      const fields = pygFields({ eventId: e.eventId, hits, truth, particles, graph, scores, submission: readSubmission(e.submission) });
      writeFileAtomic(path.join(output, `${e.eventId}-graph.pyg`), torchSavePygData(fields, `${e.eventId}-graph`));
    }
    writeProvenance(output, {
      stage: 'export-pyg',
      config: { to: 'pyg' },
      inputs: [opts.input],
      timingsMs: {},
      results: { events: events.length },
    });
  }
  return { output, events: events.length };
}

/** One event's Phoenix JSON: hits, the pipeline's tracks (≥ 2 hits) and the truth particles when known. */
function phoenixOf(e: OutputEvent): Record<string, unknown> {
  const hits = readHits(e.files.hits!);
  const sub = readSubmission(e.submission);
  const rowOf = hitRowLookup(hits.hitId);
  const labels = new Int32Array(hits.hitId.length).fill(-1);
  const dense = new Map<bigint, number>();
  for (let i = 0; i < sub.hitId.length; i++) {
    let l = dense.get(sub.trackId[i]);
    if (l === undefined) dense.set(sub.trackId[i], (l = dense.size));
    labels[rowOf(sub.hitId[i])] = l;
  }
  let truth: PhoenixTruthParticle[] | undefined;
  if (e.files.truth && e.files.particles) {
    const t = readTruth(e.files.truth);
    const p = readParticles(e.files.particles);
    const rows = new Map<bigint, number[]>();
    for (let r = 0; r < t.hitId.length; r++) {
      if (t.particleId[r] === 0n) continue;
      let list = rows.get(t.particleId[r]);
      if (!list) rows.set(t.particleId[r], (list = []));
      list.push(rowOf(t.hitId[r]));
    }
    truth = [];
    for (let k = 0; k < p.particleId.length; k++) {
      const list = rows.get(p.particleId[k]);
      if (!list) continue;
      truth.push({
        particleId: p.particleId[k],
        vx: p.vx[k],
        vy: p.vy[k],
        vz: p.vz[k],
        px: p.px[k],
        py: p.py[k],
        pz: p.pz[k],
        q: p.q[k],
        rows: list,
      });
    }
  }
  return phoenixEvent({ eventId: e.eventId, hits, tracks: [{ name: 'Tracks (pipeline)', labels, minHits: 2 }], truth });
}
