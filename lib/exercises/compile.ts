// Compiles one exercise file for a check, with esbuild's API, into a private folder in dist/.
//
// Why compile each checked file here rather than run it through tsx? An exercise starts its own
// file again (forkSelf runs process.argv[1]); under tsx every such process would pay for tsx's
// loader (about 3x a plain start) and start an esbuild service process of its own, which would
// show up in the very process table the check reads ("two processes did the copy", "exactly
// three workers"). A compiled .mjs starts as fast as plain Node and adds nothing to the table.
// And a teacher's submission folder (--dir) is not among the build's entries at all.
//
// The output goes under dist/, inside the project, so that Node finds the packages it imports
// (koffi …) in the project's node_modules. Imports are resolved from `resolveDir`: for a file of
// the project, its own folder; for a submission, the lesson folder it stands for, so
// `../../lib/lesson/index.js` means this project's lib whatever folder the file sits in.
import { childrenOf, commandName } from '../proc/read.js';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { projectRoot } from '../run/paths.js';
import { CheckFailure } from './harness.js';

const buildsDir = join(projectRoot, 'dist', '.exercise-checks');
let sequence = 0;
let pruned = false;

interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number } | null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes folders left by check runs that were killed before they could clean up. */
function pruneAbandoned(): void {
  if (pruned) return;
  pruned = true;
  try {
    for (const name of readdirSync(buildsDir)) {
      const pid = Number(name.split('-')[0]);
      if (pid !== process.pid && !alive(pid)) rmSync(join(buildsDir, name), { recursive: true, force: true });
    }
  } catch {
    // no folder yet
  }
}

export interface Compiled {
  file: string;
  /** Removes the compiled file's folder. */
  remove(): void;
}

/**
 * Compiles `source` into a fresh .mjs file. A file that does not compile fails the check with
 * esbuild's first error, as "file:line:column: message".
 */
export async function compileExercise(source: string, resolveDir: string): Promise<Compiled> {
  pruneAbandoned();
  const dir = join(buildsDir, `${process.pid}-${++sequence}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'exercise.mjs');
  let contents: string;
  try {
    contents = readFileSync(source, 'utf8');
  } catch {
    rmSync(dir, { recursive: true, force: true });
    throw new CheckFailure(`There is no file ${shortPath(source)} to check.`);
  }
  const { build } = await import('esbuild');
  try {
    await build({
      stdin: { contents, resolveDir, sourcefile: shortPath(source), loader: 'ts' },
      outfile: file,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const first = ((error as { errors?: EsbuildMessage[] }).errors ?? [])[0];
    if (!first) throw error;
    const location = first.location;
    const file = location && location.file.endsWith(basename(source)) ? shortPath(source) : location?.file;
    const where = location ? `${file}:${location.line}:${location.column + 1}: ` : '';
    throw new CheckFailure(`It does not compile: ${where}${first.text.replace(/[.:]+$/, '')}.`);
  }
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Our children whose command name is `comm` (Linux: /proc/<pid>/task/<pid>/children). */
function childrenNamed(comm: string): number[] {
  return childrenOf(process.pid).filter((pid) => commandName(pid) === comm);
}

/**
 * Ends esbuild's service process and waits until it has been collected. esbuild's stop() only
 * signals it, and its child handle does not keep our event loop alive: a process that exits
 * right after would leave it behind, a zombie for init to collect.
 */
export async function stopCompiler(): Promise<void> {
  const { stop } = await import('esbuild');
  await stop();
  const deadline = Date.now() + 2000;
  while (childrenNamed('esbuild').length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

export function shortPath(path: string): string {
  const inside = relative(projectRoot, path);
  return inside.startsWith('..') ? path : inside;
}
