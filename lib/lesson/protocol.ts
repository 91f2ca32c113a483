// What a lesson and the runner say to each other, one JSON object per line on file descriptor 3
// (a Unix socketpair the runner opens when it starts the lesson). The environment variables tell
// a lesson how it is being run.

export const ENV = {
  /** "3:<inode>": the control socket's fd and inode (the inode proves the fd is still that socket). */
  control: 'PROCBOOK_CONTROL',
  /** "<pid>:<startTicks>" of the runner; a lesson whose runner is gone ends itself. */
  runner: 'PROCBOOK_RUNNER',
  /** A multiplier for every paced sleep: 1 normal, 2 slow, 0.25 fast. */
  pace: 'PROCBOOK_PACE',
  /** "1": wait at each checkpoint for the runner's go-ahead (a key press in class). */
  step: 'PROCBOOK_STEP',
  /** "1": predict mode: wait at each question until the student has answered (see question.ts). */
  predict: 'PROCBOOK_PREDICT',
  /** Which part of the lesson file this process plays ("main" for the first one). */
  role: 'PROCBOOK_ROLE',
  /** An id of this run: the observer admits any process started with it in its environment. */
  run: 'PROCBOOK_RUN',
  /** The run's private temporary folder; the runner removes it when the run is over. */
  runTmp: 'PROCBOOK_TMP',
  /** "1" when the lesson's output may use colours. */
  color: 'PROCBOOK_COLOR',
  /** "zh" or "en": the language the student reads (the lesson's sentences are translated in lib/lesson). */
  lang: 'PROCBOOK_LANG',
  /** "<pid>:<startTicks>" of the lesson's first process (role "main"), for every process it starts. */
  main: 'PROCBOOK_MAIN',
  /**
   * "1": the lesson's first process waits for the runner's 'start' before its first line. The
   * runner starts the lesson first and gets ready while Node starts it (the lesson cannot fork
   * before the runner follows it): see lib/run/engine.ts.
   */
  gate: 'PROCBOOK_GATE',
  /**
   * Given to a detached process started while the lesson runs alone (no runner): "<pid>:<startTicks>"
   * of the lesson's first process. Out of the terminal's process group, Ctrl-C does not reach it, so
   * it ends itself when that process is gone.
   */
  lifeline: 'PROCBOOK_LIFELINE',
} as const;

export const CONTROL_FD = 3;

export type LessonMessage =
  /**
   * A named moment; `waits`: the lesson waits for a go-ahead there. `hold`: a state held in step
   * mode by a blocked event loop (blockEventLoop), not a step of the lesson (no reveal is due there).
   * `shown`: the name as the student reads it (translated), when it differs from `name`.
   */
  | { type: 'checkpoint'; name: string; pid: number; waits: boolean; hold?: boolean; shown?: string }
  | { type: 'fact'; name: string; value: unknown; pid: number }
  | { type: 'title'; title: string; pid: number }
  /**
   * A process was just started: the runner looks at the table at once, before it can end unseen.
   * `title` (its command line) and `parent` come from lesson API wrappers of Node's calls; a
   * synchronous call reports after the child ended, with the moment it started (`startedAt`).
   */
  | { type: 'spawned'; pid: number; title?: string; parent?: number; startedAt?: number }
  /** This process is about to exit (its 'exit' event): the runner watches for its zombie at once. */
  | { type: 'exiting'; pid: number }
  | { type: 'exit'; pid: number; code: number | null; signal: string | null }
  | QuestionMessage;

/**
 * Every message carries the moment it was sent (`at`: ms on the machine's monotonic clock,
 * process.hrtime, which every process shares). The runner places it in the timeline at that
 * moment, not when it happened to read it: a sample taken in between would otherwise show the
 * next step's processes before this checkpoint.
 */
export type Stamped<T> = T & { at?: number };

/** What a question asks about a process (see lib/lesson/question.ts). */
export type QuestionKind = 'stat' | 'parent' | 'alive' | 'exit';

/**
 * When the answer is read from the table: at the lesson's next step (or its end), or this many
 * milliseconds (already paced) after the lesson went on from the question.
 */
export type RevealMoment = 'next-step' | { afterMs: number };

export interface QuestionMessage {
  type: 'question';
  /** The process asking (the lesson's first process; it waits for the go-ahead). */
  pid: number;
  /** The process the question is about. */
  about: number;
  ask: QuestionKind;
  prompt: string;
  reveal: RevealMoment;
  /** For 'exit': exit codes worth offering besides 0 and 1 (distractors or the right one: the table decides). */
  codes?: number[];
}

export type RunnerMessage = { type: 'continue' } | { type: 'start' };

/** Splits a byte stream into JSON lines; ignores anything that is not JSON. */
export function jsonLines<T>(onMessage: (message: T) => void): (chunk: Buffer | string) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString();
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim()) {
        try {
          onMessage(JSON.parse(line) as T);
        } catch {
          // not a message: ignore
        }
      }
      newline = pending.indexOf('\n');
    }
  };
}
