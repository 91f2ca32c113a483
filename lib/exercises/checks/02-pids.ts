// Exercise 02: each process's report of its pid, parent, group and session against the table;
// the leader child in a session and group of its own (STAT s), the others in the parent's.
import { asSeen, capital, childrenCollected, childrenOf, exitedCleanly, plural, reportsOf, who } from '../claims.js';
import { fail, type Check } from '../harness.js';

interface Me {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
}

export const checkPids: Check = async ({ run, random }) => {
  const children = random.int(2, 5);
  const leader = random.int(children);
  const result = await run({ children, leader });
  exitedCleanly(result);

  const kids = childrenOf(result).sort((a, b) => a.record.firstSeen - b.record.firstSeen);
  if (kids.length !== children) fail(`It started ${plural(kids.length, 'child', 'children')}; it should start the ${children} it is given.`);
  const main = result.timeline.process(result.pid)!;
  const reports = reportsOf<Me>(result, 'me');
  for (const history of [main, ...kids]) {
    const mine = reports.filter((report) => report.pid === history.pid);
    const whose = history === main ? 'the parent' : `the child ${who(history)}`;
    if (mine.length === 0) fail(`${capital(whose)} made no report: every process calls report() itself.`);
    const me = mine[0]!.value;
    const truth: Me = { pid: history.pid, ppid: history.firstParent, pgid: history.record.pgid, sid: history.record.sid };
    // A process the kernel reported but no read of /proc caught (it ended between two reads of a
    // busy checker) has the group and session it was born with: not those it may have moved to.
    const fields = [['pid', 'its pid'], ['ppid', "its parent's pid"], ['pgid', 'its process group'], ['sid', 'its session']] as const;
    for (const [field, what] of readFromProc(history) ? fields : fields.slice(0, 2)) {
      // It reports the numbers it knows (in a sandbox, its pid namespace's): the host's they stand for.
      if (result.hostPid(me[field]) !== truth[field]) fail(`${capital(whose)} reported ${what} as ${me[field]}, but the kernel shows ${asSeen(result, truth[field])}.`);
    }
  }
  const stray = reports.find((report) => ![main, ...kids].some((history) => history.pid === report.pid));
  if (stray) fail(`A report came from pid ${stray.pid}, which is neither the parent nor one of its children.`);

  // Which child is the leader: the one named "child <leader + 1>" (else the one started in that place).
  const named = kids.find((kid) => kid.title.trim() === `child ${leader + 1}`);
  const leading = named ?? [...kids].sort((a, b) => a.pid - b.pid)[leader]!;
  // Every STAT it showed alive: the first may predate its setsid() (the kernel reports a fork at once).
  const stats = leading.statSequence().filter((each) => !each.startsWith('Z'));
  // Where the kernel reported its setsid() itself, that report says it led a session: a starved
  // checker may have read its STAT only before it, at its fork.
  const sessionReported = leading.when('session') !== undefined;
  const which = `The child numbered ${leader}, ${who(leading)},`;
  // Never read from /proc, its record has the session it was born in: then its own report (of its
  // pid, checked above against the kernel's) is all there is to say it leads one.
  const leadingReport = reports.find((report) => report.pid === leading.pid)?.value;
  const reportsLeading = leadingReport !== undefined && leadingReport.sid === leadingReport.pid && leadingReport.pgid === leadingReport.pid;
  if (readFromProc(leading) || !reportsLeading) {
    if (leading.record.sid !== leading.pid) fail(`${which} should lead a session of its own, but the kernel shows it in session ${leading.record.sid}: start it in a new session (setsid).`);
    if (leading.record.pgid !== leading.pid) fail(`${which} leads a session but is in process group ${leading.record.pgid}, not its own.`);
    if (!sessionReported && stats.length > 0 && !stats.some((each) => each.includes('s'))) fail(`${which} never showed \`s\` in its STAT (${stats.join(', ')}), so it was not a session leader.`);
  }
  for (const kid of kids) {
    // One no read caught has only the fork report's group and session (or none): its own report,
    // checked above, is what there is.
    if (kid === leading || !readFromProc(kid)) continue;
    if (kid.record.sid !== main.record.sid || kid.record.pgid !== main.record.pgid) {
      fail(`The child ${who(kid)} left the parent's session (it is in session ${kid.record.sid}); only child ${leader} should lead a session of its own.`);
    }
  }
  childrenCollected(result, kids, 'the parent waits for every child.');
};

/** Whether a read of /proc ever caught it (else its record holds only what the kernel's fork report said). */
function readFromProc(history: { record: { spans: Array<{ stat: string }> } }): boolean {
  return history.record.spans.some((span) => span.stat !== '?');
}
