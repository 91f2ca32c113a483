import { defineConfig } from 'vitest/config';

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
    // The JSON report lets .ci/run print one plain "N passed, N failed" line at the end.
    reporters: ['default', ['json', { outputFile: '.procbook/test-report.json' }]],
  },
});
