// The viewer server's routes: the page and its bundle, the event list, the detector and each event layer as a binary
// column pack, and raw files of DIR under /files/. Every file is read through a descriptor checked when it is served
// (safe-files.ts: inside one of the served roots, not swapped meanwhile); every error becomes a status, so no request
// can stop the server.
import { closeSync, createReadStream } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { InputError } from '../../src/core/errors.ts';
import { detectorPack, EVENT_LAYERS, layerPack, layersOf, type EventLayer, type EventSources } from './event-data.ts';
import { hostAllowed, resolveServedFile, SAFE_HEADERS, statusText, TYPES } from './request-rules.ts';
import { openInside, readInside, ServeRefusal } from './safe-files.ts';

/** What the server serves, fixed at start-up. */
export interface ServedData {
  events: Map<string, EventSources>;
  /** Real paths of the folders files may come from; the first is DIR, the only one /files/ exposes. */
  roots: readonly string[];
  defaultEvent: string;
  detectorsFile?: string;
  html: Uint8Array;
  bundle: string;
}

type Res = http.ServerResponse;

function send(res: Res, status: number, body: string | Uint8Array, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...SAFE_HEADERS, 'content-type': type });
  res.end(body);
}

/** The packs of the last two events (and the detector) stay in memory: switching back and forth re-reads no CSV. */
class PackCache {
  private readonly packs = new Map<string, Uint8Array>();

  get(key: string, make: () => Uint8Array): Uint8Array {
    let v = this.packs.get(key);
    if (!v) {
      v = make();
      this.packs.set(key, v);
      const eventOf = (k: string) => k.split('/')[0];
      const keep = new Set([...this.packs.keys()].map(eventOf).slice(-2));
      for (const k of this.packs.keys()) if (!keep.has(eventOf(k)) && eventOf(k) !== 'detector') this.packs.delete(k);
    }
    return v;
  }
}

/** The request handler of a server listening on `port()`. */
export function viewerHandler(data: ServedData, port: () => number): http.RequestListener {
  const cache = new PackCache();
  const read = (file: string) => readInside(data.roots, file);
  const route = (req: http.IncomingMessage, res: Res): void => {
    if (!hostAllowed(req.headers.host, port())) return send(res, 403, 'forbidden host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const urlPath = q < 0 ? raw : raw.slice(0, q);
    if (urlPath === '/' || urlPath === '/index.html') return send(res, 200, data.html, TYPES['.html']);
    if (urlPath === '/app.js') return send(res, 200, data.bundle, TYPES['.js']);
    if (urlPath === '/favicon.ico') return send(res, 204, '');
    if (urlPath === '/api/events') {
      const list = [...data.events.values()].map((e) => ({ id: e.eventId, layers: layersOf(e) }));
      const detector = data.detectorsFile ? path.basename(data.detectorsFile) : 'built-in';
      return send(res, 200, JSON.stringify({ events: list, defaultEvent: data.defaultEvent, detector }), TYPES['.json']);
    }
    if (urlPath === '/api/detector.bin')
      return send(
        res,
        200,
        cache.get('detector', () => detectorPack(data.detectorsFile)),
        'application/octet-stream',
      );
    const m = /^\/api\/event\/(event\d{9})\/([a-z]+)\.bin$/.exec(urlPath);
    if (m)
      return serveLayer(res, data.events.get(m[1]), m[2], (e, layer) =>
        cache.get(`${e.eventId}/${layer}`, () => layerPack(e, layer, read)),
      );
    if (urlPath.startsWith('/files/')) return serveFile(req, res, data.roots[0], urlPath.slice('/files/'.length));
    return send(res, 404, 'not found\n');
  };
  // Every exception becomes a status (a refusal its own, anything else 500): a request never stops the server.
  return (req, res) => {
    try {
      route(req, res);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof ServeRefusal) return send(res, err.status, statusText(err.status));
      process.stderr.write(`viewer: ${req.method} ${req.url}: ${(err as Error).stack ?? String(err)}\n`);
      send(res, 500, 'internal error\n');
    }
  };
}

/** /api/event/EVENT/LAYER.bin: the layer's pack, 404 for an unknown event or layer, 422 naming a broken file. */
function serveLayer(res: Res, e: EventSources | undefined, name: string, pack: (e: EventSources, layer: EventLayer) => Uint8Array): void {
  const layer = name as EventLayer;
  if (!e || !EVENT_LAYERS.includes(layer)) return send(res, 404, 'not found\n');
  if (!layersOf(e)[layer]) return send(res, 404, `${e.eventId} has no ${layer}\n`);
  try {
    return send(res, 200, pack(e, layer), 'application/octet-stream');
  } catch (err) {
    // A broken file is the user's problem: say which, keep serving the rest.
    if (err instanceof InputError) return send(res, 422, `${err.message}\n`);
    throw err;
  }
}

/** /files/PATH: a raw file of DIR, streamed from a checked descriptor. */
function serveFile(req: http.IncomingMessage, res: Res, realRoot: string, rawPath: string): void {
  const r = resolveServedFile(realRoot, rawPath);
  if ('status' in r) return send(res, r.status, statusText(r.status));
  const { fd, size } = openInside(realRoot, r.file);
  res.writeHead(200, {
    ...SAFE_HEADERS,
    'content-type': TYPES[path.extname(r.file)] ?? 'application/octet-stream',
    'content-length': size,
  });
  if (req.method === 'HEAD') {
    closeSync(fd);
    res.end();
    return;
  }
  // pipeline: a read error (or the client leaving) ends the response and closes the descriptor; never throws.
  pipeline(createReadStream('', { fd, autoClose: true }), res, () => undefined);
}
