import { defineConfig } from 'vitest/config';
import LongFilesFirst from './test/support/file-order.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    sequence: { sequencer: LongFilesFirst },
    // Four files at once on two cores: the files wait on lessons and checks far more than they
    // compute (about 190 s of CPU for 430–445 s of file time). Measured after the runner stopped
    // waiting out two timers at its end: three 145 s, four 119–123 s (with the order above), five
    // 106–120 s, but five starve the lessons enough that 2 of 6 runs failed a claim whose margin
    // is a few ms of a sample.
    maxWorkers: 4,
    // The JSON report lets .ci/run print one plain "N passed, N failed" line at the end.
    reporters: ['default', ['json', { outputFile: '.procbook/test-report.json' }]],
  },
});
