// Learning a module map from events simulated in memory (`stage:graphs -- module-map --simulate N`): only particles
// that can add a segment are propagated, so the map must match one learned from full simulated events.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleMapFromArrow } from '../../src/graph/arrow-io.ts';
import { buildGraph, learnModuleMapEvent } from '../../src/graph/build.ts';
import { graphConfig } from '../../src/graph/config.ts';
import { edgeMetrics } from '../../src/graph/metrics.ts';
import { ModuleMapLearner } from '../../src/graph/module-map.ts';
import { makeGraphContext } from '../../src/graph/stage.ts';
import { simulateConfig } from '../../src/simulate/config.ts';
import { simulateEvent } from '../../src/simulate/simulate-event.ts';
import { repoRoot, tempDir } from '../real-data.ts';
import { cliArgv } from '../cli-run.ts';

const tmp = tempDir('module-map-sim-');
const EVENTS = 8;

describe('module map learned from in-memory simulation', () => {
  it('covers an independent full event as well as a map learned from as many full events', () => {
    const mapFile = path.join(tmp, 'map.arrow');
    const cfg = path.join(tmp, 'mm.yaml');
    const yaml = `builder: moduleMap\ndetector: pixel\nmoduleMap:\n  file: ${mapFile}\n  learnMinPtGeV: 1\n`;
    writeFileSync(cfg, yaml);
    const r = spawnSync(
      process.execPath,
      cliArgv('stage-graphs', 'module-map', '--simulate', String(EVENTS), '--seed', '5', '--output', mapFile, '--config', cfg),
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(r.stderr).toContain('module map (simulating)');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`module map: \\d+ module pairs from \\d+ segments of ${EVENTS} events`));
    const prov = JSON.parse(readFileSync(path.join(tmp, 'provenance-module-map.json'), 'utf8'));
    expect(prov.inputs[0]).toContain(`simulated: ${EVENTS} events, seed 5`);

    const config = graphConfig({ builder: 'moduleMap', detector: 'pixel', moduleMap: { file: mapFile, learnMinPtGeV: 1 } });
    const ctx = makeGraphContext(config);
    const simulatedMap = moduleMapFromArrow(readFileSync(mapFile), ctx.detector, mapFile);
    // The same number of full events (every particle, noise) through the same learner.
    const full = simulateConfig({ pileup: 200 });
    const learner = new ModuleMapLearner(ctx.detector.moduleCount);
    for (let i = 0; i < EVENTS; i++) learnModuleMapEvent(learner, simulateEvent(ctx.detector, full, 6, i), ctx, 1, 2);
    const fullMap = learner.finish();

    const test = simulateEvent(ctx.detector, full, 7, 0);
    const fromSimulated = edgeMetrics(buildGraph(test, { ...ctx, moduleMap: simulatedMap }, config)).byPt.pt1Prompt;
    const fromFull = edgeMetrics(buildGraph(test, { ...ctx, moduleMap: fullMap }, config)).byPt.pt1Prompt;
    expect(fromSimulated.segments).toBeGreaterThan(3000);
    // Eight events already cover most segments of a ninth; both maps alike within statistical spread.
    expect(fromSimulated.efficiency).toBeGreaterThan(0.6);
    expect(Math.abs(fromSimulated.efficiency - fromFull.efficiency)).toBeLessThan(0.03);
    expect(simulatedMap.dstModule.length / fullMap.dstModule.length).toBeGreaterThan(0.9);
    expect(simulatedMap.dstModule.length / fullMap.dstModule.length).toBeLessThan(1.1);
  }, 120_000);

  it('--input and --simulate together is one line and exit 2', () => {
    const r = spawnSync(
      process.execPath,
      cliArgv('stage-graphs', 'module-map', '--simulate', '2', '--input', tmp, '--output', path.join(tmp, 'x.arrow')),
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('not both');
  });
});
