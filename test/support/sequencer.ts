// The order the test files start in: the longest first, so that none of them starts last and
// keeps the suite waiting alone. vitest does so by itself from the durations it cached in an
// earlier run; a fresh clone (CI) has none, and vitest then starts the largest files first, which
// put the longest (wrong.test.ts, 30 s) at 118 s of a 148 s run. So the files that run lessons
// and checks go first, measured longest first; within a group vitest's own order decides.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The groups, longest first: what each file does, as measured (10–30 s each for the first). */
const GROUPS: RegExp[] = [
  /test\/exercises\/(wrong|exercises|hostile)\.test\.ts$|test\/lessons\/06-wait\.test\.ts$/,
  /test\/(lessons\/|watch\/course-python|cli\/(grading|step-zombie|predict)\.|present\/web\/(zh|projector|room-page)\.)/,
  /test\/(cli|chatroom|present\/web|watch|run)\//,
];

function groupOf(moduleId: string): number {
  const index = GROUPS.findIndex((pattern) => pattern.test(moduleId));
  return index === -1 ? GROUPS.length : index;
}

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const place = new Map(sorted.map((file, index) => [file, index]));
    return [...sorted].sort((a, b) => groupOf(a.moduleId) - groupOf(b.moduleId) || place.get(a)! - place.get(b)!);
  }
}
