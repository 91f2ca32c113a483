import { defineConfig } from 'vitest/config';
import LongFilesFirst, { SHARED_WORKER_FILES } from './test/support/file-order.js';

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    sequence: { sequencer: LongFilesFirst },
    // Four files at once on two cores: the files wait on lessons and checks more than they compute
    // (155–158 s of CPU for 380–390 s of file time). Measured: four at once 104–107 s. Five took
    // 97–100 s at the last stop, but starved the checks: beside two busy loops three reference
    // solutions failed ("started 0 children").
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
