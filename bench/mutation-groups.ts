// The module groups `npm run mutation` mutates, each with the tests that may kill its mutants (a light module: the
// command's schema reads the names).

export interface Group {
  mutate: string[];
  tests: string[];
}

/** What each group mutates and which tests may kill its mutants. Barrels (index.ts) hold no logic. */
export const MUTATION_GROUPS: Record<string, Group> = {
  scoring: { mutate: ['scoring/**/*.ts', '!scoring/index.ts'], tests: ['test/scoring/**/*.test.ts'] },
  trackml: { mutate: ['src/trackml/**/*.ts', '!src/trackml/index.ts'], tests: ['test/trackml/**/*.test.ts'] },
  // Not module-map-simulate (93 s) and real-sample (165 s): 80 % of the folder's time, and a static mutant runs every
  // listed test. A mutant only they would catch counts as survived: the score can only be lower for it.
  graph: {
    mutate: ['src/graph/**/*.ts', '!src/graph/index.ts'],
    tests: ['test/graph/{arrow-errors,build,config,context,io,metrics,module-map-cuts,ring-map}.test.ts'],
  },
  tracks: { mutate: ['src/tracks/**/*.ts', '!src/tracks/index.ts'], tests: ['test/tracks/**/*.test.ts'] },
  'viewer-server': { mutate: ['viewer/server/**/*.ts'], tests: ['test/viewer/server*.test.ts', 'test/viewer/event-data*.test.ts'] },
  // The server's guards alone (which files and requests it serves), against the hardening tests: minutes instead of
  // the whole server group's hour.
  'viewer-guards': {
    mutate: ['viewer/server/safe-files.ts', 'viewer/server/request-rules.ts'],
    tests: ['test/viewer/server-hardening.test.ts'],
  },
};
