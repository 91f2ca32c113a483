// `npm run mutate`: StrykerJS changes the kernel-decoding core one small mutation at a time (a `<`
// for a `<=`, a mask, a dropped condition) and runs the unit tests against each; a mutant the tests
// do not notice "survived". The score is the share caught (killed, or stopped looping for ever).
// Not part of `npm test` (minutes, not seconds): run it after changing what it mutates.
//
// The exercise checks: the claims they share (lib/exercises/claims.ts) are mutated. The checks
// themselves (lib/exercises/checks/*) are left out: each is judged only by running a whole
// exercise (real processes, seconds each, test/exercises), far too slow to repeat per mutant.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutate.config.ts' },
  mutate: ['lib/proc/**/*.ts', 'lib/observe/**/*.ts', 'lib/run/cleanup.ts', 'chatroom/room.ts', 'lib/exercises/claims.ts'],
  coverageAnalysis: 'perTest',
  // Two cores, shared: one mutant at a time per core at most.
  concurrency: 2,
  // Only mutants in changed code (or covered by changed tests) run again; `npm run mutate -- --force` runs all.
  incremental: true,
  incrementalFile: '.procbook/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', '.procbook', 'reports'],
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: '.procbook/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportTests: false, reportMutants: true },
  thresholds: { high: 90, low: 80, break: null },
  // A mutant that loops for ever is stopped this long after the time its tests took unmutated.
  timeoutMS: 3000,
};
export default config;
