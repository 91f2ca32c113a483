import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/support/sequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Four files at once on two cores: the files wait on lessons and checks far more than they
    // compute (about 175 s of CPU for 440 s of file time). Measured: three 155 s, four 130 s, five
    // 123 s (the CPU is then the limit). Four beside two busy loops once failed six claims, each a
    // test or a check that leaned on luck; each was fixed at its cause (see the commits).
    maxWorkers: 4,
    // The longest files first, also in a fresh clone without vitest's cached durations.
    sequence: { sequencer: LongestFirst },
    // The JSON report lets .ci/run print one plain "N passed, N failed" line at the end.
    reporters: ['default', ['json', { outputFile: '.procbook/test-report.json' }]],
  },
});
