// The import graph keeps the layering of STYLE.md: every folder imports only folders below it, no two files import
// each other (directly or around a loop), no source file is over 500 lines, and a function over 80 lines says why in
// a comment. Read from the sources with the TypeScript parser, so the check needs no build.
//
// Layers, low to high (a file may import its own folder and any lower layer; folders on one layer not each other):
//   src/core → src/trackml → scoring → src/geometry → src/simulate → src/graph → src/gnn → src/tracks
//   → src/interop → src/pipeline | viewer → web → bench → src/cli
// scoring/ sits just above trackml: the score needs only the event model, and tracks, pipeline and viewer use it.
// src/interop (other tools' formats) sits below viewer, which exports Phoenix JSON with it.
// web/ (the static page: its worker runs the pipeline, its page the viewer's display) sits on both.
// bench/ sits below src/cli: its runner and BENCHMARKS.md writer are what the bench commands call.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './real-data-dir.ts';

const LAYERS: string[][] = [
  ['src/core'],
  ['src/trackml'],
  ['scoring'],
  ['src/geometry'],
  ['src/simulate'],
  ['src/graph'],
  ['src/gnn'],
  ['src/tracks'],
  ['src/interop'],
  ['src/pipeline', 'viewer'],
  ['web'],
  ['bench'],
  ['src/cli'],
];
const MAX_FILE_LINES = 500;
const MAX_FUNCTION_LINES = 80;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.mts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((f) => !f.includes('/results/'))
    .sort();
}

const files = LAYERS.flat().flatMap(sourceFiles);
const text = new Map(files.map((f) => [f, readFileSync(path.join(repoRoot, f), 'utf8')]));
const folderOf = (file: string): string => LAYERS.flat().find((d) => file.startsWith(`${d}/`))!;
const rankOf = (folder: string): number => LAYERS.findIndex((l) => l.includes(folder));

/** Project files each file imports (static, dynamic, type-only and re-exports alike). */
const imports = new Map<string, string[]>();
for (const f of files) {
  const info = ts.preProcessFile(text.get(f)!, true, true);
  const targets = info.importedFiles
    .map((i) => i.fileName)
    .filter((s) => s.startsWith('.'))
    .map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(f), s)))
    .filter((t) => text.has(t));
  imports.set(f, [...new Set(targets)]);
}

describe('import graph', () => {
  it('covers every source folder', () => {
    expect(files.length).toBeGreaterThan(100);
    for (const dir of LAYERS.flat())
      expect(
        files.some((f) => f.startsWith(`${dir}/`)),
        dir,
      ).toBe(true);
  });

  it('has no import from a lower layer to a higher one, nor between folders of one layer', () => {
    const wrong: string[] = [];
    for (const [from, targets] of imports) {
      for (const to of targets) {
        const [a, b] = [folderOf(from), folderOf(to)];
        if (a !== b && rankOf(b) >= rankOf(a)) wrong.push(`${from} → ${to}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no cycle', () => {
    // Tarjan's strongly connected components; any component of two or more files is a cycle.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    const visit = (v: string): void => {
      index.set(v, index.size);
      low.set(v, index.get(v)!);
      stack.push(v);
      onStack.add(v);
      for (const w of imports.get(v)!) {
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || imports.get(v)!.includes(v)) cycles.push(component.sort());
      }
    };
    for (const f of files) if (!index.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});

describe('sizes', () => {
  it(`no source file over ${MAX_FILE_LINES} lines`, () => {
    const long = files.filter((f) => text.get(f)!.split('\n').length > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  it(`every function over ${MAX_FUNCTION_LINES} lines has a comment saying why`, () => {
    const bare: string[] = [];
    for (const f of files) {
      const src = ts.createSourceFile(f, text.get(f)!, ts.ScriptTarget.Latest, true);
      const lineOf = (pos: number) => src.getLineAndCharacterOfPosition(pos).line + 1;
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && 'body' in node && node.body) {
          const lines = lineOf(node.getEnd()) - lineOf(node.getStart()) + 1;
          if (lines > MAX_FUNCTION_LINES && !hasComment(node, src)) bare.push(`${f}:${lineOf(node.getStart())} (${lines} lines)`);
        }
        ts.forEachChild(node, visit);
      };
      visit(src);
    }
    expect(bare).toEqual([]);
  });
});

/** A comment right before the function or before the declaration, property or statement that holds it. */
function hasComment(node: ts.Node, src: ts.SourceFile): boolean {
  for (let n: ts.Node | undefined = node; n && n !== src; n = n.parent) {
    if ((ts.getLeadingCommentRanges(src.text, n.getFullStart()) ?? []).length > 0) return true;
    if (ts.isStatement(n) || ts.isClassElement(n) || ts.isPropertyAssignment(n)) break;
  }
  return false;
}
