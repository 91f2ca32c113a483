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
