// User-facing errors: a bad file, row or config value. CLIs print these as one line and exit non-zero;
// anything else is a bug and keeps its stack trace.

/** A problem with something the user gave us (a file, a row in it, a flag, a config key). */
export class InputError extends Error {
  readonly file: string | undefined;
  /** 1-based line number in the file (the header is line 1), when the problem is on one line. */
  readonly row: number | undefined;
  readonly reason: string;

  constructor(file: string | undefined, row: number | undefined, reason: string) {
    const where = file === undefined ? '' : row === undefined ? `${file}: ` : `${file}:${row}: `;
    super(`${where}${reason}`);
    this.name = 'InputError';
    this.file = file;
    this.row = row;
    this.reason = reason;
  }
}

/** Exit status for user errors (bad input, bad flags); 1 stays for crashes. */
export const EXIT_USER_ERROR = 2;

/** An error as plain data, to cross a worker-thread boundary with its form: structured clone keeps neither the
 * class nor InputError's fields. */
export interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  file?: string;
  row?: number;
  reason?: string;
}

export function errorToData(err: unknown): ErrorData {
  if (err instanceof InputError)
    return { name: 'InputError', message: err.message, stack: err.stack, file: err.file, row: err.row, reason: err.reason };
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}

/** The error again: an InputError stays one (one line, exit 2); anything else keeps its name and the stack of the
 * thread it was thrown on. */
export function errorFromData(d: ErrorData): Error {
  if (d.name === 'InputError') return new InputError(d.file, d.row, d.reason ?? d.message);
  const err = new Error(d.message);
  err.name = d.name;
  if (d.stack) err.stack = d.stack;
  return err;
}
