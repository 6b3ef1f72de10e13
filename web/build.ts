// `npm run build:web`: the serverless viewer as a folder any static host serves. esbuild bundles the page
// (web/main.ts: the viewer's display and panel) and the worker (web/worker.ts: the pipeline's own stages); the
// tfjs wasm binaries, the model and the module map the pipeline config names are copied beside them, so the page
// fetches nothing from outside its folder. A Node builtin reached from the project's sources is a build error:
// the bundled stages must do no I/O.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'esbuild';
import { digestInputs, inputHashes } from '../src/core/cache.ts';
import { hashJson } from '../src/core/hash.ts';
import { InputError } from '../src/core/errors.ts';
import { codeVersion } from '../src/core/provenance.ts';
import { repoRoot } from '../src/core/repo-root.ts';
import { pipelineConfig } from '../src/pipeline/run-pipeline.ts';
import type { WebBuildManifest } from './protocol.ts';

const requireHere = createRequire(import.meta.url);

export interface WebBuildOptions {
  /** Output folder (emptied first). */
  outputDir: string;
  /** Pipeline config (YAML); default: the one `npm run pipeline` uses without --config. */
  configFile?: string;
  minify?: boolean;
}

export interface WebBuildResult {
  outputDir: string;
  files: { path: string; bytes: number }[];
  manifest: WebBuildManifest;
}

/** Refuses Node builtins imported by the project's own sources (packages map theirs away through their
 * package.json "browser" field, which esbuild applies). */
export function noNodeBuiltins(): Plugin {
  return {
    name: 'no-node-builtins',
    setup(b) {
      b.onResolve({ filter: /^(node:|fs$|path$|os$|zlib$|worker_threads$|module$|crypto$|child_process$|url$|util$)/ }, (a) => {
        if (a.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        return {
          errors: [
            {
              text: `${a.path} imported by ${path.relative(repoRoot, a.importer)}: the web build bundles no Node I/O (split the pure part out)`,
            },
          ],
        };
      });
    },
  };
}

/** The tfjs wasm binaries the worker may load: the SIMD build (what Node runs too) and the plain one for browsers
 * without SIMD. The threaded build needs cross-origin isolation, which a plain static host does not give. */
const WASM_FILES = ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm'];

function pageHtml(): string {
  const html = readFileSync(path.join(repoRoot, 'viewer', 'app', 'index.html'), 'utf8');
  // The panel's file input, progress and downloads, put where the viewer's page leaves room for them.
  const panel = readFileSync(path.join(repoRoot, 'web', 'input-panel.html'), 'utf8');
  const marker = '<!-- page input -->';
  if (!html.includes(marker) || !html.includes('src="/app.js"'))
    throw new Error(`viewer/app/index.html: no "${marker}" or /app.js script to build the web page from`);
  return (
    html
      .replace(marker, panel)
      .replace('src="/app.js"', 'src="./app.js"')
      // No favicon request: the page fetches only its own files.
      .replace('<meta charset="utf-8">', '<meta charset="utf-8">\n<link rel="icon" href="data:,">')
      .replace('<title>trackml-gnn viewer</title>', '<title>trackml-gnn: the pipeline in your browser</title>')
  );
}

/** Builds the static site into `outputDir`. */
export async function buildWeb(opts: WebBuildOptions): Promise<WebBuildResult> {
  const esbuild = await import('esbuild');
  const config = pipelineConfig({ configFile: opts.configFile });
  if (config.scorer !== 'gnn')
    throw new InputError(opts.configFile ?? 'pipeline config', undefined, 'scorer: the web build runs the GNN; "truth" needs no page');
  const out = path.resolve(opts.outputDir);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, 'wasm'), { recursive: true });
  mkdirSync(path.join(out, 'data'), { recursive: true });

  // The files the config names, copied under data/ with their names kept.
  const modelDir = config.model;
  const modelJson = path.join(modelDir, 'model.json');
  const weights = path.join(modelDir, 'weights.bin');
  for (const f of [modelJson, weights]) {
    try {
      copyFileSync(f, path.join(out, 'data', path.basename(f)));
    } catch {
      throw new InputError(f, undefined, `not found (model: ${modelDir}); set \`model:\` in the pipeline config`);
    }
  }
  const copyData = (file: string, what: string): string => {
    const name = path.basename(file);
    try {
      copyFileSync(file, path.join(out, 'data', name));
    } catch {
      throw new InputError(file, undefined, `${what} not found`);
    }
    return `data/${name}`;
  };
  const g = config.graph;
  const moduleMap = g.builder === 'moduleMap' && g.moduleMap.file !== undefined ? copyData(g.moduleMap.file, 'module map') : undefined;
  const detectors = g.detectorsFile !== undefined ? copyData(g.detectorsFile, 'detectorsFile') : undefined;
  for (const f of WASM_FILES)
    copyFileSync(path.join(path.dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm')), f), path.join(out, 'wasm', f));

  const manifest: WebBuildManifest = {
    config,
    configSource: opts.configFile ?? 'defaults (npm run pipeline without --config)',
    files: { modelJson: 'data/model.json', weights: 'data/weights.bin', moduleMap, detectors },
    modelLabel: modelDir,
    // As the Node scorer's id without its engine (the worker appends the backend it runs on).
    modelId: `gnn:${hashJson(inputHashes(digestInputs({ model: modelJson, weights })))}`,
    codeVersion: codeVersion(),
    builtAt: new Date().toISOString(),
  };
  writeFileSync(path.join(out, 'pipeline.json'), JSON.stringify(manifest, null, 2) + '\n');

  await esbuild.build({
    entryPoints: { app: path.join(repoRoot, 'web', 'main.ts'), worker: path.join(repoRoot, 'web', 'worker.ts') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: opts.minify ?? true,
    outdir: out,
    logLevel: 'silent',
    legalComments: 'none',
    plugins: [noNodeBuiltins()],
  });
  writeFileSync(path.join(out, 'index.html'), pageHtml());
  const files = [
    'index.html',
    'app.js',
    'worker.js',
    'pipeline.json',
    ...['modelJson', 'weights', 'moduleMap', 'detectors'].flatMap((k) => manifest.files[k as keyof WebBuildManifest['files']] ?? []),
    ...WASM_FILES.map((f) => `wasm/${f}`),
  ];
  return { outputDir: out, files: files.map((f) => ({ path: f, bytes: readFileSync(path.join(out, f)).length })), manifest };
}
