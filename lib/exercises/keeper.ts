// The sandbox's keeper: the process bwrap starts inside a check's sandbox (pid 2 of its pid
// namespace, under bwrap's init, pid 1), and the parent of the exercise's first process. It plays
// inside the sandbox the part the runner plays outside.
//
// Why it is there. bwrap ends the whole sandbox as soon as the process it started exits: its init
// tells bwrap, bwrap exits with that status, and --die-with-parent then kills the init, and with
// it every process of the namespace. Were the exercise that process, an orphan could never
// outlive its parent, nor a double fork's daemon its launcher: the sandbox itself would cut them
// short, and a check would judge the sandbox, not the exercise. And bwrap's init collects an
// orphan the instant it ends, so the table could not show whose it was by then.
//
// So the keeper, as the runner does outside:
//   - starts the exercise in a session of its own;
//   - is a child subreaper: what the exercise leaves (an orphan, a daemon) is adopted by it, not
//     by init. It collects such an orphan once it has ended, when the checker, which has seen it
//     a zombie in the table, says so (SIGUSR2), or at the latest HOLD_MS after it ended: as the
//     runner collects an adopted orphan at the sample after the one that showed it a zombie;
//   - once the exercise has exited, keeps the sandbox while anything else is left in it, for up
//     to the grace time; then it exits with the exercise's status (bwrap passes it on), and the
//     kernel ends whatever is left.
// It prints nothing and reads nothing from the exercise. It is compiled alone, beside the
// exercise (compile.ts).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { becomeSubreaper, reapIfExited } from '../posix/process.js';
import { allStats } from '../proc/read.js';

/** The keeper's pid inside the sandbox: the first process bwrap's init starts. */
export const KEEPER_PID = 2;
/** The signal the checker sends the keeper once it has seen its adopted orphans' zombies. */
export const SEEN_SIGNAL = 'SIGUSR2';
/** The longest an adopted orphan stays a zombie, should the checker never say it has seen it (a starved checker can take a second or more to sample). */
const HOLD_MS = 5000;

/** Whether any process is left in the namespace besides init and the keeper. */
function othersLeft(): boolean {
  try {
    // kill(-1, 0) asks about every process we may signal except init and ourselves; inside a pid
    // namespace that is every other process of the sandbox (a zombie too). It sends nothing.
    process.kill(-1, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function keep(graceMs: number, file: string): void {
  process.title = 'sandbox keeper';
  becomeSubreaper();
  // The same standard streams and control channel (fd 3) the runner gave bwrap.
  const child = spawn(process.execPath, [file], { stdio: [0, 1, 2, 3], detached: true });
  child.once('error', (error) => {
    process.stderr.write(`procbook: the sandbox could not start the exercise (${error.message}).\n`);
    process.exit(127);
  });

  // Adopted orphans that have ended: since when each was seen a zombie. (Never the exercise
  // itself, nor a pid of -1: libuv collects its own child.)
  const zombies = new Map<number, number>();
  const collect = (all: boolean): void => {
    const now = Date.now();
    for (const stat of allStats()) {
      if (stat.ppid !== process.pid || stat.state !== 'Z' || stat.pid === child.pid) continue;
      const since = zombies.get(stat.pid) ?? now;
      zombies.set(stat.pid, since);
      if (all || now - since >= HOLD_MS) {
        try {
          reapIfExited(stat.pid);
        } catch {
          // no waitpid here: init collects it once the keeper has gone
        }
        zombies.delete(stat.pid);
      }
    }
  };
  process.on(SEEN_SIGNAL, () => collect(true));
  const watch = setInterval(() => collect(false), 50);

  child.once('exit', (code, signal) => {
    const status = code ?? 128 + (signal ? constants.signals[signal] : 0);
    const deadline = Date.now() + graceMs;
    const look = (): void => {
      if (!othersLeft() || Date.now() >= deadline) {
        clearInterval(watch);
        process.exit(status);
      }
      setTimeout(look, 10);
    };
    look();
  });
}

// Run as the sandbox's command: keeper.mjs <grace ms> <exercise file>.
if (process.argv[1]?.endsWith('/keeper.mjs')) {
  const [grace = '', file = ''] = process.argv.slice(2);
  keep(Number(grace) >= 0 ? Number(grace) : 300, file);
}
