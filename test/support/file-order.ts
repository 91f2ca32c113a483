// The order the suite starts its files in. Vitest orders by the durations it cached in an earlier
// run, and a fresh clone (CI) has none: it then starts the larger files first, and the longest
// file here (wrong.test.ts, 61 checks) is a small one, started at 98 s of a 125 s run while the
// other workers ran out of files. So every file that takes 4 s or more starts first, longest
// first as measured at four files at once, but with the four that grade exercises by the dozen
// (CPU-heavy: sandboxes, compiler, exercises) spread among those that run lessons (which mostly
// wait, and whose claims are about when the kernel showed a state). The rest follow, larger first.
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const LONG_FILES_FIRST = [
  'test/exercises/wrong.test.ts',
  'test/lessons/06-wait.test.ts',
  'test/lessons/16-tcp-server.test.ts',
  'test/lessons/14-locks.test.ts',
  'test/cli/grading.test.ts',
  'test/watch/course-python.test.ts',
  'test/lessons/10-ipc.test.ts',
  'test/exercises/hostile.test.ts',
  'test/lessons/08-signals.test.ts',
  'test/lessons/09-pool.test.ts',
  'test/exercises/exercises.test.ts',
  'test/lessons/05-zombie.test.ts',
  'test/lessons/07-double-fork.test.ts',
  'test/lessons/19-socketserver.test.ts',
  'test/cli/step-zombie.test.ts',
  'test/lessons/13-process-class.test.ts',
  'test/lessons/12-chatroom.test.ts',
  'test/present/web/zh.test.ts',
  'test/lessons/04-orphan.test.ts',
  'test/lessons/11-unix-sockets.test.ts',
  'test/present/web/projector.test.ts',
  'test/lessons/01-fork.test.ts',
  'test/cli/predict.test.ts',
  'test/lessons/17-framing.test.ts',
  'test/present/web/room-page.test.ts',
  'test/chatroom/hardening.test.ts',
  'test/lessons/18-multiplexing.test.ts',
  'test/lessons/15-shared-memory.test.ts',
  'test/observe/observer.test.ts',
  'test/chatroom/chat.test.ts',
  'test/present/web/server.test.ts',
  'test/cli/cli.test.ts',
  'test/cli/alone.test.ts',
  'test/run/perf-source.test.ts',
  'test/lessons/03-exit.test.ts',
  'test/lessons/02-pids.test.ts',
  'test/zh/lesson-zh.test.ts',
  'test/present/views/zh.test.ts',
  'test/cli/step-terminal.test.ts',
];

/**
 * Files run one after another in workers they share (vitest's `isolate: false`), not each in a new
 * process: small ones, for which a worker's start (a Node process, vitest, the modules imported
 * again) cost more than the file itself. 40 of them: a full run took 153–158 s of CPU with them,
 * 163–173 s without. Only a file that leaves nothing behind in its process may be here: no vi.mock
 * or spy, no environment, signal handler or subreaper set, and no import of a module that
 * registers hooks as it loads (test/chatroom/support.ts's afterEach would then run for the first
 * such file only). architecture.test.ts holds them to that.
 */
export const SHARED_WORKER_FILES = [
  'test/architecture.test.ts',
  'test/chatroom/protocol.test.ts',
  'test/chatroom/room-rules.test.ts',
  'test/claims.test.ts',
  'test/cli/check-json.test.ts',
  'test/cli/menu-terminal.test.ts',
  'test/cli/predict-terminal.test.ts',
  'test/cli/predict-zh.test.ts',
  'test/cli/step.test.ts',
  'test/exercises/check-06-again.test.ts',
  'test/exercises/check-09-again.test.ts',
  'test/exercises/check-unread.test.ts',
  'test/exercises/claims-shared.test.ts',
  'test/exercises/sandbox-pids.test.ts',
  'test/kernel/connector.test.ts',
  'test/lesson/kernel.test.ts',
  'test/lessons/18-epoll-view.test.ts',
  'test/observe/observer-perf.test.ts',
  'test/observe/record.test.ts',
  'test/observe/timeline-queries.test.ts',
  'test/observe/timeline-samples.test.ts',
  'test/posix-sync-memory.test.ts',
  'test/present/views/legend-width.test.ts',
  'test/present/views/legend.test.ts',
  'test/present/views/output-pane.test.ts',
  'test/present/views/plain.test.ts',
  'test/present/views/summary.test.ts',
  'test/present/views/table.test.ts',
  'test/present/views/text.test.ts',
  'test/present/web/cjk.test.ts',
  'test/present/web/handout.test.ts',
  'test/present/web/room.test.ts',
  'test/present/web/snapshot.test.ts',
  'test/proc/connector.test.ts',
  'test/proc/signals.test.ts',
  'test/proc/stat.test.ts',
  'test/support/leftovers-check.test.ts',
  'test/watch/watch.test.ts',
  'test/zh/check-sentences.test.ts',
  'test/zh/glossary.test.ts',
];

export default class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = process.cwd();
    const place = (file: TestSpecification): number => {
      const at = LONG_FILES_FIRST.indexOf(relative(root, file.moduleId));
      return at < 0 ? LONG_FILES_FIRST.length : at;
    };
    const size = (file: TestSpecification): number => statSync(file.moduleId, { throwIfNoEntry: false })?.size ?? 0;
    return [...files].sort((a, b) => place(a) - place(b) || size(b) - size(a));
  }
}
