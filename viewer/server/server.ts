// The viewer's local server: binds 127.0.0.1 only and answers only requests addressed to it by that name (Host
// header: no DNS rebinding), serves the page and its esbuild bundle, the event layers of DIR (and of the input folder
// a pipeline output's provenance names) as binary column packs, and raw files of DIR — never anything outside those
// folders (.., %2e%2e, absolute, symlinks, files swapped after start-up: every file is checked when it is served,
// safe-files.ts). No request can stop it: every error becomes a status (routes.ts).
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { InputError } from '../../src/core/errors.ts';
import { bundleViewer, viewerDir } from './bundle.ts';
import { viewerHandler } from './routes.ts';
import { scanViewerInput } from './run-dir.ts';

export { bundleViewer } from './bundle.ts';
export { hostAllowed, resolveServedFile } from './request-rules.ts';

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
  /** Real paths of the folders whose files it serves (DIR first). */
  roots: string[];
  close(): Promise<void>;
}

/** Starts the server; resolves once it listens. */
export async function startViewerServer(opts: ViewerServerOptions): Promise<ViewerServer> {
  const root = path.resolve(opts.inputDir);
  const { events, roots } = scanViewerInput(root);
  if (events.size === 0) throw new InputError(root, undefined, 'no events (eventNNNNNNNNN-hits.csv[.gz]) found in it or two levels below');
  if (opts.eventId !== undefined && !events.has(opts.eventId)) throw new InputError(root, undefined, `no hits file for ${opts.eventId}`);
  if (opts.detectorsFile !== undefined && !existsSync(opts.detectorsFile))
    throw new InputError(opts.detectorsFile, undefined, 'detectors file not found');
  const html = readFileSync(path.join(viewerDir, 'app', 'index.html'));
  // Bundled at start (~0.2 s with esbuild), held in memory: nothing built is written into the repository.
  const bundle = await bundleViewer();
  const defaultEvent = opts.eventId ?? [...events.keys()][0];
  let port = 0;
  const server = http.createServer(
    viewerHandler({ events, roots, defaultEvent, detectorsFile: opts.detectorsFile, html, bundle }, () => port),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new InputError(undefined, undefined, `port ${opts.port} is in use`) : err),
    );
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?event=${defaultEvent}`,
    port,
    events: [...events.keys()],
    roots,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
