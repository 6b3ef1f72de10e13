// What the content-hash cache costs per event, against an event's ~1–2 s: hashing a whole real event's input files
// (what every run does for its key), the output files a rerun checks (a full event's submission), and the once-per-
// process hashes (code, module map, model). Min of 5 after a first read (page cache warm, as on a rerun).
import { readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { digestInputs } from '../src/core/cache.ts';
import { digestFile } from '../src/core/hash.ts';
import { CODE_LAYERS } from '../src/core/provenance.ts';
import { encodeSubmission, readHits } from '../src/trackml/index.ts';
import { repoRoot, sharedDataDir, timeIt, writeResult } from './lib.ts';

const fullDir = path.join(sharedDataDir, 'full-events');
const files = readdirSync(fullDir)
  .filter((f) => f.endsWith('.csv.gz'))
  .sort();
const byEvent = new Map<string, Record<string, string>>();
for (const f of files) {
  const [eventId, kind] = f.split('-');
  byEvent.set(eventId, { ...byEvent.get(eventId), [kind.replace(/\.csv\.gz$/, '')]: path.join(fullDir, f) });
}

const events: Record<string, unknown>[] = [];
for (const [eventId, inputs] of byEvent) {
  const bytes = Object.values(digestInputs(inputs)).reduce((s, d) => s + d.bytes, 0);
  const t = await timeIt(() => digestInputs(inputs));
  // A rerun also hashes the event's outputs: a submission of the event's size (plain CSV, as the pipeline writes).
  const hits = readHits(inputs.hits);
  const sub = path.join(os.tmpdir(), `cache-bench-${process.pid}.csv`);
  writeFileSync(sub, encodeSubmission({ hitId: hits.hitId, trackId: BigInt64Array.from(hits.hitId, (h) => BigInt(h % 9000)) }));
  const out = await timeIt(() => digestFile(sub));
  events.push({
    eventId,
    kinds: Object.keys(inputs),
    hits: hits.hitId.length,
    inputBytes: bytes,
    inputsMinMs: t.minMs,
    submissionBytes: digestFile(sub).bytes,
    submissionMinMs: out.minMs,
  });
  process.stdout.write(
    `${eventId}: ${Object.keys(inputs).join('+')} ${(bytes / 1e6).toFixed(1)} MB hashed in ${t.minMs.toFixed(1)} ms; submission ${(digestFile(sub).bytes / 1e6).toFixed(1)} MB in ${out.minMs.toFixed(1)} ms\n`,
  );
}

// Once per process: the code hash (cold: a fresh import of provenance.ts in a child would be the honest cold figure;
// here the first call is the cold one), the shipped module map and model.
const { codeHash } = await import('../src/core/provenance.ts');
const t0 = performance.now();
const c0 = process.cpuUsage();
codeHash('pipeline');
const codeCpu = process.cpuUsage(c0);
const codeCpuMs = (codeCpu.user + codeCpu.system) / 1000;
const codeMs = performance.now() - t0;
const mapFile = path.join(repoRoot, 'trackml-data/module-map/pixel-pt1.arrow');
const map = await timeIt(() => digestFile(mapFile));
const model = await timeIt(() =>
  digestInputs({
    model: path.join(repoRoot, 'trackml-data/model/model.json'),
    weights: path.join(repoRoot, 'trackml-data/model/weights.bin'),
  }),
);
process.stdout.write(
  `once per process: code hash (${CODE_LAYERS.length} layers) ${codeMs.toFixed(1)} ms (CPU ${codeCpuMs.toFixed(1)} ms), module map ${map.minMs.toFixed(1)} ms, model ${model.minMs.toFixed(1)} ms\n`,
);

const rows = events.map(
  (e) =>
    `| ${e.eventId} | ${(e.kinds as string[]).join(' + ')} | ${((e.inputBytes as number) / 1e6).toFixed(1)} MB | ${(e.inputsMinMs as number).toFixed(1)} ms | ${((e.submissionBytes as number) / 1e6).toFixed(1)} MB | ${(e.submissionMinMs as number).toFixed(1)} ms |`,
);
const markdown = [
  '## Cache: content hashes per event',
  '',
  'SHA-256 of what a cache key and a record check read, on the real full events (min of 5, page cache warm): every run',
  "hashes an event's input files for its key; a rerun also hashes the outputs a record names (here a submission of the",
  `event's size). Once per process: the code hash ${codeMs.toFixed(0)} ms (CPU ${codeCpuMs.toFixed(0)} ms), the module map ${map.minMs.toFixed(1)} ms, the model ${model.minMs.toFixed(1)} ms.`,
  '',
  '| event | inputs | bytes | hash | submission | hash |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows,
].join('\n');

writeResult('cache', {
  markdown,
  what: 'SHA-256 of the files a cache key and a record check read, per real full event (min of 5, warm page cache)',
  events,
  oncePerProcessMs: { codeHash: codeMs, codeHashCpu: codeCpuMs, moduleMap: map.minMs, model: model.minMs },
});
