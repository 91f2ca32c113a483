import { defineConfig } from 'vitest/config';
import LongFilesFirst, { SHARED_WORKER_FILES } from './test/support/file-order.js';

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    sequence: { sequencer: LongFilesFirst },
    // Four files at once on two cores: the files wait on lessons and checks far more than they
    // compute (160–176 s of CPU for 400–425 s of file time). Measured: three at once 145 s (at the
    // last stop), four 108–117 s (with the order above), five 97–100 s, but five starve the checks:
    // beside two busy loops three reference solutions failed ("started 0 children") where four
    // passed in 140 s.
    maxWorkers: 4,
    // The JSON report lets .ci/run print one plain "N passed, N failed" line at the end.
    reporters: ['default', ['json', { outputFile: '.procbook/test-report.json' }]],
    // Each file in a process of its own, but the small ones that leave nothing behind share
    // workers (see SHARED_WORKER_FILES).
    projects: [
      { extends: true, test: { name: 'own', include: ['test/**/*.test.ts'], exclude: SHARED_WORKER_FILES } },
      { extends: true, test: { name: 'shared', include: SHARED_WORKER_FILES, isolate: false } },
    ],
  },
});
