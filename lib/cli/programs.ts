// Finding the program a person asked to run: one sentence, before anything starts, when it cannot be.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../words/user-error.js';
import { says } from '../words/cli.js';

/** The full path of a command as the shell would find it, or undefined. */
export function findProgram(name: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = name.includes('/') ? [isAbsolute(name) ? name : resolve(name)] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // not here, or not executable
    }
  }
  return undefined;
}

/** Checks that a program can be started; throws the one sentence that says why not. */
export function checkProgram(name: string): void {
  if (findProgram(name)) return;
  const path = name.includes('/') ? (isAbsolute(name) ? name : resolve(name)) : undefined;
  if (path) {
    let exists = false;
    try {
      exists = statSync(path).isFile();
    } catch {
      exists = false;
    }
    throw new UserError(exists ? says().programNotExecutable(name) : says().programNotFound(name), 127);
  }
  throw new UserError(says().programNotFound(name), 127);
}

/** `python3 FILE`, or one sentence if this machine has no python3. */
export function pythonCommand(file: string): string[] {
  if (!findProgram('python3')) throw new UserError(says().noPython, 127);
  return ['python3', file];
}
