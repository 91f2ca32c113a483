// Exercise 07: launcher -> middle -> daemon; the middle exits at once and is reaped by the
// launcher; the daemon is adopted, leads its own session, outlives the launcher, and its pid file
// names it while it runs (read by the check, from outside).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adopter, asSeen, childrenOf, endedAt, exitReports, exitedCleanly, reportsOf, who } from '../claims.js';
import { describeEnd, fail, waitUntil, type Check } from '../harness.js';

export const checkDoubleFork: Check = async ({ work, start, random }) => {
  const pidFile = join(work, 'daemon.pid');
  const workMs = random.int(800, 1300);
  const running = start({ pidFile, workMs }, { timeoutMs: 10_000, graceMs: workMs + 3000 });

  // From outside, while it runs: the pid file names a process of the run (by the pid it has in
  // the exercise's own pid namespace, in a sandbox).
  let named: number | undefined;
  let namedAlive = false;
  await waitUntil(() => {
    if (!existsSync(pidFile)) return false;
    named = Number(readFileSync(pidFile, 'utf8').trim());
    const host = Number.isInteger(named) && named > 0 ? running.hostPid(named) : undefined;
    namedAlive = running.rows().some((row) => row.pid === host && row.gone === undefined && !row.stat.startsWith('Z'));
    return namedAlive;
  }, 5000);
  const result = await running.done;
  exitedCleanly(result);

  // The daemon: the process that did the daemon's work (and said so).
  const daemonPid = reportsOf(result, 'daemon')[0]?.pid ?? result.timeline.titled('daemon')[0]?.pid;
  if (daemonPid === undefined) fail('No daemon ran: the middle process should start one (role "daemon").');
  if (daemonPid === result.pid) fail("The launcher did the daemon's work itself: start a middle process, which starts the daemon and exits.");
  const daemon = result.timeline.process(daemonPid);
  if (!daemon) fail(`The daemon pid ${daemonPid} was never seen in the table.`);
  if (daemon.firstParent === result.pid) fail(`The daemon ${who(daemon)} was started by the launcher itself: a double fork starts it from a middle process that exits at once.`);

  // The middle process lives only a moment: on a loaded machine the table may miss it, but it
  // says, as it exits, who its parent was (kit.ts).
  const io = exitReports(result);
  const middles = new Set([...childrenOf(result).map((child) => child.pid), ...[...io].filter(([, report]) => report.ppid === result.pid).map(([pid]) => pid)]);
  middles.delete(daemonPid);
  if (middles.size === 0) fail('The launcher started no middle process: it starts one, which starts the daemon.');
  if (middles.size > 1) fail(`The launcher started ${middles.size} processes; it should start one, the middle process.`);
  const middlePid = [...middles][0]!;
  const middle = result.timeline.process(middlePid);
  const middleName = middle ? who(middle) : `pid ${middlePid}`;
  if (daemon.firstParent !== middlePid && daemon.reparentings().length === 0 && io.get(daemonPid)?.ppid === undefined) {
    fail(`The daemon ${who(daemon)} was never seen as the middle process's child.`);
  }
  const middleExit = middle?.record.exit;
  if (middleExit && (middleExit.code !== 0 || middleExit.signal !== null)) fail(`The middle process ${middleName} ${describeEnd(middleExit.code, middleExit.signal)}; it should exit with code 0.`);
  const collectedBy = middle?.record.reapedBy;
  if ((collectedBy !== undefined && collectedBy !== result.pid) || (io.has(middlePid) && io.get(middlePid)!.ppid !== result.pid)) {
    fail(`The middle process ${middleName} was collected by ${adopter(collectedBy ?? io.get(middlePid)!.ppid, result)}, not by the launcher: the launcher must wait for it.`);
  }

  // Adopted: its parent changed from the middle process (seen in the table, or said by the daemon).
  const said = reportsOf<{ ppid: number }>(result, 'daemon')[0]?.value.ppid;
  const laterParent = said !== undefined ? result.hostPid(said) : io.get(daemonPid)?.ppid;
  const adopted = laterParent !== undefined ? laterParent !== middlePid : daemon.reparentings().some((change) => change.from === middlePid);
  if (!adopted) fail(`The daemon ${who(daemon)} was never adopted: the middle process must exit at once, without waiting for it.`);
  if (daemon.record.sid !== daemon.pid) fail(`The daemon ${who(daemon)} is in session ${daemon.record.sid}, the launcher's: start it in a session of its own (setsid).`);
  if (!daemon.statSequence().some((stat) => stat.includes('s'))) fail(`The daemon ${who(daemon)} never showed \`s\` in its STAT: it is not the leader of its session.`);
  if (endedAt(daemon) <= endedAt(result.timeline.process(result.pid)!)) {
    fail(`The daemon ${who(daemon)} ended before the launcher: the launcher must not wait for the daemon, only for the middle process.`);
  }
  if (named === undefined || result.hostPid(named) !== daemon.pid || !namedAlive) fail(`While it ran, the pid file named ${named === undefined ? 'nothing' : `pid ${named}`}, not the daemon (pid ${asSeen(result, daemon.pid)}).`);
  const exit = daemon.record.exit;
  if (!exit || daemon.record.gone === undefined) fail(`The daemon ${who(daemon)} was still running long after its work should have ended.`);
  if (exit.code !== 0 || exit.signal !== null) fail(`The daemon ${who(daemon)} ${describeEnd(exit.code, exit.signal)}; it should end with code 0.`);
  if (existsSync(pidFile)) fail('The pid file was still there after the daemon ended.');
};
