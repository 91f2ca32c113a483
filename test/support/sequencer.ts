// The order the suite starts its files in: the long ones first, so that no long file starts last
// and leaves the other workers idle at the end. Vitest orders by the durations it cached in an
// earlier run; a fresh clone (CI) has none, and then vitest runs the larger files first — but
// the longest files here are small ones that run many checks or lessons. So: the folders whose
// files run real exercises and lessons first, larger files first within a folder's rank.
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** How long a folder's files take, roughly, by what they run (a higher rank starts earlier). */
const RANKS: Array<[RegExp, number]> = [
  [/^test\/exercises\//, 4], // a check per case: bwrap, the keeper, the exercise and its children
  [/^test\/(lessons|watch)\//, 3], // whole lessons, several times each
  [/^test\/cli\/(grading|step-zombie|predict)\b/, 3],
  [/^test\/(cli|present\/web)\//, 2], // a lesson or a page each
  [/^test\/(chatroom|zh|run)\//, 1],
];

/**
 * The longest files, measured, in the order they start: the ones that mostly compute (checks:
 * bwrap, Node processes) between ones that mostly wait (lessons at their pace), so that three at
 * once do not all compete for the two cores.
 */
const FIRST = [
  'test/exercises/wrong.test.ts',
  'test/lessons/06-wait.test.ts',
  'test/watch/course-python.test.ts',
  'test/exercises/exercises.test.ts',
  'test/lessons/14-locks.test.ts',
  'test/lessons/08-signals.test.ts',
  'test/exercises/hostile.test.ts',
  'test/lessons/16-tcp-server.test.ts',
  'test/cli/grading.test.ts',
];

function rank(path: string): number {
  const first = FIRST.indexOf(path);
  if (first >= 0) return 100 - first;
  return RANKS.find(([pattern]) => pattern.test(path))?.[1] ?? 0;
}

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = process.cwd();
    const size = (file: TestSpecification): number => statSync(file.moduleId, { throwIfNoEntry: false })?.size ?? 0;
    const key = (file: TestSpecification): [number, number] => [rank(relative(root, file.moduleId)), size(file)];
    return [...files].sort((a, b) => {
      const [rankA, sizeA] = key(a);
      const [rankB, sizeB] = key(b);
      return rankB - rankA || sizeB - sizeA;
    });
  }
}
