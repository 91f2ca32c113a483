// The keys a person presses while a lesson runs: space or Enter to go on (step mode), q or
// Ctrl-C to stop. In a terminal they are read one by one (raw mode); from a pipe, a line is a key.
import { createInterface } from 'node:readline';

export interface KeyHandlers {
  onGoAhead(): void;
  onQuit(): void;
}

export function listenForKeys(handlers: KeyHandlers): { stop(): void; nextKey(): Promise<void> } {
  const stdin = process.stdin;
  let anyKey: (() => void) | undefined;
  const pressed = (): void => {
    const resolve = anyKey;
    anyKey = undefined;
    resolve?.();
  };
  if (stdin.isTTY) {
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (data: Buffer): void => {
      const key = data.toString();
      if (key === '\x03' || key === 'q' || key === 'Q') handlers.onQuit();
      else if (key === ' ' || key === '\r' || key === '\n' || key === 'n') handlers.onGoAhead();
      pressed();
    };
    stdin.on('data', onData);
    return {
      stop() {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
      },
      nextKey: () => new Promise((resolve) => (anyKey = resolve)),
    };
  }
  // Not a terminal: each line on stdin is a go-ahead (how a test drives step mode).
  const lines = createInterface({ input: stdin });
  lines.on('line', (line) => {
    if (line.trim() === 'q') handlers.onQuit();
    else handlers.onGoAhead();
  });
  return {
    stop() {
      lines.close();
      stdin.destroy();
    },
    nextKey: () => Promise.resolve(),
  };
}
