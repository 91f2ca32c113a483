// The pristine starter of an exercise: the exercise.ts the project shipped, before the student
// wrote in it. `reset` restores it. Taken from git when the project is a git checkout (the
// committed file is the shipped one), else from the copy the build keeps in dist/starters/ (made
// the first time the build saw the file, before anyone could have changed it).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { projectRoot } from '../run/paths.js';

const startersDir = join(projectRoot, 'dist', 'starters');

/** The build's copy of a starter: dist/starters/lessons/NN-slug/exercise.ts. */
export function keptCopyOf(exerciseFile: string): string {
  return join(startersDir, relative(projectRoot, exerciseFile));
}

/** Keeps a copy of each starter the first time it is seen (the build calls this). */
export function keepStarters(exerciseFiles: string[]): void {
  for (const file of exerciseFiles) {
    const copy = keptCopyOf(file);
    if (existsSync(copy) || !existsSync(file)) continue;
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(file, copy);
  }
}

/** The shipped text of an exercise file, or undefined if neither git nor the build's copy has it. */
export function pristineStarter(exerciseFile: string): string | undefined {
  try {
    return execFileSync('git', ['show', `HEAD:${relative(projectRoot, exerciseFile)}`], { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    // not a git checkout, or git is missing
  }
  try {
    return readFileSync(keptCopyOf(exerciseFile), 'utf8');
  } catch {
    return undefined;
  }
}
