// Whether the tests run inside a StrykerJS mutation run (`npm run mutation`): its worker processes carry
// STRYKER_MUTATOR_WORKER. Stryker activates a mutant in its own worker only (a global, not the environment), so a
// test whose every check runs in a child process sees the unmutated code there and can never detect a mutant: in a
// mutation run it only costs time (seconds for each of hundreds of mutants), so such tests skip themselves there.
export const inMutationRun = process.env.STRYKER_MUTATOR_WORKER !== undefined;
