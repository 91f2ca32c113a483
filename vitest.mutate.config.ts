// The tests `npm run mutate` runs against each mutant: the fast unit tests of the kernel-decoding
// core only (pure functions, scripted process sources, a few short real processes). No lesson runs,
// no exercise runs, nothing that changes this process for the others (a subreaper, a chdir): the
// mutation runner keeps one worker alive for many mutants.
import { defineConfig } from 'vitest/config';

export const mutationTests = [
  'test/proc/*.test.ts',
  'test/observe/timeline-*.test.ts',
  'test/observe/observer-scripted.test.ts',
  'test/observe/observer-perf.test.ts',
  'test/observe/record.test.ts',
  'test/run/cleanup*.test.ts',
  'test/chatroom/protocol.test.ts',
  'test/chatroom/room*.test.ts',
  'test/exercises/claims-shared.test.ts',
];

export default defineConfig({
  test: {
    include: mutationTests,
    testTimeout: 10_000,
  },
});
