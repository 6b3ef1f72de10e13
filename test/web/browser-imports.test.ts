// What the static page bundles (web/main.ts and web/worker.ts, and every project file they reach) imports no Node
// builtin and no Node-only package (onnxruntime-node, tfjs-node, the Dawn webgpu binding): the bundled stages do no
// I/O. Read from the sources with the TypeScript parser, so the check needs no build (web/build.ts refuses the
// same imports when it bundles). Type-only imports do not count: they are erased.
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../real-data-dir.ts';

const ENTRIES = ['web/main.ts', 'web/worker.ts'];
const NODE_ONLY_PACKAGES = [
  'onnxruntime-node',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  'webgpu',
  'tsx',
  'esbuild',
  'playwright-core',
];
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** The module specifiers `file` imports at run time: static and dynamic imports and re-exports, without the
 * type-only ones (`import type`, `export type`), which the bundler drops. */
function runtimeImports(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(path.join(repoRoot, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier))
      out.push(node.moduleSpecifier.text);
    else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
      out.push(node.moduleSpecifier.text);
    else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    )
      out.push(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(src);
  return out;
}

/** Every project file reached from `entries` at run time, with the bare (package or builtin) specifiers each imports. */
function reach(entries: string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const todo = [...entries];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    const bare: string[] = [];
    for (const spec of runtimeImports(f)) {
      if (!spec.startsWith('.')) {
        bare.push(spec);
        continue;
      }
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), spec));
      if (existsSync(path.join(repoRoot, target))) todo.push(target);
    }
    seen.set(f, bare);
  }
  return seen;
}

describe('the web bundle', () => {
  const files = reach(ENTRIES);

  it('reaches the pipeline’s own stages (not a copy of them)', () => {
    for (const f of [
      'src/pipeline/track-event.ts',
      'src/graph/build.ts',
      'src/gnn/infer.ts',
      'src/tracks/build.ts',
      'scoring/score.ts',
      'viewer/app/display/event-display.ts',
    ])
      expect(files.has(f), f).toBe(true);
  });

  it('imports no Node builtin and no Node-only package', () => {
    const bad = [...files].flatMap(([f, specs]) =>
      specs.filter((s) => builtins.has(s) || NODE_ONLY_PACKAGES.some((p) => s === p || s.startsWith(`${p}/`))).map((s) => `${f} → ${s}`),
    );
    expect(bad).toEqual([]);
  });
});
