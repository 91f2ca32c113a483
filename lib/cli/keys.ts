// The keys a person presses while a lesson runs: space or Enter to go on (step mode), q or
// Ctrl-C to stop. In a terminal they are read one by one (raw mode); from a pipe, a line is a key.
//
// Predict mode borrows the input for its questions: in a terminal it pauses the keys while a
// prompt owns the keyboard; from a pipe it takes the next line as the answer (nextLine), so one
// reader splits stdin between go-aheads and answers and no line is read twice.
import { createInterface } from 'node:readline';

export interface KeyHandlers {
  onGoAhead(): void;
  onQuit(): void;
  /**
   * From a pipe, keep every line that comes before anyone asks for it, for the next nextLine():
   * predict mode without step mode, where a line is always an answer (so `printf 'Z\n' | …`
   * answers the first question, however early it was written). Otherwise such a line is a go-ahead.
   */
  keepLinesForAnswers?: boolean;
}

export interface Keys {
  stop(): void;
  nextKey(): Promise<void>;
  /** Terminal: stop reading keys (a prompt takes the keyboard) … */
  pause(): void;
  /** … and read them again. */
  resume(): void;
  /** Pipe: the next line on stdin, for the caller rather than a go-ahead; undefined once stdin has ended. */
  nextLine(): Promise<string | undefined>;
}

export function listenForKeys(handlers: KeyHandlers): Keys {
  const stdin = process.stdin;
  let anyKey: (() => void) | undefined;
  const pressed = (): void => {
    const resolve = anyKey;
    anyKey = undefined;
    resolve?.();
  };
  if (stdin.isTTY) {
    const onData = (data: Buffer): void => {
      const key = data.toString();
      if (key === '\x03' || key === 'q' || key === 'Q') handlers.onQuit();
      else if (key === ' ' || key === '\r' || key === '\n' || key === 'n') handlers.onGoAhead();
      pressed();
    };
    const start = (): void => {
      stdin.setRawMode(true);
      stdin.resume();
      stdin.on('data', onData);
    };
    const halt = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
    start();
    return {
      stop: halt,
      nextKey: () => new Promise((resolve) => (anyKey = resolve)),
      pause: halt,
      resume: start,
      nextLine: () => Promise.resolve(undefined),
    };
  }
  // Not a terminal: each line on stdin is a go-ahead (how a test drives step mode), unless
  // someone is waiting for it as an answer.
  const lines = createInterface({ input: stdin });
  let claim: ((line: string | undefined) => void) | undefined;
  let ended = false;
  const kept: string[] = [];
  lines.on('line', (line) => {
    const answer = claim;
    claim = undefined;
    if (answer) answer(line);
    else if (handlers.keepLinesForAnswers) kept.push(line); // a "q" too: it stops the run when its turn comes
    else if (line.trim() === 'q') handlers.onQuit();
    else handlers.onGoAhead();
  });
  lines.on('close', () => {
    ended = true;
    claim?.(undefined);
    claim = undefined;
  });
  return {
    stop() {
      lines.close();
      stdin.destroy();
    },
    nextKey: () => Promise.resolve(),
    pause() {},
    resume() {},
    nextLine: () => {
      if (kept.length > 0) return Promise.resolve(kept.shift());
      return ended ? Promise.resolve(undefined) : new Promise((resolve) => (claim = resolve));
    },
  };
}
