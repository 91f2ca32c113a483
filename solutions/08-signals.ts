// Solution to exercise 08: shut down gracefully on SIGTERM.
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exited, forkSelf, name, role, say, tempDir } from '../lib/lesson/index.js';
import { given } from '../lib/exercises/kit.js';

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

  // Installing a handler replaces Node's default action (to die at once).
  process.once('SIGTERM', async () => {
    say('SIGTERM: asking my workers to finish');
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => exited(child)));
    rmSync(pidFile, { force: true });
    say('every worker has finished; pid file removed; exiting');
    // Nothing is left to keep the event loop alive: the process ends, with exit code 0.
  });
}

async function worker(): Promise<void> {
  name(`worker ${process.argv[2]}`);
  let stopping = false;

  // The loop looks at `stopping` only between jobs: the job in hand always finishes.
  process.on('SIGTERM', () => {
    stopping = true;
  });

  for (let job = 1; !stopping; job++) {
    appendFileSync(log, `start ${process.pid} ${job}\n`);
    await new Promise((resolve) => setTimeout(resolve, jobMs)); // the work
    appendFileSync(log, `done ${process.pid} ${job}\n`);
  }
  say('finished my last job; exiting');
}
