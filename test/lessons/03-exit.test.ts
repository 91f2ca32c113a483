// Lesson 03: each way of ending, as the parent and the kernel recorded it. Each claim of the
// README's "What the table will show" is asserted under its id.
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, test } from 'vitest';
import { claim } from '../support/claims.js';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';
import { runPredicting, type PredictRun } from '../support/predict.js';

interface Ending {
  ending: string;
  pid: number;
  code: number | null;
  signal: string | null;
  handlerRan: boolean;
  finallyRan: boolean;
}

const EXPECTED = {
  'exitCode = 3': { code: 3, signal: null, handlerRan: true, finallyRan: true },
  'exit(4)': { code: 4, signal: null, handlerRan: true, finallyRan: false },
  'uncaught error': { code: 1, signal: null, handlerRan: true, finallyRan: true },
  'reallyExit(5)': { code: 5, signal: null, handlerRan: false, finallyRan: false },
  'abort()': { code: null, signal: 'SIGABRT', handlerRan: false, finallyRan: false },
  'killed by SIGTERM': { code: null, signal: 'SIGTERM', handlerRan: false, finallyRan: false },
};

let run: LessonRun;
let interrupted: Promise<LessonRun>;
let predicted: Promise<PredictRun>;
beforeAll(async () => {
  interrupted = runLesson('exit', { pace: 1, interruptAfter: 'exit(4)' }) // at 0.3 the lesson ended 0.9 s after it;
  interrupted.catch(() => undefined);
  // The question comes in step 1: the predicting run stops once its answer is revealed.
  predicted = runPredicting('exit', () => 'killed by SIGTERM', { stopAfter: /^[✓✗–] 1\. /m });
  predicted.catch(() => undefined);
  run = await runLesson('exit');
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
  claim('children-in-turn', () => {
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
    expect(printed('reallyExit(5)')).toBe(5);
    expect(printed('abort()')).toBe(134);
    expect(printed('killed by SIGTERM')).toBe(143);
    // The numbers a real shell gives for a child killed by those signals.
    expect(shellStatusAfter('ABRT')).toBe(134);
    expect(shellStatusAfter('TERM')).toBe(143);
  });

  claim('exit-handlers', () => {
    const ran = Object.fromEntries(endings().map(({ ending, handlerRan }) => [ending, handlerRan]));
    expect(ran).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([ending, { handlerRan }]) => [ending, handlerRan])));
    // reallyExit(5) exited by itself (exit 5 in the kernel's record), yet no handler ran.
    expect(run.timeline.process(endings().find((each) => each.ending === 'reallyExit(5)')!.pid)!.record.exit).toMatchObject({ code: 5, signal: null });
  });

  claim('finally-blocks', () => {
    const ran = Object.fromEntries(endings().map(({ ending, finallyRan }) => [ending, finallyRan]));
    expect(ran).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([ending, { finallyRan }]) => [ending, finallyRan])));
    const output = run.timeline.outputText();
    for (const [ending, { finallyRan, handlerRan }] of Object.entries(EXPECTED)) {
      expect(output, ending).toMatch(new RegExp(`${ending.replace(/[()]/g, '\\$&')}\\s+→ .*finally: ${finallyRan ? 'ran' : 'skipped'}, 'exit' handler: ${handlerRan ? 'ran' : 'skipped'}`));
    }
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

describe('lesson 03 exit, predict', () => {
  test('how the child with an uncaught error ended: the kernel\'s record gives the answer', async () => {
    const { questions, timeline } = await predicted;
    expect(questions).toHaveLength(1);
    const [question] = questions;
    const child = timeline.titled('child: uncaught error')[0]!;
    expect(question).toMatchObject({ pid: child.pid, ask: 'exit', answer: 'killed by SIGTERM' });
    // Revealed at the next step, long after the child ended: the exit it left, from the kernel.
    expect(child.record.exit).toMatchObject({ code: 1, signal: null });
    expect(child.record.exit!.t).toBeLessThanOrEqual(question!.revealedAt!);
    expect(question).toMatchObject({ actual: 'exit 1', right: false });
    expect(timeline.leftovers()).toEqual([]);
    expect(stillRunning(timeline)).toEqual([]);
  }, 30_000);
});

// --python: the course's own program (lessons/03-exit/course.py) under the same engine and table.
// Self-contained: it brings its own helpers and names, and reads apart from the tests above.
{
  const py = await import('../watch/course.js');
  const { describe, beforeAll, expect, test } = py;

  const started = py.courseWithFile('3'); // beside the Node runs above

  describe('lesson 03 exit --python', () => {
    let run: Awaited<ReturnType<typeof py.runCourse>>;
    let parent: ReturnType<typeof py.seen>;
    /** The three children, in the order started: os._exit(3), sys.exit("…"), the end. */
    let children: Array<ReturnType<typeof py.seen>>;
    beforeAll(async () => {
      run = await started();
      parent = py.seen(run, py.line(run, 'parent', 'three children'));
      children = py.lines(run, 'child', 'I end with').map((each) => py.seen(run, each));
    });

    test('the program ends by itself with status 0 and leaves nothing', () => {
      expect(run.code).toBe(0);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(py.stillRunning(run.timeline)).toEqual([]);
    });

    py.claim('py-exit-codes', () => {
      expect(children).toHaveLength(3);
      const expected = [{ code: 3, signal: null }, { code: 1, signal: null }, { code: 0, signal: null }];
      children.forEach((child, index) => {
        const about = py.story(child);
        expect(child.firstParent, about).toBe(parent.pid);
        expect(child.record.exit, about).toMatchObject(expected[index]!);
        expect(child.record.reapedBy, about).toBe(parent.pid);
        // A zombie under the parent for about a second: the parent sleeps before os.waitpid(). (At
        // least half of it: Python takes a while to finish exiting on a busy machine.)
        const [zombie, ...more] = py.zombieSpans(child);
        expect(more, about).toEqual([]);
        expect(zombie!.ppid, about).toBe(parent.pid);
        expect(zombie!.to - zombie!.from, about).toBeGreaterThanOrEqual(500 * py.PACE - py.gap(run, zombie!.from - 1000 * py.PACE, zombie!.to));
        // One after another: the next child is forked only once this one is collected.
        const next = children[index + 1];
        // (The last sample that still showed it came before the next one's fork, which the kernel times exactly.)
        if (next) expect(run.timeline.sampleBefore(child.record.gone!) ?? 0, `${about}\n${py.story(next)}`).toBeLessThanOrEqual(next.record.firstSeen);
      });
    });

    py.claim('py-exit-stderr', () => {
      const [quick, message, natural] = children.map((child) => child.pid);
      const goodbye = py.said(run).filter((each) => each.text.includes('sys.exit says goodbye'));
      expect(goodbye.map((each) => [each.pid, each.stream])).toEqual([[message, 'stderr']]);
      const handlers = py.lines(run, 'child', 'atexit handler ran').map((each) => each.pid);
      expect(handlers).not.toContain(quick);
      expect(handlers.sort()).toEqual([message!, natural!].sort());
    });

    py.claim('py-exit-status', () => {
      for (const child of children) {
        const code = child.record.exit?.code;
        expect(code, py.story(child)).toBeTypeOf('number');
        expect(py.line(run, 'parent', `child ${child.pid} ended`).text).toContain(`status ${code! * 256}, exit code ${code}`);
      }
    });
  });
}
