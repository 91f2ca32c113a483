// What every view of a run is given: the state of the run at one moment, taken from the observer
// and the record. The engine builds it; the terminal views, the projector page and the exercise
// checks read it.
import type { TableRow } from './observer.js';
import type { OutputLine, TimelineData } from './timeline.js';

/** What is running: a lesson (with its number), an exercise, or any program (`watch`). */
export interface RunLabel {
  /** The lesson's number; absent for a program run with `watch`. */
  number?: number;
  slug: string;
  title: string;
}

export interface RunState {
  lesson: RunLabel;
  /** The live table: processes present now and those gone less than a few seconds ago. */
  rows: TableRow[];
  /** Every line the program printed so far. */
  output: OutputLine[];
  /** The record so far (read only), for views that draw history: the web view's growing chart. */
  timeline?: TimelineData;
  /** Milliseconds since the run started. */
  now: number;
  /** The run's first process (the lesson, the exercise, the program). */
  lessonPid: number;
  runnerPid: number;
  pace: number;
  stepMode: boolean;
  /** The checkpoint the lesson waits at (step mode), if it waits. */
  pausedAt?: string;
  /** Set once the run's first process has exited. */
  finished?: { code: number | null; signal: string | null };
  /** Set when the run was stopped (q, Ctrl-C, a signal to the runner) rather than ending by itself. */
  stopped?: boolean;
}
