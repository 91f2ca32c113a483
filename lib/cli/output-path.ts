// Where a run writes what it was asked to keep (--json, --record, --junit, --csv, --gradescope).
// Every path is checked BEFORE anything runs: a class should not sit through a lesson, nor a
// teacher through thirty students, only to learn at the end that the file could not be written.
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../words/user-error.js';
import { says } from '../words/cli.js';

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws a UserError (one sentence) unless a file can be written at `path` for `option`: an
 * existing file we may write, or a new name in a folder that exists and that we may write in.
 * Nothing is created yet, so a run that is stopped early leaves no empty file behind.
 */
export function checkOutputPath(option: string, path: string): string {
  const said = says();
  if (path.trim() === '') throw new UserError(said.outputNeedsName(option));
  const target = resolve(path);
  const folder = dirname(target);
  let existing;
  try {
    existing = statSync(target);
  } catch {
    existing = undefined;
  }
  if (existing) {
    if (existing.isDirectory()) throw new UserError(said.outputIsFolder(option, path));
    if (!isWritable(target)) throw new UserError(said.outputFileNotWritable(option, path));
    return target;
  }
  let parent;
  try {
    parent = statSync(folder);
  } catch {
    throw new UserError(said.outputNoFolder(option, path, folder));
  }
  if (!parent.isDirectory()) throw new UserError(said.outputNotAFolder(option, path, folder));
  if (!isWritable(folder)) throw new UserError(said.outputFolderNotWritable(option, path, folder));
  return target;
}

/** Writes the file; a failure now (the disk filled up, the folder went away) is one sentence too. */
export function writeOutput(option: string, target: string, text: string): void {
  try {
    writeFileSync(target, text);
  } catch (error) {
    throw new UserError(says().outputCouldNotWrite(option, target, (error as NodeJS.ErrnoException).code ?? (error as Error).message));
  }
}
