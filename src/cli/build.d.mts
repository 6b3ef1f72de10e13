// Types of build.mjs (plain JavaScript so that it runs before anything is built).
export const root: string;
/** Modules that worker threads run (found in the sources), built as entries of their own. */
export function workerEntries(): string[];
/** The current build's folder when it is fresh (and holds `command`, when given), else undefined. */
export function freshBuild(command?: string): string | undefined;
/** Builds the CLIs into .build/<hash>/ and makes it current; returns its folder. */
export function build(): Promise<string>;
/** The fresh build's folder, building first when needed. */
export function ensureBuild(command?: string): Promise<string>;
