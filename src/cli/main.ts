// `npm start [-- --config pipelines/X.yaml]` (flags: commands/start.ts): the main job on the embedded default.
// Simulates events (cached by config and code version), runs the tracking pipeline on them (graph → GNN → tracks →
// submissions, score, report) and prints the score, per-stage timings and where the report and viewer are.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../core/config.ts';
import { checkOutputDir } from '../core/fs.ts';
import { mainConfigSchema, type MainConfig } from '../pipeline/main-config.ts';
import { codeVersion, writeProvenance } from '../core/provenance.ts';
import { formatSummary, runPipeline } from '../pipeline/run-pipeline.ts';
import { simulateEvents } from '../simulate/stage.ts';

export const DEFAULT_CONFIG = 'pipelines/default.yaml';

export async function startCommand(flags: { config?: string }): Promise<void> {
  const configFile = flags.config ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
  const config = loadConfig(mainConfigSchema, configFile);
  const runDir = path.resolve(config.output);
  const eventsDir = path.join(runDir, 'events');
  const pipelineDir = path.join(runDir, 'pipeline');
  for (const dir of [eventsDir, pipelineDir]) checkOutputDir(dir);

  const tSim = simulateIfNeeded(config, eventsDir);
  // Events 1 … N (a directory from a bigger earlier run may hold more).
  const summary = await runPipeline({ inputDir: eventsDir, outputDir: pipelineDir, config: config.pipeline, limit: config.events });

  const rel = (p: string) => path.relative(process.cwd(), p) || '.';
  const out = [
    `trackml-gnn ${codeVersion()} — main job (${configFile ?? 'defaults'})`,
    `events: ${summary.events.length} simulated MU ${config.simulate.pileup} events in ${rel(eventsDir)}` +
      (tSim === undefined ? ' (cached)' : ` (simulated in ${(tSim / 1000).toFixed(1)} s)`),
    formatSummary(summary),
    `viewer: npm run view -- --input ${rel(runDir)}`,
  ];
  process.stdout.write(out.join('\n') + '\n');
  writeProvenance(runDir, {
    stage: 'main',
    config,
    inputs: [eventsDir],
    timingsMs: { simulate: tSim ?? 0, ...summary.meanStageMs, trackingPerEvent: summary.meanTrackingMs },
    results: { meanScore: summary.meanScore ?? null, report: summary.reportHtml },
  });
}

/** Simulates the configured events (1 … N) into `eventsDir`; events already there for the same config and code are
 * kept (per-event records). Returns the simulation time in ms, or undefined when every event was up to date. */
function simulateIfNeeded(config: MainConfig, eventsDir: string): number | undefined {
  const t0 = performance.now();
  const r = simulateEvents({
    output: eventsDir,
    events: config.events,
    seed: config.seed,
    firstEvent: 1,
    gzip: true,
    detectors: config.detectors,
    simulate: config.simulate,
  });
  return r.computed === 0 ? undefined : performance.now() - t0;
}
