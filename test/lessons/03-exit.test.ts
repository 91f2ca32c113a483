// Lesson 03: each way of ending, as the parent and the kernel recorded it.
import { beforeAll, describe, expect, test } from 'vitest';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

interface Ending {
  ending: string;
  pid: number;
  code: number | null;
  signal: string | null;
  handlerRan: boolean;
}

describe('lesson 03 exit', () => {
  let run: LessonRun;
  beforeAll(async () => {
    run = await runLesson('exit');
  });

  test('each ending gives the parent the status it should, and runs exit handlers or not', () => {
    expect(run.code).toBe(0);
    const endings = run.timeline.facts<Ending>('ending');
    const seen = Object.fromEntries(endings.map(({ ending, code, signal, handlerRan }) => [ending, { code, signal, handlerRan }]));
    expect(seen).toEqual({
      'exitCode = 3': { code: 3, signal: null, handlerRan: true },
      'exit(4)': { code: 4, signal: null, handlerRan: true },
      'uncaught error': { code: 1, signal: null, handlerRan: true },
      'abort()': { code: null, signal: 'SIGABRT', handlerRan: false },
      'killed by SIGTERM': { code: null, signal: 'SIGTERM', handlerRan: false },
    });
  });

  test('the table saw each child under the lesson, ended with that status and reaped by it', () => {
    const { lessonPid } = run.timeline.data;
    for (const { pid, code, signal } of run.timeline.facts<Ending>('ending')) {
      const child = run.timeline.process(pid)!;
      expect(child.firstParent).toBe(lessonPid);
      expect(child.record.exit).toMatchObject({ code, signal });
      expect(child.record.reapedBy).toBe(lessonPid);
    }
  });

  test('process.exit() drops pending output; a natural end does not', () => {
    const bytes = Object.fromEntries(run.timeline.facts<{ how: string; bytes: number }>('bytes').map(({ how, bytes }) => [how, bytes]));
    expect(bytes['natural end']).toBe(4 * 1024 * 1024);
    expect(bytes['process.exit()']).toBeLessThan(4 * 1024 * 1024);
  });

  test('Ctrl-C in the middle leaves nothing', async () => {
    const interrupted = await runLesson('exit', { interruptAfter: 'exit(4)' });
    expect(interrupted.code).toBe(130);
    expect(interrupted.timeline.leftovers()).toEqual([]);
    expect(stillRunning(interrupted.timeline)).toEqual([]);
  });
});
