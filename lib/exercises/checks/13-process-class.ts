// Exercise 13: one child process per name (children of main), each ran() reported from such a
// child, the children alive at the same time, joined() after every child had ended.
import { capital, childrenCollected, childrenOf, endedAt, exitedCleanly, exitReports, mostAtOnce, plural, reportsOf, who } from '../claims.js';
import { fail, type Check } from '../harness.js';

const PEOPLE = ['wupeiqi', 'yuanhao', 'nezha', 'egon', 'alex', 'binglei', 'taibai', 'jinxin'];

/** Two ends closer than this may be seen either way round (sampling, and the runner's clock). */
const SAME_TIME_MS = 60;

export const checkProcessClass: Check = async ({ run, random }) => {
  const names = random.shuffle([...PEOPLE]).slice(0, random.int(2, 5)).map((person) => `${person}${random.int(10, 100)}`);
  const workMs = random.int(500, 800);
  const result = await run({ names, workMs });
  exitedCleanly(result);

  const children = childrenOf(result);
  const ran = reportsOf<{ person: string; pid: number; ppid: number }>(result, 'run');
  for (const person of names) {
    const reports = ran.filter((report) => report.value.person === person);
    if (reports.length === 0) fail(`No run() ran for ${person}: make one process per name, and start() it.`);
    if (reports.length > 1) fail(`The run() of ${person} ran ${reports.length} times; once per process.`);
    const report = reports[0]!;
    if (report.pid === result.pid) fail(`The run() of ${person} ran in main itself (pid ${result.pid}): p.run() is a plain method call; p.start() runs run() in a new process.`);
    const child = children.find((each) => each.pid === report.pid);
    const parent = child ? result.pid : exitReports(result).get(report.pid)?.ppid;
    if (parent !== result.pid) fail(`The run() of ${person} ran in pid ${report.pid}, which is not a child of main.`);
  }
  if (new Set(ran.map((report) => report.pid)).size !== ran.length) fail('Two names ran in the same process: each Process is a process of its own.');
  const workers = children.filter((child) => ran.some((report) => report.pid === child.pid));
  if (workers.length === names.length && mostAtOnce(workers) < 2) {
    fail(`The ${plural(names.length, 'process', 'processes')} never ran at the same time: start() them all first, then join() them.`);
  }

  const joined = reportsOf<Array<{ pid: number; exitcode: number | null }>>(result, 'joined').find((report) => report.pid === result.pid);
  if (!joined) fail('The main process never called joined(): call it once every process has been joined.');
  for (const worker of workers) {
    if (endedAt(worker) > joined.t + SAME_TIME_MS) fail(`The main process called joined() while ${who(worker)} was still running: join() every process first (and await it).`);
  }
  const codes = joined.value;
  if (!Array.isArray(codes) || codes.length !== names.length) fail(`The main process gave joined() ${Array.isArray(codes) ? plural(codes.length, 'process', 'processes') : 'no list'}; it takes the ${names.length} processes.`);
  for (const entry of codes) {
    if (entry.exitcode !== 0) fail(`${capital(entry.pid === undefined ? 'a process that was never started' : `pid ${entry.pid}`)} had exitcode ${entry.exitcode} when joined() was called; joined processes have ended, with 0.`);
  }
  childrenCollected(result, children, 'main joins every process.');
};
