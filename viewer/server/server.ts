// The viewer's local server: binds 127.0.0.1 only, serves the page and its esbuild bundle, the event layers of
// DIR as binary column packs, and raw files of DIR — never anything outside DIR (.., %2e%2e, absolute, symlinks).
import { existsSync, readFileSync, realpathSync, statSync, createReadStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { InputError } from '../../src/core/errors.ts';
import { repoRoot } from '../../src/core/repo-root.ts';
import { detectorPack, EVENT_LAYERS, isInside, layerPack, layersOf, type EventLayer, type EventSources } from './event-data.ts';
import { scanViewerInput } from './run-dir.ts';

const viewerDir = path.join(repoRoot, 'viewer');

export interface ViewerServerOptions {
  inputDir: string;
  /** 0 = any free port. */
  port?: number;
  /** Event the page opens first (default: the first found). */
  eventId?: string;
  /** Real detectors.csv[.gz] for the outline (default: the built-in layer table). */
  detectorsFile?: string;
}

export interface ViewerServer {
  url: string;
  port: number;
  events: string[];
  close(): Promise<void>;
}

/** Bundles viewer/app/main.ts for the browser. The scorer (scoring/score.ts) imports the TrackML barrel, which
 * reads files; the page needs only its hit-id lookup, so the barrel resolves to src/trackml/hit-lookup.ts, and
 * any other Node builtin becomes an empty module. */
export async function bundleViewer(minify = true): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(viewerDir, 'app', 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'no-node-builtins',
        setup(b) {
          b.onResolve({ filter: /trackml\/index\.ts$/ }, (a) =>
            a.importer.includes(`${path.sep}scoring${path.sep}`)
              ? { path: path.join(viewerDir, '..', 'src', 'trackml', 'hit-lookup.ts') }
              : undefined,
          );
          b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: 'stub' }));
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
        },
      },
    ],
  });
  return result.outputFiles[0].text;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv',
  '.gz': 'application/gzip',
  '.arrow': 'application/vnd.apache.arrow.file',
};

/** Resolves a request path under `/files/` to a file inside `root`, or an HTTP status saying why not. */
export function resolveServedFile(realRoot: string, rawPath: string): { file: string } | { status: number } {
  let rel: string;
  try {
    rel = decodeURIComponent(rawPath);
  } catch {
    return { status: 400 };
  }
  if (rel.includes('\0') || rel.includes('\\')) return { status: 403 };
  if (path.isAbsolute(rel) || /^[a-zA-Z]:/.test(rel)) return { status: 403 };
  if (rel.split('/').some((part) => part === '..')) return { status: 403 };
  const full = path.resolve(realRoot, rel);
  if (!full.startsWith(realRoot + path.sep)) return { status: 403 };
  if (!existsSync(full)) return { status: 404 };
  if (!isInside(realRoot, full)) return { status: 403 }; // a symlink pointing out of DIR
  if (!statSync(full).isFile()) return { status: 404 };
  return { file: full };
}

/** Starts the server; resolves once it listens. */
export async function startViewerServer(opts: ViewerServerOptions): Promise<ViewerServer> {
  const root = path.resolve(opts.inputDir);
  const events = scanViewerInput(root);
  if (events.size === 0) throw new InputError(root, undefined, 'no events (eventNNNNNNNNN-hits.csv[.gz]) found in it or two levels below');
  if (opts.eventId !== undefined && !events.has(opts.eventId)) throw new InputError(root, undefined, `no hits file for ${opts.eventId}`);
  if (opts.detectorsFile !== undefined && !existsSync(opts.detectorsFile)) throw new InputError(opts.detectorsFile, undefined, 'detectors file not found');
  const realRoot = realpathSync(root);
  const html = readFileSync(path.join(viewerDir, 'app', 'index.html'));
  // Bundled at start (~0.2 s with esbuild), held in memory: nothing built is written into the repository.
  const bundle = await bundleViewer();
  const defaultEvent = opts.eventId ?? [...events.keys()][0];

  // The last two events' packs stay in memory: switching back and forth should not re-read CSVs.
  const cache = new Map<string, Uint8Array>();
  const remember = (key: string, make: () => Uint8Array): Uint8Array => {
    let v = cache.get(key);
    if (!v) {
      v = make();
      cache.set(key, v);
      const keep = new Set([...cache.keys()].map((k) => k.split('/')[0]).slice(-2));
      for (const k of cache.keys()) if (!keep.has(k.split('/')[0]) && k.split('/')[0] !== 'detector') cache.delete(k);
    }
    return v;
  };

  const send = (res: http.ServerResponse, status: number, body: string | Uint8Array, type = 'text/plain; charset=utf-8') => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(body);
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const urlPath = q < 0 ? raw : raw.slice(0, q);
    if (urlPath === '/' || urlPath === '/index.html') return send(res, 200, html, TYPES['.html']);
    if (urlPath === '/app.js') return send(res, 200, bundle, TYPES['.js']);
    if (urlPath === '/favicon.ico') return send(res, 204, '');
    if (urlPath === '/api/events') {
      const list = [...events.values()].map((e: EventSources) => ({ id: e.eventId, layers: layersOf(e) }));
      return send(res, 200, JSON.stringify({ events: list, defaultEvent, detector: opts.detectorsFile ? path.basename(opts.detectorsFile) : 'built-in' }), TYPES['.json']);
    }
    if (urlPath === '/api/detector.bin') {
      return send(res, 200, remember('detector', () => detectorPack(opts.detectorsFile)), 'application/octet-stream');
    }
    const m = /^\/api\/event\/(event\d{9})\/([a-z]+)\.bin$/.exec(urlPath);
    if (m) {
      const e = events.get(m[1]);
      const layer = m[2] as EventLayer;
      if (!e || !EVENT_LAYERS.includes(layer)) return send(res, 404, 'not found\n');
      const layers = layersOf(e);
      if (!layers[layer]) return send(res, 404, `${m[1]} has no ${layer}\n`);
      try {
        return send(res, 200, remember(`${m[1]}/${layer}`, () => layerPack(e, layer)), 'application/octet-stream');
      } catch (err) {
        // A broken file is the user's problem: say which, keep serving the rest.
        return send(res, 422, `${(err as Error).message}\n`);
      }
    }
    if (urlPath.startsWith('/files/')) {
      const r = resolveServedFile(realRoot, urlPath.slice('/files/'.length));
      if ('status' in r) return send(res, r.status, r.status === 404 ? 'not found\n' : 'forbidden\n');
      res.writeHead(200, { 'content-type': TYPES[path.extname(r.file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      createReadStream(r.file).pipe(res);
      return;
    }
    return send(res, 404, 'not found\n');
  };

  const server = http.createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new InputError(undefined, undefined, `port ${opts.port} is in use`) : err),
    );
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?event=${defaultEvent}`,
    port,
    events: [...events.keys()],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
