// Lesson 01: what the kernel showed, and what the processes recorded.
import { beforeAll, describe, expect, test } from 'vitest';
import { runLesson, stillRunning, type LessonRun } from '../support/run-lesson.js';

describe('lesson 01 fork', () => {
  let run: LessonRun;
  beforeAll(async () => {
    run = await runLesson('fork');
  });

  test('the lesson ends cleanly', () => {
    expect(run.code).toBe(0);
    expect(run.timeline.leftovers()).toEqual([]);
  });

  test('a child process with PPID = the lesson, reaped by it', () => {
    const lessonPid = run.timeline.data.lessonPid;
    const childPid = run.timeline.fact<number>('child.pid')!;
    const child = run.timeline.process(childPid)!;
    expect(child).toBeDefined();
    expect(child.firstParent).toBe(lessonPid);
    expect(child.everIn('S', { ppid: lessonPid })).toBe(true);
    expect(child.record.reapedBy).toBe(lessonPid);
    expect(child.record.exit).toMatchObject({ code: 0, signal: null });
  });

  test('parent and child run at the same time (their ticks interleave)', () => {
    const ticks = run.timeline.data.facts.filter((fact) => fact.name === 'tick');
    const who = ticks.map((fact) => (fact.value as { who: string }).who);
    expect(who.filter((each) => each === 'parent')).toHaveLength(5);
    expect(who.filter((each) => each === 'child')).toHaveLength(5);
    // Concurrent, not one after the other: a child tick comes before the parent's last one.
    expect(who.indexOf('child')).toBeLessThan(who.lastIndexOf('parent'));
    expect(who.indexOf('parent')).toBeLessThan(who.lastIndexOf('child'));
    // And the kernel had both alive at once.
    const lesson = run.timeline.lesson!;
    const child = run.timeline.process(run.timeline.fact<number>('child.pid')!)!;
    expect(child.record.firstSeen).toBeLessThan(lesson.record.gone!);
  });

  test("the child's variable is its own", () => {
    expect(run.timeline.fact('counter.child.start')).toBe(1); // a fresh start, not a copy of 42
    expect(run.timeline.fact('counter.child')).toBe(100);
    expect(run.timeline.fact('counter.parent')).toBe(42);
  });

  test('a passed descriptor shares its offset; a file opened again does not', () => {
    const shared = run.timeline.fact<string>('file.shared')!;
    expect(shared.split('\n').filter(Boolean)).toEqual([
      'parent: first line',
      'child: a line through the shared descriptor',
      'parent: last line',
    ]);
    const separate = run.timeline.fact<string>('file.separate')!;
    expect(separate.split('\n').filter(Boolean)).toEqual(['child: overwritten', 'parent: last line']);
  });
});

describe('lesson 01 fork, interrupted', () => {
  for (const step of ['── 1.', '── 2.', '── 4.']) {
    test(`Ctrl-C at "${step}" leaves nothing running`, async () => {
      const run = await runLesson('fork', { interruptAfter: step });
      expect(run.code).toBe(130);
      expect(run.timeline.leftovers()).toEqual([]);
      expect(stillRunning(run.timeline)).toEqual([]);
    });
  }
});
