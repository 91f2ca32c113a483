import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Three files at once on two cores: the files wait on lessons and checks far more than they
    // compute (about 170 s of CPU for 420 s of file time), but four starve the runners enough,
    // beside two busy loops, to fail timing claims (measured: 124 s and one to three failures).
    maxWorkers: 3,
    // The JSON report lets .ci/run print one plain "N passed, N failed" line at the end.
    reporters: ['default', ['json', { outputFile: '.procbook/test-report.json' }]],
  },
});
