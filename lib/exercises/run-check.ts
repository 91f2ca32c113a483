// Checks one exercise file: compile it, run the exercise's check against it, clean up, and say
// pass or fail in one sentence.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lessonFolder, projectRoot } from '../run/paths.js';
import { exerciseId, type Exercise } from './catalogue.js';
import { compileExercise, shortPath } from './compile.js';
import { Random, newSeed } from './random.js';
import { CheckFailure, makeWorkFolder, newNetwork, removeWorkFolder, startExercise, type Finished, type Program, type Running, type StartOptions } from './harness.js';
import { SandboxNetwork, type Network } from './network.js';
import { gradingNeedsSandbox, sandboxProblem } from './sandbox.js';

export interface CheckResult {
  number: number;
  slug: string;
  title: string;
  /** The file that was checked. */
  file: string;
  passed: boolean;
  /** For a failure: the first claim that did not hold, in one sentence. */
  message?: string;
  ms: number;
  /** The seed of the check's random inputs: `--seed` with it repeats them. */
  seed?: number;
  /** The inputs the check gave each run of the exercise, as JSON (its work folder written <work>). */
  inputs?: string[];
  /** The last run of the exercise (for --verbose). */
  lastRun?: Finished;
}

export interface CheckSource {
  /** The file to check. */
  file: string;
  /**
   * Where its imports are resolved from: its own folder for a file of the project; for a file of
   * a submission, the lesson folder it stands for.
   */
  resolveDir?: string;
  /**
   * Run it in a sandbox (sandbox.ts): `true` always, for a submission (a check fails at once
   * without one); by default, wherever bubblewrap works.
   */
  sandbox?: boolean;
}

/** Checks `source` (by default the student's lessons/NN-slug/exercise.ts). */
export async function runCheck(exercise: Exercise, source?: CheckSource, options: { seed?: number } = {}): Promise<CheckResult> {
  const started = Date.now();
  const seed = options.seed ?? newSeed();
  const inputs: string[] = [];
  const file = source?.file ?? join(projectRoot, lessonFolder(exercise.number, exercise.slug), 'exercise.ts');
  const resolveDir = source?.resolveDir ?? dirname(file);
  const base = { number: exercise.number, slug: exercise.slug, title: exercise.title, file: shortPath(file), seed, inputs };
  const runs: Running[] = [];
  const networks: Network[] = [];
  let lastRun: Finished | undefined;
  const work = makeWorkFolder();
  let compiled: Awaited<ReturnType<typeof compileExercise>> | undefined;
  try {
    const problem = sandboxProblem();
    if (source?.sandbox === true && problem) throw new CheckFailure(`It was not run: ${gradingNeedsSandbox(problem)}`);
    compiled = await compileExercise(file, resolveDir, join(projectRoot, lessonFolder(exercise.number, exercise.slug)));
    const label = { number: exercise.number, slug: exerciseId(exercise), title: exercise.title };
    // In a sandbox, its /dev/shm is a folder of its scratch folder, removed with it.
    const shm = problem ? '/dev/shm' : join(work, 'shm');
    if (!problem) mkdirSync(shm);
    const program: Program = { file: compiled.file, ...(problem ? {} : { sandbox: { dir: compiled.dir, packages: compiled.packages, scratch: work, shm } }) };
    const start = (task: object, options?: StartOptions): Running => {
      inputs.push(JSON.stringify(task).replaceAll(work, '<work>'));
      const running = startExercise(program, label, task, options);
      runs.push(running);
      void running.done.then((finished) => {
        lastRun = finished;
      });
      return running;
    };
    await exercise.check({
      work,
      random: new Random(seed),
      shm,
      network: () => {
        const network = newNetwork(program);
        networks.push(network);
        return network;
      },
      start,
      run: (task, options) => start(task, options).done,
    });
    return { ...base, passed: true, ms: Date.now() - started, ...(lastRun ? { lastRun } : {}) };
  } catch (error) {
    if (!(error instanceof CheckFailure) && process.env.PROCBOOK_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    const message = error instanceof CheckFailure ? error.message : `The check itself failed (a bug in procbook, please report it): ${(error as Error).message ?? String(error)}`;
    return { ...base, passed: false, message, ms: Date.now() - started, ...(lastRun ? { lastRun } : {}) };
  } finally {
    // A check that failed half-way may leave its exercise running: stop it, and wait until the
    // runner has ended everything it started and removed its files.
    for (const running of runs) running.kill('SIGKILL');
    await Promise.all(runs.map((running) => running.done));
    // A network asked for and never given to a run: its channel closes too.
    for (const network of networks) if (network instanceof SandboxNetwork) network.close();
    compiled?.remove();
    removeWorkFolder(work);
  }
}
