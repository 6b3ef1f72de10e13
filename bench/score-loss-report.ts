// Reads events with truth and a pipeline's submissions, sums src/pipeline/score-loss.ts over the events, and prints
// the loss tables side by side for several runs (markdown). Also runnable alone on finished runs:
//   node --import tsx bench/score-loss-report.ts LABEL=EVENTS_DIR:SUBMISSIONS_DIR [...]
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  emptyScoreLoss,
  LOSS_AXES,
  LOSS_KINDS,
  lostTotal,
  mergeScoreLoss,
  scoreLoss,
  type LossAxis,
  type LossCell,
  type ScoreLoss,
} from '../src/pipeline/score-loss.ts';
import { findEvents, readEvent, readSubmission } from '../src/trackml/index.ts';

/** Loss summed over every event of `eventsDir` that has truth and a submission in `submissionsDir`. */
export function analyseRun(eventsDir: string, submissionsDir: string): ScoreLoss {
  const out = emptyScoreLoss();
  for (const files of findEvents(eventsDir)) {
    if (!files.truth) continue;
    const ev = readEvent(files, files.particles ? ['truth', 'particles'] : ['truth']);
    const sub = readSubmission(path.join(submissionsDir, `${files.eventId}-submission.csv`));
    mergeScoreLoss(out, scoreLoss(ev.hits, ev.truth!, sub, ev.particles));
  }
  return out;
}

const pct = (v: number): string => (100 * v).toFixed(2);
const KIND_NAMES: Record<(typeof LOSS_KINDS)[number], string> = {
  notFound: 'not found',
  split: 'split',
  merged: 'merged',
  unassigned: 'hits left alone',
  inOtherTracks: 'hits in others’ tracks',
  fragments: 'own fragments',
};

/** One table per run-pair axis: rows are bins, per run the weight share, the lost share and the lost share by kind
 * (percent of the event weight, mean over events). */
export function lossMarkdown(runs: { label: string; loss: ScoreLoss }[]): string {
  const lines: string[] = [];
  const mean = (c: LossCell, l: ScoreLoss, v: number) => v / Math.max(1, l.events);
  lines.push('Percent of the event weight (mean over events). Lost kinds: ' + LOSS_KINDS.map((k) => KIND_NAMES[k]).join(', ') + '.');
  lines.push('');
  lines.push(`| run | events | score | lost | ${LOSS_KINDS.map((k) => KIND_NAMES[k]).join(' | ')} |`);
  lines.push(`| --- | ---: | ---: | ---: | ${LOSS_KINDS.map(() => '---:').join(' | ')} |`);
  for (const { label, loss } of runs) {
    const c = loss.total;
    lines.push(
      `| ${label} | ${loss.events} | ${(loss.score / loss.events).toFixed(4)} | ${pct(mean(c, loss, lostTotal(c)))} | ${LOSS_KINDS.map((k) => pct(mean(c, loss, c.lost[k]))).join(' | ')} |`,
    );
  }
  const axes: LossAxis[] = ['pt', 'eta', 'origin', 'nhits', 'volume'];
  for (const axis of axes) {
    const title = axis === 'volume' ? 'volume of the first hit' : LOSS_AXES[axis].label;
    const bins =
      axis === 'volume'
        ? [...new Set(runs.flatMap((r) => Object.keys(r.loss.by.volume)))].sort((a, b) => Number(a) - Number(b))
        : [...LOSS_AXES[axis].names];
    lines.push('', `By ${title}: weight share / lost, then lost by kind (${LOSS_KINDS.map((k) => KIND_NAMES[k]).join(', ')})`, '');
    lines.push(`| ${title} | ${runs.map((r) => `${r.label}: weight / lost | by kind`).join(' | ')} |`);
    lines.push(`| --- | ${runs.map(() => '---: | ---').join(' | ')} |`);
    for (const b of bins) {
      const cells = runs.map(({ loss }) => {
        const c = loss.by[axis][b];
        if (!c) return '– | –';
        return `${pct(mean(c, loss, c.weight))} / **${pct(mean(c, loss, lostTotal(c)))}** | ${LOSS_KINDS.map((k) => pct(mean(c, loss, c.lost[k]))).join(' · ')}`;
      });
      lines.push(`| ${b} | ${cells.join(' | ')} |`);
    }
  }
  const vols = [...new Set(runs.flatMap((r) => Object.keys(r.loss.lostHitsByVolume)))].sort((a, b) => Number(a) - Number(b));
  const hitKinds = ['unassigned', 'inOtherTracks', 'fragments'] as const;
  lines.push('', `Hits found particles lose, by the volume of the hit (${hitKinds.map((k) => KIND_NAMES[k]).join(', ')})`, '');
  lines.push(`| volume | ${runs.map((r) => r.label).join(' | ')} |`);
  lines.push(`| --- | ${runs.map(() => '---').join(' | ')} |`);
  for (const v of vols) {
    const cells = runs.map(({ loss }) => {
      const l = loss.lostHitsByVolume[v];
      return l ? hitKinds.map((k) => pct(l[k] / loss.events)).join(' · ') : '–';
    });
    lines.push(`| ${v} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const runs = process.argv.slice(2).map((arg) => {
    const [label, dirs] = arg.split('=');
    const [events, subs] = dirs.split(':');
    return { label, loss: analyseRun(events, subs) };
  });
  console.log(lossMarkdown(runs));
}
