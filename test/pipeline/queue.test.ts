// The queue mode on a real redis-server (Debian's; started here on a free port, no mock): a producer and two
// workers over 6 simulated events plus a corrupt one. One worker is killed with SIGKILL in the middle of an event,
// deterministically — its first event's outputs are written, its record is not (TRACKML_FAULT_AT_RENAME=2) — and
// BullMQ's stalled-job check hands that event to the other worker. Every submission exists once, byte-identical
// to a one-process run; the corrupt event fails alone, at once, with its one-line reason; a rerun adds nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDetectorIndex, loadDetector } from '../../src/geometry/index.ts';
import { runPipeline } from '../../src/pipeline/run-pipeline.ts';
import { simulateConfig, simulateEvent } from '../../src/simulate/index.ts';
import { writeEvent } from '../../src/trackml/index.ts';
import { cliArgv } from '../cli-run.ts';
import { repoRoot, tempDir } from '../real-data.ts';
import { hasRedis, startRedis, type RedisServer } from '../redis-server.ts';

const root = tempDir('trackml-queue-');
const goodDir = path.join(root, 'events');
const queueDir = path.join(root, 'queue-events');
const configFile = path.join(root, 'truth.yaml');
let redis: RedisServer;

// Under CI a missing redis-server fails the run (.ci/run installs it); elsewhere these tests are skipped.
const describeRedis = hasRedis || process.env.CI ? describe : describe.skip;

beforeAll(async () => {
  if (!hasRedis && !process.env.CI) return;
  redis = await startRedis();
  const detector = buildDetectorIndex(loadDetector());
  for (const k of [1, 2, 3, 4, 5, 6]) writeEvent(goodDir, simulateEvent(detector, simulateConfig({ pileup: 3 }), 11, k));
  mkdirSync(queueDir, { recursive: true });
  for (const f of readdirSync(goodDir)) copyFileSync(path.join(goodDir, f), path.join(queueDir, f));
  // The corrupt event: a hits file whose third row has a word for its x.
  writeFileSync(
    path.join(queueDir, 'event000000007-hits.csv'),
    'hit_id,x,y,z,volume_id,layer_id,module_id\n1,1.0,2.0,3.0,8,2,1\n2,abc,2.0,3.0,8,2,1\n',
  );
  writeFileSync(configFile, 'scorer: truth\ntruthNoise: 0.3\n');
}, 120_000);

afterAll(async () => redis?.stop());

interface Proc {
  child: ChildProcess;
  log: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(command: string, args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, cliArgv(command, ...args), { cwd: repoRoot, env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, log: () => out, exited };
}

async function waitFor(p: Proc, re: RegExp, what: string, ms = 120_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = re.exec(p.log());
    if (m) return m;
    if (Date.now() > deadline || p.child.exitCode !== null) throw new Error(`no ${what}; log:\n${p.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const count = (text: string, re: RegExp) => (text.match(new RegExp(re, 'g')) ?? []).length;
const submissions = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('-submission.csv'))
    .sort();

describeRedis('pipeline --queue with workers on a real redis-server', () => {
  it('a worker killed mid-event loses nothing: its event is redone once by the other, outputs equal the one-process run; a corrupt event fails alone; a rerun enqueues nothing', async () => {
    const ref = path.join(root, 'one-process');
    await runPipeline({ inputDir: goodDir, outputDir: ref, configFile, progress: false });
    const out = path.join(root, 'queued');
    // Short locks so that the lost event comes back within seconds (the defaults are minutes).
    const workerArgs = ['--queue', redis.url, '--config', configFile, '--lock-ms', '6000', '--stalled-check-ms', '500'];
    const a = start('worker', workerArgs, { TRACKML_FAULT_AT_RENAME: '2' });
    await waitFor(a, / ready: queue /, 'ready line from worker A');
    const producer = start('pipeline', ['--input', queueDir, '--output', out, '--config', configFile, '--queue', redis.url]);
    // B starts once A holds its first event, so that A certainly gets one to die in.
    await waitFor(a, /(event\d{9}) start \(job /, 'first job on worker A');
    const b = start('worker', workerArgs);
    const done = await producer.exited;
    const aExit = await a.exited;
    b.child.kill('SIGTERM');
    const bExit = await b.exited;
    const [, killed] = /fault injection: killed at rename 2 \((event\d{9})-record\.json\.tmp-\d+ → /.exec(a.log()) ?? [];
    expect(killed, a.log()).toBeDefined();
    expect(aExit.signal).toBe('SIGKILL');
    expect(bExit, b.log()).toEqual({ code: 0, signal: null });
    expect(b.log()).toMatch(/SIGTERM: finishing .*\n.*stopped: \d+ events done/);
    // The run completed the rest and says, in one line and exit 2, which event failed and why.
    expect(done.code, producer.log()).toBe(2);
    const lastLine = producer.log().trim().split('\n').pop()!;
    expect(lastLine).toMatch(/^error: 1 of 7 events failed \(listed in the report\): event000000007: .*event000000007-hits\.csv:3: /);
    // The killed event: started by A, then started and computed exactly once by B after the stalled check.
    expect(count(a.log(), new RegExp(`${killed} start `))).toBe(1);
    expect(count(b.log(), new RegExp(`${killed} start \\(job [^)]*attempt 2, after 1 lost worker\\)`))).toBe(1);
    expect(count(b.log(), new RegExp(`${killed} done: computed in`))).toBe(1);
    // The corrupt event failed once, without retries, with its reason.
    const both = a.log() + b.log();
    expect(count(both, /event000000007 failed/)).toBe(1);
    expect(both).not.toMatch(/event000000007 failed \(attempt/);
    // Outputs: each submission once, byte for byte the one-process run's; no temp file; the report counts 6.
    expect(submissions(out)).toEqual(submissions(ref));
    for (const f of submissions(ref)) expect(readFileSync(path.join(out, f)).equals(readFileSync(path.join(ref, f))), f).toBe(true);
    expect(readdirSync(out).filter((f) => f.includes('.tmp-') || f.endsWith('.lock'))).toEqual([]);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as {
      events: unknown[];
      failures: { eventId: string; reason: string }[];
      meanScore: number;
    };
    const refReport = JSON.parse(readFileSync(path.join(ref, 'report.json'), 'utf8')) as { meanScore: number };
    expect(report.events).toHaveLength(6);
    expect(report.meanScore).toBe(refReport.meanScore);
    expect(report.failures.map((f) => f.eventId)).toEqual(['event000000007']);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('Failed events (1');

    // The same command again, with no worker running: nothing new is enqueued, it ends at once with the same report.
    const again = start('pipeline', ['--input', queueDir, '--output', out, '--config', configFile, '--queue', redis.url]);
    const t0 = Date.now();
    expect((await again.exited).code, again.log()).toBe(2);
    expect(again.log()).toContain('0 events enqueued, 7 already there');
    expect(Date.now() - t0).toBeLessThan(60_000);
  }, 400_000);

  it('a wrong Redis address is one line and exit 2, for the producer and for a worker', async () => {
    const w = start('worker', ['--queue', 'redis://127.0.0.1:1']);
    const p = start('pipeline', [
      '--input',
      goodDir,
      '--output',
      path.join(root, 'nowhere'),
      '--config',
      configFile,
      '--queue',
      'redis://127.0.0.1:1',
    ]);
    for (const proc of [w, p]) {
      expect((await proc.exited).code).toBe(2);
      expect(proc.log().trim().split('\n')).toEqual([
        expect.stringMatching(/^error: cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/),
      ]);
    }
  }, 60_000);
});
