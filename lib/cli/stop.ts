// Ctrl-C, SIGTERM and SIGHUP, from the first instant. Before anything runs, they end the runner at
// once (exit 130: nothing to clean up yet); once a run or a check is under way, the command that
// started it decides (it ends everything first). Without this, a signal that came while the runner
// was still loading killed it outright.
//
// A reader that goes away (`npm run lesson -- 9 --plain | head -3`) is a stop too: the run ends
// cleanly, nothing more is written, and the runner exits 0 — the reader had what it wanted.
let onStop: (() => void) | undefined;
let requested = false;
let closed = false;

export function installStopSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      requested = true;
      if (onStop) onStop();
      else process.exit(130);
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      if (closed) return;
      closed = true;
      requested = true;
      if (onStop) onStop();
      else process.exit(0);
    });
  }
}

/** Whether the runner's output was closed by its reader (a pipe into `head`). */
export function outputClosed(): boolean {
  return closed;
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

/** The run that `whenStopped` was given is over: a stop signal from now on ends the runner again. */
export function clearStop(): void {
  onStop = undefined;
}
