// Lesson 03: each way of ending, as the parent and the kernel recorded it. Each claim of the
// README's "What the table will show" is asserted under its id.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect } from 'vitest';
import { claim } from '../support/claims.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

interface Ending {
  ending: string;
  pid: number;
  code: number | null;
  signal: string | null;
  handlerRan: boolean;
}

const EXPECTED = {
  'exitCode = 3': { code: 3, signal: null, handlerRan: true },
  'exit(4)': { code: 4, signal: null, handlerRan: true },
  'uncaught error': { code: 1, signal: null, handlerRan: true },
  'abort()': { code: null, signal: 'SIGABRT', handlerRan: false },
  'killed by SIGTERM': { code: null, signal: 'SIGTERM', handlerRan: false },
};

let run: LessonRun;
let interrupted: Promise<LessonRun>;
beforeAll(async () => {
  run = await runLesson('exit');
  interrupted = runLesson('exit', { interruptAfter: 'exit(4)' });
  interrupted.catch(() => undefined);
});

const endings = (): Ending[] => run.timeline.facts<Ending>('ending');

/** What `sh` reports as `$?` for a child that killed itself with this signal (no core file). */
function shellStatusAfter(signal: string): number {
  const out = execFileSync('sh', ['-c', 'ulimit -c 0; sh -c "kill -$0 \\$\\$"; echo $?', signal], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return Number(out.trim());
}

describe('lesson 03 exit', () => {
  claim('five-children', () => {
    const { lessonPid } = run.timeline.data;
    const rows = run.timeline.titled('child: ');
    expect(rows.map((row) => row.title)).toEqual(Object.keys(EXPECTED).map((ending) => `child: ${ending}`));
    expect(rows.map((row) => row.pid)).toEqual(endings().map((each) => each.pid));
    for (const [index, row] of rows.entries()) {
      expect(row.firstParent, row.title).toBe(lessonPid);
      // Seen alive, not only as it ended.
      expect(row.record.spans.some((span) => !span.stat.startsWith('Z')), row.title).toBe(true);
      expect(row.record.gone, row.title).toBeDefined();
      // One after another: the previous child had ended before this one was first seen. (Its exit,
      // not its row's end: with the kernel's reports a fork is timed exactly, a reap only by a sample.)
      if (index > 0) expect(row.record.firstSeen, row.title).toBeGreaterThanOrEqual(rows[index - 1]!.record.exit!.t);
    }
  });

  claim('how-each-ended', () => {
    const { lessonPid } = run.timeline.data;
    for (const { ending, pid } of endings()) {
      const child = run.timeline.process(pid)!;
      const { code, signal } = EXPECTED[ending as keyof typeof EXPECTED];
      expect(child.record.exit, ending).toMatchObject({ code, signal });
      expect(child.record.reapedBy, ending).toBe(lessonPid);
    }
  });

  claim('parent-sees', () => {
    expect(run.code).toBe(0);
    const seen = Object.fromEntries(endings().map(({ ending, code, signal }) => [ending, { code, signal }]));
    expect(seen).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([ending, { code, signal }]) => [ending, { code, signal }])));
    for (const { code, signal } of endings()) expect(code === null).not.toBe(signal === null);
  });

  claim('shell-status', () => {
    const output = run.timeline.outputText();
    const printed = (ending: string): number => {
      const escaped = ending.replace(/[()]/g, '\\$&');
      const match = new RegExp(`${escaped}\\s+→ .*\\(\\$\\? in a shell: (\\d+)\\)`).exec(output);
      if (!match) throw new Error(`no line for "${ending}" in:\n${output}`);
      return Number(match[1]);
    };
    expect(printed('exitCode = 3')).toBe(3);
    expect(printed('exit(4)')).toBe(4);
    expect(printed('uncaught error')).toBe(1);
    expect(printed('abort()')).toBe(134);
    expect(printed('killed by SIGTERM')).toBe(143);
    // The numbers a real shell gives for a child killed by those signals.
    expect(shellStatusAfter('ABRT')).toBe(134);
    expect(shellStatusAfter('TERM')).toBe(143);
  });

  claim('exit-handlers', () => {
    const ran = Object.fromEntries(endings().map(({ ending, handlerRan }) => [ending, handlerRan]));
    expect(ran).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([ending, { handlerRan }]) => [ending, handlerRan])));
  });

  claim('writer-rows', () => {
    const { lessonPid } = run.timeline.data;
    const writers = run.timeline.titled('writer');
    expect(writers).toHaveLength(2);
    const lastEnder = run.timeline.process(endings().at(-1)!.pid)!;
    for (const writer of writers) {
      expect(writer.firstParent).toBe(lessonPid);
      expect(writer.record.firstSeen).toBeGreaterThanOrEqual(lastEnder.record.exit!.t);
      expect(writer.record.exit).toMatchObject({ code: 0, signal: null });
      expect(writer.record.reapedBy).toBe(lessonPid);
    }
    expect(writers[1]!.record.firstSeen).toBeGreaterThanOrEqual(writers[0]!.record.exit!.t);
  });

  claim('exit-loses-output', () => {
    const bytes = Object.fromEntries(run.timeline.facts<{ how: string; bytes: number }>('bytes').map(({ how, bytes }) => [how, bytes]));
    expect(bytes['natural end']).toBe(4 * 1024 * 1024);
    expect(bytes['process.exit()']).toBeLessThan(2 * 1024 * 1024);
  });

  claim('nothing-left', async () => {
    expect(run.timeline.leftovers()).toEqual([]);
    expect(stillRunning(run.timeline)).toEqual([]);
    const stopped = await interrupted;
    expect(stopped.code).toBe(130);
    expect(stopped.timeline.leftovers()).toEqual([]);
    expect(stillRunning(stopped.timeline)).toEqual([]);
  }, 30_000);
});
