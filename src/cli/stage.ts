// `npm run stage:simulate|stage:tracks|stage:score -- --config pipelines/X.yaml [--input DIR] [--output DIR]` (flags:
// commands/stage-*.ts): one stage on directories (see src/pipeline/stages.ts); --input/--output override the
// config's input (tracks: events; score: submissions) and output directories, --truth (score) its truth directory.
import { runScoreStage, runSimulateStage, runTracksStage } from '../pipeline/stages.ts';
import { trackingRates } from '../tracks/index.ts';

interface StageFlags {
  config?: string;
  input?: string;
  output?: string;
  truth?: string;
}

export function simulateStageCommand(flags: StageFlags): void {
  const r = runSimulateStage(flags.config, { output: flags.output });
  process.stdout.write(`simulate: ${r.events} events, ${r.computed} simulated, ${r.events - r.computed} up to date\n`);
}

export function tracksStageCommand(flags: StageFlags): void {
  const r = runTracksStage(flags.config, { input: flags.input, output: flags.output });
  process.stdout.write(`tracks: ${r.events} events, ${r.computed} computed, ${r.events - r.computed} up to date\n`);
}

export function scoreStageCommand(flags: StageFlags): void {
  const r = runScoreStage(flags.config, { input: flags.input, output: flags.output, truth: flags.truth });
  const pt1 = trackingRates(r.counts).find((x) => x.ptBin === '> 1')!;
  process.stdout.write(
    `score: ${r.events} events, mean TrackML score ${r.meanScore.toFixed(4)}; pT > 1 GeV: efficiency ${pt1.efficiency.toFixed(4)}, ` +
      `fake rate ${pt1.fakeRate.toFixed(4)}, duplicate rate ${pt1.duplicateRate.toFixed(4)}\n`,
  );
}
