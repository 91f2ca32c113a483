// The system procbook runs on. `PROCBOOK_PLATFORM` pretends to be another one (darwin), so the
// path a macOS laptop takes (the `ps` source, the lessons that say they need Linux) is tested on
// Linux. This is the one place that reads it.
export type Platform = NodeJS.Platform;

/** `process.platform`, or what PROCBOOK_PLATFORM says it is. */
export function runningOn(env: NodeJS.ProcessEnv = process.env): Platform {
  const forced = env.PROCBOOK_PLATFORM;
  return forced ? (forced as Platform) : process.platform;
}

/** Whether the platform procbook takes itself to be on is Linux (a forced one counts). */
export function onLinux(env: NodeJS.ProcessEnv = process.env): boolean {
  return runningOn(env) === 'linux';
}

/** Where a run learns of new processes besides its samples of the table. */
export type KernelSource = 'connector' | 'perf' | 'sampling';

/**
 * The kernel's reports a run uses: the proc connector as root (it needs CAP_NET_ADMIN, and gives
 * exit statuses), else a perf event on Linux (lib/proc/perf.ts; it needs perf_event_paranoid ≤ 2),
 * else the samples alone. `PROCBOOK_SOURCE` (connector, perf, sampling) asks for one, so that the
 * tests, which run as root on CI, can take the path a student without root takes; another value
 * counts as unset. What the kernel then refuses falls back to the samples alone.
 */
export function kernelSource(env: NodeJS.ProcessEnv = process.env): KernelSource {
  const asked = env.PROCBOOK_SOURCE;
  if (asked === 'connector' || asked === 'perf' || asked === 'sampling') return asked;
  if (process.getuid?.() === 0) return 'connector';
  return onLinux(env) ? 'perf' : 'sampling';
}
