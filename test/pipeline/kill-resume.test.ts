// A real interruption: the pipeline CLI is SIGKILLed right after its first event's record appears; the rerun
// keeps that event, redoes the rest, and no file under a final name is ever partial.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { simulateConfig, simulateEvent } from '../../src/simulate/index.ts';
import { findEvents, readHits, readSubmission, writeEvent } from '../../src/trackml/index.ts';
import { repoRoot, tempDir } from '../real-data.ts';
import { cliArgv } from '../cli-run.ts';

const root = tempDir('trackml-kill-');
const eventsDir = path.join(root, 'events');
const out = path.join(root, 'out');
const config = path.join(root, 'truth.yaml');

beforeAll(() => {
  const detector = buildDetectorIndex(loadDetector());
  // Pile-up 30: events big enough (~15 k hits) that the run is still busy when the first record lands.
  for (const k of [1, 2, 3, 4]) writeEvent(eventsDir, simulateEvent(detector, simulateConfig({ pileup: 30 }), 21, k));
  writeFileSync(config, 'scorer: truth\ntruthNoise: 0.6\n');
}, 60_000);

describe('kill and resume', () => {
  it('resumes after SIGKILL without losing finished events or leaving partial files', async () => {
    const child = spawn(process.execPath, cliArgv('pipeline', '--input', eventsDir, '--output', out, '--config', config), {
      cwd: repoRoot,
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Poll for the first event's record, then kill at once.
    const deadline = Date.now() + 40_000;
    while (!existsSync(path.join(out, 'event000000001-record.json')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    await exited;
    const recordsBefore = readdirSync(out).filter((f) => f.endsWith('-record.json')).length;
    expect(recordsBefore).toBeGreaterThanOrEqual(1);
    expect(recordsBefore).toBeLessThan(4); // the kill landed mid-run
    expect(existsSync(path.join(out, 'report.html'))).toBe(false);
    // Whatever sits under a final name is whole: each submission covers every hit of its event.
    for (const e of findEvents(eventsDir)) {
      const sub = path.join(out, `${e.eventId}-submission.csv`);
      if (existsSync(sub)) expect(readSubmission(sub).hitId.length).toBe(readHits(e.hits!).hitId.length);
    }
    const resumed = await runPipeline({ inputDir: eventsDir, outputDir: out, configFile: config, progress: false });
    expect(resumed.events.filter((e) => e.cached).length).toBe(recordsBefore);
    expect(resumed.events).toHaveLength(4);
    expect(readdirSync(out).some((f) => f.includes('.tmp-'))).toBe(false);
    expect(existsSync(resumed.reportHtml)).toBe(true);
  }, 90_000);
});
