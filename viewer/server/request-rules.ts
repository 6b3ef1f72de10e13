// What the viewer's server accepts before it touches a file: the Host header (no DNS rebinding), the form of a
// `/files/` path (no .., %2e%2e, absolute or drive paths, NUL, backslash), and the headers every response carries.
import path from 'node:path';

export const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv',
  '.gz': 'application/gzip',
  '.arrow': 'application/vnd.apache.arrow.file',
};

/** Headers on every response: nothing cached, no MIME sniffing (a served CSV must never run as a page). */
export const SAFE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

/** Resolves a request path under `/files/` to a path inside `root`, or an HTTP status saying why not. Only the
 * request's form is judged here; the file itself is checked when it is opened (openInside). */
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
  return { file: full };
}

/** Host header values this server answers to: its own address by IP or as localhost, with its port (a browser leaves
 * the port out only for 80). Anything else is a page on another site reaching us through DNS rebinding. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const h = host.toLowerCase();
  if (h === `127.0.0.1:${port}` || h === `localhost:${port}`) return true;
  return port === 80 && (h === '127.0.0.1' || h === 'localhost');
}

/** The body of a refusal with this status. */
export function statusText(status: number): string {
  return status === 404 ? 'not found\n' : status === 400 ? 'bad request\n' : 'forbidden\n';
}
