// The graph stage on the real TrackML sample event (a 5 % event): CLI end to end, efficiency sanity, and the
// one-line error for a bad config.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { TrackmlEvent } from '../../src/trackml/types.ts';
import { graphFromArrow } from '../../src/graph/arrow-io.ts';
import { buildGraph } from '../../src/graph/build.ts';
import { graphConfig } from '../../src/graph/config.ts';
import { edgeMetrics } from '../../src/graph/metrics.ts';
import { makeGraphContext } from '../../src/graph/stage.ts';
import { trueSegments } from '../../src/graph/truth.ts';
import { findEvents, readEvent } from '../../src/trackml/index.ts';
import { describeRealData, realDataDir, realDetectorsFile, repoRoot, tempDir } from '../real-data.ts';
import { cliArgv } from '../cli-run.ts';

const dataDir = realDataDir();
const sampleDir = path.join(dataDir, 'sample-event');
const detectorsFile = realDetectorsFile();
const tmp = tempDir('graphs-test-');

const cli = (...args: string[]) => spawnSync(process.execPath, cliArgv('stage-graphs', ...args), { cwd: repoRoot, encoding: 'utf8' });

describeRealData('real sample event', () => {
  let event: TrackmlEvent;
  beforeAll(() => {
    event = readEvent(findEvents(sampleDir)[0]);
  });

  it('keeps ≥ 99 % of pT > 1 GeV pixel segments with the pT>1 preset, and every true layer pair is adjacent', () => {
    const config = graphConfig({ detector: 'pixel', preset: 'pt1', skipOneLayer: true, detectorsFile });
    const ctx = makeGraphContext(config);
    const g = buildGraph(event, ctx, config);
    const m = edgeMetrics(g);
    expect(m.nodes).toBeGreaterThan(2000);
    expect(m.byPt.pt1.segments).toBeGreaterThan(300);
    expect(m.byPt.pt1.efficiency).toBeGreaterThanOrEqual(0.99);
    expect(m.purity).toBeGreaterThan(0.05);
    expect(m.purity).toBeLessThan(1);
    // With one skipped layer allowed, the adjacency covers the layer pair of (nearly) every true segment.
    const pairs = new Set(ctx.model.pairs.flatMap((p) => [p.inner * 256 + p.outer, p.outer * 256 + p.inner]));
    const seg = trueSegments(g.truth!);
    let missing = 0;
    for (let s = 0; s < seg.src.length; s++) if (!pairs.has(g.layer[seg.src[s]] * 256 + g.layer[seg.dst[s]])) missing++;
    expect(missing / seg.src.length).toBeLessThan(0.005);
  });

  it('whole detector: ≥ 98 % of pT > 1 GeV segments', () => {
    const config = graphConfig({ detector: 'full', preset: 'pt1', skipOneLayer: true, detectorsFile });
    const m = edgeMetrics(buildGraph(event, makeGraphContext(config), config));
    expect(m.nodes).toBe(event.hits.hitId.length);
    expect(m.byPt.pt1.efficiency).toBeGreaterThanOrEqual(0.98);
    expect(Object.keys(m.byVolume)).toEqual(expect.arrayContaining(['8', '13', '17']));
  });

  it('stage:graphs writes Arrow files and provenance that read back to the same metrics', () => {
    const cfg = path.join(tmp, 'cfg.yaml');
    writeFileSync(cfg, `detector: pixel\npreset: pt1\ndetectorsFile: ${detectorsFile}\n`);
    const out = path.join(tmp, 'out');
    const r = cli('--input', sampleDir, '--output', out, '--config', cfg);
    expect(r.stderr).toContain('graphs [');
    expect(r.status).toBe(0);
    const g = graphFromArrow(
      readFileSync(path.join(out, 'event000000001-nodes.arrow')),
      readFileSync(path.join(out, 'event000000001-edges.arrow')),
    );
    const prov = JSON.parse(readFileSync(path.join(out, 'provenance-graphs.json'), 'utf8'));
    expect(prov.results.metrics.event000000001).toEqual(edgeMetrics(g));
    expect(prov.config.preset).toBe('pt1');
  });

  it('stage:graphs module-map learns a map that, applied to the same event, keeps all its prompt pT > 0.5 segments', () => {
    const mapFile = path.join(tmp, 'generated', 'module-map.arrow');
    const cfg = path.join(tmp, 'mm.yaml');
    writeFileSync(
      cfg,
      `builder: moduleMap\ndetector: pixel\ndetectorsFile: ${detectorsFile}\nmoduleMap:\n  file: ${mapFile}\n  learnMinPtGeV: 0.5\n`,
    );
    const learn = cli('module-map', '--input', sampleDir, '--output', mapFile, '--config', cfg);
    expect(learn.status).toBe(0);
    expect(learn.stdout).toMatch(/module map: \d+ module pairs/);
    const out = path.join(tmp, 'mm-out');
    expect(cli('--input', sampleDir, '--output', out, '--config', cfg).status).toBe(0);
    const prov = JSON.parse(readFileSync(path.join(out, 'provenance-graphs.json'), 'utf8'));
    const m = prov.results.metrics.event000000001;
    // Learned from prompt particles (vertex within 2 mm of the axis, the default) with pT ≥ 0.5 GeV: exactly the
    // pt0p5Prompt bin, all of which the map must contain; displaced ones may or may not fall in the ranges.
    expect(m.byPt.pt0p5Prompt.segments).toBeGreaterThan(1000);
    expect(m.byPt.pt0p5Prompt.efficiency).toBe(1);
    expect(m.byPt.pt0p5.efficiency).toBeLessThan(1);
  });

  it('a bad config is one line on stderr and exit 2', () => {
    const cfg = path.join(tmp, 'bad.yaml');
    writeFileSync(cfg, 'detector: pixel\ncuts:\n  phiSlope: 0.001\n');
    const r = cli('--input', sampleDir, '--output', path.join(tmp, 'bad-out'), '--config', cfg);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `error: ${cfg}:3: cuts.phiSlope: unknown key (allowed: phiSlopeMaxRadPerMm, z0MaxMm, dEtaMax, dPhiTolRad)`,
    ]);
    expect(existsSync(path.join(tmp, 'bad-out'))).toBe(false);
  });

  it('a missing flag is one line on stderr and exit 2', () => {
    const r = cli('--input', sampleDir);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--output');
  });
});
