// The CLIs built once with esbuild, so a command starts without compiling TypeScript (`npm ci` builds them in the
// `prepare` script; the launcher rebuilds when a source changed). Plain JavaScript: it must run before any build.
//
// Freshness rule: a build records the sha256 of every file it compiled, byte for byte as esbuild read them, plus
// this file, package.json and tsconfig.json. The launcher runs a build only while all of those files still hash the
// same and the command's schema file was part of it; otherwise it builds again first. So an edited, added or removed
// source is never run stale. To stay in milliseconds it hashes only files whose size or mtime differ from the
// build's record, or whose recorded mtime lies within 2 s of the build (as git does for "racy" files, so an edit in
// the same clock tick as the build is still seen). Builds are folders named by that hash (.build/<hash>/), made in a
// temp folder and renamed into place, so concurrent commands never see half a build.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildRoot = path.join(root, '.build');
const stampFile = path.join(buildRoot, 'current.json');
/** Files a build depends on that esbuild does not load as modules. */
const RECIPE = ['src/cli/build.mjs', 'package.json', 'tsconfig.json'];
/** The entry of every command. */
const COMMANDS_ENTRY = 'src/cli/index.ts';
/** Builds no command uses any more are removed once they are this old (a long run may still load from one). */
const KEEP_OLD_MS = 24 * 3600 * 1000;
/** Files modified this close to a build are hashed on every check (coarse file-system clocks). */
const RACY_MS = 2000;

const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** What a build records of a file: its content hash, and size and mtime to skip hashing it when unchanged. */
function record(file, bytes, st) {
  return { sha: sha(bytes), size: st.size, mtimeMs: st.mtimeMs };
}

function combinedHash(files) {
  const h = createHash('sha256');
  for (const [file, rec] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`${file}\0${rec.sha}\n`);
  return h.digest('hex').slice(0, 20);
}

/** Modules that worker threads run: a source names one as `new URL('./x.ts', import.meta.url)` (handed to
 * worker-boot.mjs, see below), and each becomes an entry built beside the code that starts it. */
export function workerEntries() {
  const found = new Set();
  for (const e of readdirSync(path.join(root, 'src'), { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith('.ts')) continue;
    const file = path.join(e.parentPath, e.name);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new URL\(\s*'\.\/([\w.-]+\.ts)'\s*,\s*import\.meta\.url\s*\)/g)) {
      found.add(
        path
          .relative(root, path.join(path.dirname(file), m[1]))
          .split(path.sep)
          .join('/'),
      );
    }
  }
  return [...found].sort();
}

function commandNames() {
  return readdirSync(path.join(root, 'src', 'cli', 'commands'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** The current build's folder when it is fresh (and holds `command`, when given), else undefined. */
export function freshBuild(command) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return undefined;
  }
  if (
    command !== undefined &&
    !stamp.commands.includes(command) &&
    existsSync(path.join(root, 'src', 'cli', 'commands', `${command}.ts`))
  ) {
    return undefined;
  }
  for (const [file, rec] of Object.entries(stamp.files)) {
    const p = path.join(root, file);
    try {
      const st = statSync(p);
      if (st.size === rec.size && st.mtimeMs === rec.mtimeMs && rec.mtimeMs < stamp.startedAt - RACY_MS) continue;
      if (sha(readFileSync(p)) !== rec.sha) return undefined;
    } catch {
      return undefined;
    }
  }
  const dir = path.join(buildRoot, stamp.hash);
  return existsSync(path.join(dir, 'index.mjs')) ? dir : undefined;
}

const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.js': 'js', '.mjs': 'js', '.json': 'json' };

/** Builds the CLIs into .build/<hash>/ and makes it current; returns its folder. */
export async function build() {
  const esbuild = await import('esbuild');
  const startedAt = Date.now();
  const files = {};
  const readRecorded = (abs) => {
    // stat before reading: an edit after this point changes the mtime (or falls in the racy window).
    const st = statSync(abs);
    const bytes = readFileSync(abs);
    files[path.relative(root, abs).split(path.sep).join('/')] = record(abs, bytes, st);
    return bytes;
  };
  for (const f of RECIPE) readRecorded(path.join(root, f));
  mkdirSync(buildRoot, { recursive: true });
  const tmp = path.join(buildRoot, `tmp-${process.pid}-${Date.now()}`);
  try {
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: [COMMANDS_ENTRY, ...workerEntries()],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outdir: tmp,
      entryNames: '[name]',
      chunkNames: '[name]-[hash]',
      outExtension: { '.js': '.mjs' },
      sourcemap: 'linked',
      logLevel: 'silent',
      plugins: [
        {
          // Reads every source itself so the recorded hash is of exactly the bytes that were compiled.
          name: 'record-inputs',
          setup(b) {
            b.onLoad({ filter: /\.(m?ts|m?js|json)$/ }, (args) => {
              if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
              return { contents: readRecorded(args.path), loader: LOADERS[path.extname(args.path)] };
            });
          },
        },
      ],
    });
    // Worker threads start from worker-boot.mjs beside the module that creates them; in the build that module is
    // a chunk here, and the worker's own module (named with .ts in the source) is the entry built beside it.
    writeFileSync(
      path.join(tmp, 'worker-boot.mjs'),
      "import { workerData } from 'node:worker_threads';\nawait import(workerData.module.replace(/\\.ts$/, '.mjs'));\n",
    );
    const hash = combinedHash(files);
    const dir = path.join(buildRoot, hash);
    try {
      renameSync(tmp, dir);
    } catch (err) {
      // Another command built the same sources at the same time: its folder is as good as ours.
      if (!existsSync(path.join(dir, 'index.mjs'))) throw err;
    }
    const stampTmp = `${stampFile}.${process.pid}.tmp`;
    writeFileSync(stampTmp, JSON.stringify({ hash, startedAt, commands: commandNames(), files }, null, 1) + '\n');
    renameSync(stampTmp, stampFile);
    pruneOldBuilds(hash);
    return dir;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function pruneOldBuilds(keep) {
  const now = Date.now();
  for (const name of readdirSync(buildRoot)) {
    if (name === keep || name === 'current.json') continue;
    const p = path.join(buildRoot, name);
    try {
      if (now - statSync(p).mtimeMs > (name.startsWith('tmp-') ? 3600 * 1000 : KEEP_OLD_MS)) rmSync(p, { recursive: true, force: true });
    } catch {
      // Another process pruned it first.
    }
  }
}

/** The fresh build's folder, building first when needed. */
export async function ensureBuild(command) {
  return freshBuild(command) ?? (await build());
}

// `node src/cli/build.mjs` (the `prepare` script): build now. A failed build never fails `npm ci`: the launcher
// then runs the sources with tsx, which reports the problem where it is.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  try {
    const dir = await ensureBuild();
    process.stdout.write(`CLIs built in ${path.relative(root, dir)} (${Math.round(performance.now() - t0)} ms)\n`);
  } catch (err) {
    process.stderr.write(
      `note: the CLIs could not be built (${String(err.message ?? err).split('\n')[0]}); commands will run from source with tsx\n`,
    );
  }
}
