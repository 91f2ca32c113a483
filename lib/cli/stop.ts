// Ctrl-C, SIGTERM and SIGHUP, from the first instant. Before anything runs, they end the runner at
// once (exit 130: nothing to clean up yet); once a run or a check is under way, the command that
// started it decides (it ends everything first). Without this, a signal that came while the runner
// was still loading killed it outright.
let onStop: (() => void) | undefined;
let requested = false;

export function installStopSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      requested = true;
      if (onStop) onStop();
      else process.exit(130);
    });
  }
}

/** From now on a stop signal calls `stop` (at once, if one came already). */
export function whenStopped(stop: () => void): void {
  onStop = stop;
  if (requested) stop();
}

/** Whether a stop signal has come. */
export function stopRequested(): boolean {
  return requested;
}
