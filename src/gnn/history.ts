// A saved model's training history, as the pipeline report draws it: read from the model's files with no tfjs
// (checkpoint.ts, which needs tfjs, re-exports it), so a pipeline on ONNX Runtime never loads tfjs.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EpochRecord } from './train.ts';

/** One epoch of a model's training history, as the report draws it. */
export interface HistoryPoint {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  auc: number;
  efficiency: number;
  purity: number;
  efficiencyPt1: number;
  threshold: number;
}

/** The training history behind a saved model: `meta.history` of its model.json (written by training since it was
 * kept there), else `train-state.json` beside it (a `last/` checkpoint), else `history.json` one level up (a run's
 * `best/`). Undefined when none is found (e.g. models trained before histories were kept with them). */
export function readTrainingHistory(modelDir: string): { points: HistoryPoint[]; source: string } | undefined {
  const tryRead = (file: string, pick: (j: unknown) => unknown): EpochRecord[] | undefined => {
    if (!existsSync(file)) return undefined;
    try {
      const h = pick(JSON.parse(readFileSync(file, 'utf8')));
      return Array.isArray(h) && h.length > 0 ? (h as EpochRecord[]) : undefined;
    } catch {
      return undefined;
    }
  };
  const candidates: [string, (j: unknown) => unknown][] = [
    [path.join(modelDir, 'model.json'), (j) => (j as { meta?: { history?: unknown } }).meta?.history],
    [path.join(modelDir, 'train-state.json'), (j) => (j as { history?: unknown }).history],
    [path.join(modelDir, '..', 'history.json'), (j) => j],
  ];
  for (const [file, pick] of candidates) {
    const h = tryRead(file, pick);
    if (!h) continue;
    const points = h.map((r) => ({
      epoch: r.epoch,
      trainLoss: r.trainLoss,
      valLoss: r.valLoss,
      auc: r.val?.auc,
      efficiency: r.val?.efficiency,
      purity: r.val?.purity,
      efficiencyPt1: r.val?.efficiencyPt1,
      threshold: r.val?.threshold,
    }));
    if (points.every((p) => Number.isFinite(p.epoch) && Number.isFinite(p.trainLoss))) return { points, source: file };
  }
  return undefined;
}
