// Exercise 08 — shut down gracefully on SIGTERM.
//
// SIGTERM is how a service is asked to stop: `kill <pid>`, systemd, Docker and Kubernetes all send
// it, wait a few seconds, then send SIGKILL. Node's default action for SIGTERM is to die on the
// spot: the job in hand cut in half, children left running as orphans, a pid file naming a
// process that is gone.
//
// The service below (written for you): the main process writes its pid to `pidFile` and starts
// `workers` worker processes; each worker does jobs one after another and writes "start" and
// "done" lines to `log`. Make it stop gracefully when the MAIN process gets SIGTERM:
//   - the main process passes the request on to every worker, waits until each has exited,
//     removes the pid file, and exits with code 0;
//   - each worker finishes the job in hand (its "done" line is written), starts no new one, and
//     exits with code 0.
//
// What the check looks at: it waits until the table shows the main process and its workers at
// work, sends SIGTERM to the main process only, and then: the main process exits with code 0
// within 3 s; each worker exited with code 0 (not killed by a signal), before the main process
// and collected by it; every "start" in the log has its "done"; the pid file is gone.
//
//   try it:   npx tsx lessons/08-signals/exercise.ts     (then, from another terminal: kill <pid>)
//   check it: npm run check -- 8          a hint: npm run hint -- 8
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exited, forkSelf, name, role, say, tempDir } from '../../lib/lesson/index.js';
import { given } from '../../lib/exercises/kit.js';

const { pidFile, log, workers, jobMs } = given(() => {
  const dir = tempDir('service');
  return { pidFile: join(dir, 'service.pid'), log: join(dir, 'jobs.log'), workers: 2, jobMs: 500 };
});

if (role === 'worker') await worker();
else await main();

async function main(): Promise<void> {
  name('service');
  writeFileSync(pidFile, `${process.pid}\n`);
  const children = Array.from({ length: workers }, (_, index) => forkSelf('worker', { args: [String(index + 1)] }));
  say(`running with ${children.length} workers (log: ${log}); stop me with: kill ${process.pid}`);

  // TODO (main): on SIGTERM (process.on('SIGTERM', …)):
  //   pass it on to every worker (child.kill('SIGTERM')), wait until each has exited
  //   (exited(child)), remove the pid file, and let the process end with exit code 0.
}

async function worker(): Promise<void> {
  name(`worker ${process.argv[2]}`);
  let stopping = false;

  // TODO (worker): on SIGTERM, do not die: let the job in hand finish, then stop the loop.

  for (let job = 1; !stopping; job++) {
    appendFileSync(log, `start ${process.pid} ${job}\n`);
    await new Promise((resolve) => setTimeout(resolve, jobMs)); // the work
    appendFileSync(log, `done ${process.pid} ${job}\n`);
  }
  say('finished my last job; exiting');
}
