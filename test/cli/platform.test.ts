// The path a macOS laptop takes, tested on Linux by pretending (PROCBOOK_PLATFORM=darwin): a lesson
// about something only Linux has says so in one sentence, before anything runs, with where to go
// instead; the others run, with the table read through `ps`.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { catalogue } from '../../lessons/index.js';
import { checkLessonRunsHere, lessonRunsHere, NEEDS_LINUX } from '../../lib/cli/platform.js';
import { runningOn } from '../../lib/proc/platform.js';
import { PsSource, defaultSource, ProcfsSource } from '../../lib/proc/source.js';
import { runLesson, runnerCli, stillRunning } from '../support/run-lesson.js';

afterEach(() => {
  delete process.env.PROCBOOK_PLATFORM;
});

describe('the rule, per lesson', () => {
  test('every lesson the table names exists, and every other lesson runs on macOS', () => {
    const slugs = catalogue.map((lesson) => lesson.slug);
    for (const slug of Object.keys(NEEDS_LINUX)) expect(slugs).toContain(slug);
    const onMac = catalogue.filter((lesson) => lessonRunsHere(lesson.slug, 'darwin')).map((lesson) => lesson.number);
    expect(onMac).toEqual(catalogue.map((lesson) => lesson.number).filter((number) => ![4, 7, 12, 15].includes(number)));
    for (const lesson of catalogue) expect(lessonRunsHere(lesson.slug, 'linux')).toBe(true);
  });

  test('one place reads PROCBOOK_PLATFORM, and the process source follows it', () => {
    expect(runningOn({})).toBe(process.platform);
    expect(runningOn({ PROCBOOK_PLATFORM: 'darwin' })).toBe('darwin');
    process.env.PROCBOOK_PLATFORM = 'darwin';
    const source = defaultSource();
    expect(source).toBeInstanceOf(PsSource);
    source.close();
    delete process.env.PROCBOOK_PLATFORM;
    const linux = defaultSource();
    expect(linux).toBeInstanceOf(ProcfsSource);
    linux.close();
  });

  test('the sentence names the lesson, why, and the container', () => {
    expect(() => checkLessonRunsHere({ number: 4, slug: 'orphan' }, 'darwin')).toThrow(
      /^lesson 04 \(orphan\) needs Linux \(.*subreaper.*; this is darwin\): open the workbook in its container .*\.$/,
    );
    expect(() => checkLessonRunsHere({ number: 5, slug: 'zombie' }, 'darwin')).not.toThrow();
  });
});

describe('pretending to be macOS (PROCBOOK_PLATFORM=darwin)', () => {
  test.each([['orphan'], ['double-fork'], ['chatroom'], ['shared-memory']])('lesson %s: one sentence, exit 2, nothing run', (slug) => {
    for (const lang of ['en', 'zh']) {
      const result = spawnSync(process.execPath, [runnerCli, 'lesson', slug, '--plain', '--lang', lang], { encoding: 'utf8', env: { ...process.env, PROCBOOK_PLATFORM: 'darwin' }, input: '' });
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(lang === 'en' ? /^procbook: lesson \d\d \(.+\) needs Linux .+container.+\.$/ : /^procbook: 第 \d+ 课（.+）需要 Linux.+容器.+。$/);
    }
  });

  test('lesson 05 runs, and its zombie is seen through ps', async () => {
    process.env.PROCBOOK_PLATFORM = 'darwin';
    const run = await runLesson('zombie', { pace: 0.3, interval: 50 });
    delete process.env.PROCBOOK_PLATFORM;
    expect(run.code, run.stderr).toBe(0);
    const child = run.timeline.fact<number>('child.pid')!;
    const record = run.timeline.process(child)!;
    expect(record.everIn('Z')).toBe(true);
    // Read through ps: its start time is lstart (seconds since the epoch), not /proc's clock ticks since boot.
    expect(record.record.startTicks).toBeGreaterThan(1_000_000_000);
    expect(stillRunning(run.timeline)).toEqual([]);
  });
});
