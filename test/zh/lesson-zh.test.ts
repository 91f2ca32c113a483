// `npm run lesson -- 5 --plain --lang zh`: every sentence on the screen is Chinese. What may stay
// in Latin letters is what no translation changes: code and commands (`kill -9`, waitpid(),
// 'exit'), signal names, the STAT letters, the process titles, paths, and the names of programs.
// The lesson reports each line it could not translate; none may be reported.
import { beforeAll, describe, expect, test } from 'vitest';
import { UNTRANSLATED_FACT } from '../../lib/lesson/translate.js';
import { runLesson, type LessonRun } from '../support/run-lesson.js';
import { englishWords } from './english.js';

describe('lesson 05 with --lang zh --plain', () => {
  let run: LessonRun;
  beforeAll(async () => {
    run = await runLesson('zombie', { args: ['--lang', 'zh'] });
  });

  test('ran to its end', () => {
    expect(run.code, run.stderr).toBe(0);
  });

  test('the lesson found a Chinese sentence for every line it printed', () => {
    expect(run.timeline.facts<string>(UNTRANSLATED_FACT)).toEqual([]);
  });

  test('no English sentence on the screen: outside code, commands, STAT letters and titles, no English word', () => {
    const titles = run.timeline.data.processes.map((record) => record.title);
    const lines = run.stdout.split('\n');
    const english = lines.map((line) => ({ line, words: englishWords(line, titles) })).filter((each) => each.words.length > 0);
    expect(english, 'lines with English words').toEqual([]);
    // And the check can fail: an English sentence of the lesson is caught.
    expect(englishWords('parent 12: I am busy for 3 s: my event loop is blocked.', titles)).toContain('busy');
    // The lesson's own sentences were there to check, in Chinese.
    expect(run.stdout).toMatch(/事件循环/);
    expect(lines.filter((line) => /^── \d+\. /.test(line))).toEqual(['── 1. 一个很快就会结束的子进程', '── 2. 子进程退出时，父进程正忙', '── 3. 事件循环再次运行：Node 回收僵尸进程']);
  });

  test('checkpoints keep their English names for the tests, and show the Chinese one', () => {
    const checkpoints = run.timeline.data.checkpoints;
    expect(checkpoints.map((each) => each.name)).toEqual([
      'A child that will finish quickly',
      'The parent is busy when its child exits',
      'The event loop runs again: Node reaps the zombie',
    ]);
    expect(checkpoints.map((each) => each.shown)).toEqual(['一个很快就会结束的子进程', '子进程退出时，父进程正忙', '事件循环再次运行：Node 回收僵尸进程']);
    expect(run.timeline.checkpoint('The parent is busy when its child exits')).toBeDefined();
  });
});

describe('lesson 05 in English', () => {
  test('prints its own sentences, records no translation', async () => {
    const run = await runLesson('zombie', { args: ['--lang', 'en'] });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('── 2. The parent is busy when its child exits');
    expect(run.stdout).toContain('my event loop is blocked');
    expect(run.timeline.data.checkpoints.every((each) => each.shown === undefined)).toBe(true);
    expect(run.timeline.facts(UNTRANSLATED_FACT)).toEqual([]);
  });
});
