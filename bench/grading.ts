// Grading a class: the time to check 30 students × every exercise with `check --class`, beside one
// check of one exercise alone, measured in the same run. Every student hands in the reference
// solutions (a passing check runs the exercise to its end: the slowest case).
//   PROCBOOK_BENCH_STUDENTS=N  another class size (default 30)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { availableExercises } from '../lib/cli/exercise-catalogue.js';
import { exerciseId, solutionAsSubmission } from '../lib/exercises/catalogue.js';
import { projectRoot } from '../lib/run/paths.js';
import { ratio } from './stats.js';

const cli = join(projectRoot, 'dist', 'lib', 'cli', 'main.mjs');

function timed(args: string[]): { seconds: number; status: number | null; passed: number; failures: string[] } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: '', env: { ...process.env }, maxBuffer: 64 << 20 });
  const seconds = (performance.now() - started) / 1000;
  // --json: every check's result; count the passes, keep the first few failures' sentences.
  const passed = (result.stdout.match(/"passed": true/g) ?? []).length;
  const failures = [...result.stdout.matchAll(/"slug": "([^"]+)"[^{}]*?"passed": false[^{}]*?"message": "([^"]*)"/g)].map((match) => `${match[1]}: ${match[2]}`);
  return { seconds, status: result.status, passed, failures };
}

export async function benchGrading(): Promise<string[]> {
  const students = Number(process.env.PROCBOOK_BENCH_STUDENTS ?? 30);
  const exercises = availableExercises();
  const dir = mkdtempSync(join(tmpdir(), 'procbook-bench-class-'));
  try {
    for (let index = 0; index < students; index++) {
      for (const exercise of exercises) {
        const folder = join(dir, `student${String(index + 1).padStart(2, '0')}`, exerciseId(exercise));
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, 'exercise.ts'), solutionAsSubmission(exercise));
      }
    }
    const one = timed(['check', String(exercises[0]!.number), '--dir', join(dir, 'student01'), '--json']);
    const whole = timed(['check', '--class', dir, '--json']);
    const checks = students * exercises.length;
    return [
      `grading ${students} students × ${exercises.length} exercises (${checks} checks, ${Math.max(2, availableParallelism() + 1)} at a time): ${whole.seconds.toFixed(0)} s, ${whole.passed} of ${checks} passed`,
      ...whole.failures.slice(0, 5).map((failure) => `  failed: ${failure}`),
      `one check alone: ${one.seconds.toFixed(1)} s; the class took ${ratio(whole.seconds / one.seconds)} one check, ${(whole.seconds / checks).toFixed(2)} s a check`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
