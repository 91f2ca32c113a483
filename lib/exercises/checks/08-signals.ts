// Exercise 08: SIGTERM to the main process only; it passes it on, its workers finish the job in
// hand and exit 0, it collects them, removes its pid file and exits 0, promptly.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { childrenCollected, childrenOf, errorLine, liveChildren, plural, who } from '../claims.js';
import { fail, waitUntil, type Check } from '../harness.js';

/** How long a graceful stop may take: a job is at most 250 ms. */
const STOP_MS = 3000;

function logLines(log: string): string[] {
  try {
    return readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

export const checkGracefulStop: Check = async ({ work, start, random }) => {
  const workers = random.int(2, 4);
  const pidFile = join(work, 'service.pid');
  const log = join(work, 'jobs.log');
  const running = start({ pidFile, log, workers, jobMs: random.int(150, 250) }, { timeoutMs: 15_000 });

  // At work: every worker in the table, every worker busy with a job.
  await running.until(
    `its ${plural(workers, 'worker')} to be at work (in the table, each with a "start" line in the log)`,
    () => {
      const busy = running.rows().filter((row) => row.ppid === running.pid && !row.stat.startsWith('Z') && row.gone === undefined);
      // The log names its own pids (in a sandbox, its pid namespace's).
      const started = new Set(logLines(log).filter((line) => line.startsWith('start ')).map((line) => String(running.hostPid(Number(line.split(' ')[1])))));
      return busy.length >= workers && busy.every((row) => started.has(String(row.pid)));
    },
    8000,
  );
  if (!existsSync(pidFile)) fail('The service wrote no pid file.');

  running.kill('SIGTERM');
  const stopped = await waitUntil(() => running.exited() !== undefined, STOP_MS);
  const alive = liveChildren(running.rows(), running.pid);
  if (!stopped) running.kill('SIGKILL'); // no need to wait for the run's time limit
  const result = await running.done;
  const children = childrenOf(result);

  if (result.signal === 'SIGTERM') {
    fail("The main process was killed by SIGTERM (Node's default action): give it a handler, process.on('SIGTERM', …).");
  }
  if (!stopped) {
    fail(
      `It was still running ${STOP_MS / 1000} s after SIGTERM${alive.length > 0 ? `, and so ${alive.length === 1 ? 'was' : 'were'} ${alive.join(', ')}` : ''}: pass SIGTERM on to the workers, make them stop after the job in hand, and let the main process end once they have.`,
    );
  }
  if (result.code !== 0 || result.signal !== null) {
    const said = errorLine(result);
    fail(`After SIGTERM the main process ${result.signal ? `was killed by ${result.signal}` : `exited with code ${result.code}`}${said ? `: ${said}` : ''}; a graceful stop ends with code 0.`);
  }

  for (const child of children) {
    const exit = child.record.exit;
    if (exit?.signal) {
      fail(`Worker ${who(child)} was killed by ${exit.signal}${exit.signal === 'SIGTERM' ? " (Node's default action) in the middle of its job: give the workers a SIGTERM handler too, that lets the job in hand finish" : ''}.`);
    }
    if (exit && exit.code !== 0) fail(`Worker ${who(child)} exited with code ${exit.code}; a graceful stop ends with code 0.`);
  }
  childrenCollected(result, children, 'the main process must wait for every worker before it exits.');

  const lines = logLines(log);
  for (const line of lines.filter((each) => each.startsWith('start '))) {
    const [, pid, job] = line.split(' ');
    if (!lines.includes(`done ${pid} ${job}`)) fail(`Worker pid ${pid} started job ${job} and never finished it: a graceful stop lets the job in hand finish.`);
  }
  if (existsSync(pidFile)) fail('The pid file is still there after the service stopped: remove it on the way out.');
};
