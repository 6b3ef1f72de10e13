// `npm run view`: prints the URL of a loopback server that answers; user errors are one line, exit 2.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeEvent } from '../../src/trackml/index.ts';
import { repoRoot, tempDir } from '../real-data.ts';
import { cliArgv } from '../cli-run.ts';

const dir = tempDir('viewer-cli-');
const view = (args: string[]) => spawnSync(process.execPath, cliArgv('view', ...args), { cwd: repoRoot, encoding: 'utf8' });

describe('view CLI', () => {
  it.each([
    [['--input', path.join(dir, 'missing')], /input directory not found/],
    [['--input', dir], /no events/],
    [[], /--input is required/],
    [['--input', dir, '--port', 'http'], /--port must be/],
    [['--input', dir, '--bogus'], /unknown flag --bogus/],
  ])('%j → one-line error, exit 2', (args, message) => {
    const r = view(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('serves DIR on 127.0.0.1 and prints the URL', async () => {
    const events = path.join(dir, 'events');
    const f32 = (...v: number[]) => new Float32Array(v);
    writeEvent(events, {
      eventId: 'event000000002',
      hits: {
        hitId: new Uint32Array([1, 2]),
        x: f32(30, 70),
        y: f32(0, 1),
        z: f32(5, 9),
        volumeId: new Uint8Array([8, 8]),
        layerId: new Uint8Array([2, 4]),
        moduleId: new Uint16Array([1, 1]),
      },
    });
    const child = spawn(process.execPath, cliArgv('view', '--input', events, '--port', '0', '--event', '2'), { cwd: repoRoot });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+\/\?event=event000000002/.exec(out);
          if (m) resolve(m[0]);
        });
        child.on('exit', (code) => reject(new Error(`view exited ${code}`)));
      });
      const list = (await (await fetch(new URL('/api/events', url))).json()) as { events: { id: string }[] };
      expect(list.events.map((e) => e.id)).toEqual(['event000000002']);
      expect((await fetch(url)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
