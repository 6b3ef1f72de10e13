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
