// Files a lesson makes live in a private temporary folder that is removed when the lesson ends,
// however it ends: under the runner, the runner removes its run's folder; alone, this process
// removes what it made on exit and on Ctrl-C.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENV } from './protocol.js';

const made: string[] = [];

let guarded = false;

function removeAll(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A new empty folder for this lesson's files (sockets, FIFOs, lock files …). */
export function tempDir(label = 'lesson'): string {
  // The handlers first: a Ctrl-C between creating the folder and catching signals would end the
  // process by the default action, before any code of ours could remove the folder.
  if (!guarded) {
    guarded = true;
    process.on('exit', removeAll);
    if (!process.env[ENV.runner]) {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        process.once(signal, () => {
          removeAll();
          process.kill(process.pid, signal);
        });
      }
    }
  }
  const dir = mkdtempSync(join(process.env[ENV.runTmp] ?? tmpdir(), `procbook-${label}-`));
  made.push(dir);
  return dir;
}
