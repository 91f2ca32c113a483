// Every check against the mistakes students make. test/fixtures/wrong/NN-slug/*.ts are plausible
// wrong solutions, each written as a student's lessons/NN-slug/exercise.ts would be (its imports
// resolved from that lesson folder, as a submission's are). Each must fail its check with one plain
// sentence, never "the check itself failed" or a stack trace; and the wrong solutions of one
// exercise must fail with different sentences, each mistake named for what it is, not one
// catch-all. A check that lets a wrong solution pass, or says the same thing of every mistake,
// fails here.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { exerciseId, pathsOf } from '../../lib/exercises/catalogue.js';
import { availableExercises } from '../../lib/cli/exercise-catalogue.js';
import { stopCompiler } from '../../lib/exercises/compile.js';
import { runCheck, type CheckResult } from '../../lib/exercises/run-check.js';
import { becomeSubreaper } from '../../lib/posix/index.js';
import { projectRoot } from '../support/run-lesson.js';
import { checkSentence } from '../../lib/words/check-sentences.js';
import { hasChinese } from '../zh/english.js';

// Each check runs real processes for a second or two: three at a time on two cores, so that the
// timing the checks judge is not starved.
vi.setConfig({ maxConcurrency: 3 });

const exercises = availableExercises();
const fixtures = join(projectRoot, 'test', 'fixtures', 'wrong');
const folders = readdirSync(fixtures).filter((name) => /^\d\d-/.test(name)).sort();
const cases = folders.flatMap((folder) =>
  readdirSync(join(fixtures, folder))
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => ({ id: `${folder}/${name}`, folder, file: join(fixtures, folder, name) })),
);

/** What each wrong solution's check said, by exercise, then by file. */
const said = new Map<string, Map<string, string>>();

/** A sentence with its values taken out (numbers, quoted text): what kind of mistake it names. */
function template(sentence: string): string {
  return sentence
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/\d+(?:\.\d+)?/g, '#')
    .trim();
}

const verdict = (result: CheckResult): string => `${result.passed ? 'passed' : 'failed'} in ${result.ms} ms (seed ${result.seed})${result.message ? `: ${result.message}` : ''}`;

beforeAll(() => {
  becomeSubreaper(); // as `npm run check` does: orphans a wrong solution leaves come to this process
});
afterAll(async () => {
  await stopCompiler();
});

describe('wrong solutions', () => {
  test('every exercise meets at least two of them, and every folder of them names an exercise', () => {
    const ids = exercises.map(exerciseId);
    for (const folder of folders) expect(ids, `test/fixtures/wrong/${folder}`).toContain(folder);
    for (const id of ids) expect(cases.filter((each) => each.folder === id).length, `wrong solutions of ${id}`).toBeGreaterThanOrEqual(2);
  });

  test.concurrent.each(cases.map((each) => [each.id, each] as const))('%s fails with one plain sentence', { timeout: 60_000 }, async (_id, { folder, file }) => {
    const exercise = exercises.find((each) => exerciseId(each) === folder)!;
    const result = await runCheck(exercise, { file, resolveDir: pathsOf(exercise).folder });
    expect(result.passed, verdict(result)).toBe(false);
    const message = result.message ?? '';
    expect(message, verdict(result)).not.toMatch(/^The check itself failed|^It does not compile/);
    expect(message, verdict(result)).toMatch(/^[A-Z0-9].*[.!?]$/); // one plain sentence (it may start with a count) …
    expect(message, verdict(result)).not.toContain('\n'); // … on one line, never a stack trace
    expect(hasChinese(message, checkSentence(message, 'zh')), `no Chinese for: ${message}`).toBe(true); // … and in Chinese too
    if (!said.has(folder)) said.set(folder, new Map());
    said.get(folder)!.set(file, message);
  });

  test("one exercise's wrong solutions fail with different sentences: each mistake named for what it is", () => {
    for (const folder of folders) {
      const messages = [...(said.get(folder) ?? new Map<string, string>())];
      const byTemplate = new Map<string, string[]>();
      for (const [file, message] of messages) byTemplate.set(template(message), [...(byTemplate.get(template(message)) ?? []), `${file.slice(fixtures.length + 1)}: ${message}`]);
      const same = [...byTemplate.values()].filter((files) => files.length > 1);
      expect(same, `${folder}: several mistakes, one sentence`).toEqual([]);
    }
  });
});
