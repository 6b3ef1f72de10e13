// End to end: the main job (`npm start`) on a tiny config, run twice (second run reuses the simulated events).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findEvents, readSubmission, readTruth } from '../../src/trackml/index.ts';
import { tableFromIPC } from 'apache-arrow';
import { scoreEvent } from '../../scoring/index.ts';
import { graphFromArrow } from '../../src/graph/index.ts';
import { cliArgv } from '../cli-run.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'trackml-main-'));

function runMain(configFile: string) {
  return spawnSync(process.execPath, cliArgv('start', '--config', configFile), {
    cwd: repoRoot,
    encoding: 'utf8',
  });
}

describe('main job', () => {
  it('simulates, runs the pipeline with the shipped model, scores, writes provenance; a rerun reuses everything', () => {
    const out = path.join(dir, 'run');
    const cfg = path.join(dir, 'tiny.yaml');
    writeFileSync(cfg, `output: ${out}\nevents: 2\nseed: 7\nsimulate:\n  pileup: 5\npipeline:\n  saveGraphs: true\n`);
    const first = runMain(cfg);
    expect(first.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(first.status).toBe(0);
    const m = /TrackML score ([\d.]+)/.exec(first.stdout);
    expect(m).not.toBeNull();
    const printed = Number(m![1]);

    // The printed mean score is the official score of the written submissions.
    const events = findEvents(path.join(out, 'events'));
    expect(events.map((e) => e.eventId)).toEqual(['event000000001', 'event000000002']);
    let sum = 0;
    for (const e of events) {
      const sub = readSubmission(path.join(out, 'pipeline', `${e.eventId}-submission.csv`));
      sum += scoreEvent(readTruth(e.truth!), sub).score;
    }
    expect(printed).toBeCloseTo(sum / events.length, 4);
    expect(existsSync(path.join(out, 'pipeline', 'report.html'))).toBe(true);

    // saveGraphs: the graph and one score per edge beside the submission, for the viewer.
    const pipeDir = path.join(out, 'pipeline');
    const graph = graphFromArrow(
      readFileSync(path.join(pipeDir, 'event000000001-nodes.arrow')),
      readFileSync(path.join(pipeDir, 'event000000001-edges.arrow')),
    );
    const scores = tableFromIPC(readFileSync(path.join(pipeDir, 'event000000001-edge-scores.arrow')));
    expect(graph.src.length).toBeGreaterThan(0);
    expect(scores.numRows).toBe(graph.src.length);
    const s = scores.getChild('score')!.toArray() as Float32Array;
    expect(s.every((v) => v >= 0 && v <= 1)).toBe(true);

    const prov = JSON.parse(readFileSync(path.join(out, 'provenance-main.json'), 'utf8'));
    expect(prov.config.simulate.pileup).toBe(5);
    expect(prov.config.pipeline.model).toBe('trackml-data/model');
    expect(prov.codeVersion).toMatch(/^\d+\.\d+\.\d+\+/);
    expect(Object.keys(prov.timingsMs)).toEqual(expect.arrayContaining(['simulate', 'read', 'graph', 'gnn', 'tracks', 'write']));
    expect(existsSync(path.join(out, 'events', 'provenance-simulate.json'))).toBe(true);
    expect(first.stdout).toContain(`viewer: npm run view -- --input`);

    const second = runMain(cfg);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('(cached)');
    expect(second.stdout).toContain('0 events computed, 2 up to date');
    expect(second.stdout).toContain(`TrackML score ${m![1]}`);
  });

  it('reports a bad config as one line and exit 2', () => {
    const cfg = path.join(dir, 'bad.yaml');
    writeFileSync(cfg, 'events: 2\nsimulat:\n  pileup: 5\n');
    const res = runMain(cfg);
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain(`${cfg}:2: simulat: unknown key`);
  });
});
