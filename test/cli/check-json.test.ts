// The README's command for a teacher's script, run through npm itself: what reaches stdout is
// JSON and nothing else (npm prints its own banner on stdout unless told to be silent).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { projectRoot } from '../support/run-lesson.js';

const hasNpm = spawnSync('npm', ['--version'], { stdio: 'ignore' }).status === 0;

test.skipIf(!hasNpm)('npm run -s check -- --dir X --json, as the README shows it, prints only JSON on stdout', () => {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const shown = /`(npm run -s check -- --dir (\S+) --json)[^`]*`/.exec(readme);
  expect(shown, 'the README shows the command').not.toBeNull();
  const [, command = '', folder = ''] = shown!;
  const dir = mkdtempSync(join(tmpdir(), 'procbook-check-json-'));
  try {
    // A submission whose exercise 1 does nothing yet: its check fails at once, with a sentence.
    const submission = join(dir, 'alice');
    mkdirSync(join(submission, '01-fork'), { recursive: true });
    writeFileSync(join(submission, '01-fork', 'exercise.ts'), '// nothing yet\n');
    const args = command.replace(folder, submission).split(' ').slice(1);
    args.splice(args.indexOf('--') + 1, 0, '1');
    const result = spawnSync('npm', args, { cwd: projectRoot, encoding: 'utf8', env: { ...process.env } });
    expect(result.status, result.stderr).toBe(1); // the exercise fails: said in the JSON
    const report = JSON.parse(result.stdout) as unknown;
    expect(JSON.stringify(report)).toMatch(/"passed":false/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
