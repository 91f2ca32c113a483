// Where the handout goes. The path is checked BEFORE the lesson runs: a class should not watch a
// whole lesson only to learn at the end that the handout could not be written.
import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../../words/user-error.js';
import { pageWords } from '../../words/page.js';

/**
 * Throws a UserError (one sentence) unless a file can be written at `path`: an existing file we
 * may write, or a new name in a folder that exists and that we may write in. Nothing is created
 * yet, so a run that is stopped early leaves no empty file behind.
 */
export function checkHandoutPath(path: string): string {
  const said = pageWords().terminal;
  const target = resolve(path);
  const folder = dirname(target);
  let existing;
  try {
    existing = statSync(target);
  } catch {
    existing = undefined;
  }
  if (existing) {
    if (existing.isDirectory()) throw new UserError(said.recordIsFolder(path));
    if (!isWritable(target)) throw new UserError(said.recordFileNotWritable(path));
    return target;
  }
  let parent;
  try {
    parent = statSync(folder);
  } catch {
    throw new UserError(said.recordNoFolder(path, folder));
  }
  if (!parent.isDirectory()) throw new UserError(said.recordNotAFolder(path, folder));
  if (!isWritable(folder)) throw new UserError(said.recordFolderNotWritable(path, folder));
  return target;
}

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Writes the handout; a failure now (the disk filled up, the folder went away) is one sentence too. */
export function writeHandout(target: string, html: string): void {
  try {
    writeFileSync(target, html);
  } catch (error) {
    throw new UserError(pageWords().terminal.recordCouldNotWrite(target, (error as NodeJS.ErrnoException).code ?? (error as Error).message));
  }
}
