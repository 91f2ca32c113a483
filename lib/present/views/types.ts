// What every view of a run is given. The live terminal view, the plain log and (later) the web
// view all draw the same state, taken from the observer and the lesson's output.
import type { TableRow } from '../../observe/observer.js';
import type { OutputLine, TimelineData } from '../../observe/timeline.js';

export interface LessonLabel {
  number: number;
  slug: string;
  title: string;
}

export interface ViewState {
  lesson: LessonLabel;
  /** The live table: processes present now and those gone less than a few seconds ago. */
  rows: TableRow[];
  /** Every line the lesson printed so far. */
  output: OutputLine[];
  /** The record so far (read only), for views that draw history: the web view's growing chart. */
  timeline?: TimelineData;
  /** Milliseconds since the run started. */
  now: number;
  lessonPid: number;
  runnerPid: number;
  pace: number;
  stepMode: boolean;
  /** The checkpoint the lesson waits at (step mode), if it waits. */
  pausedAt?: string;
  /** Set once the lesson's first process has exited. */
  finished?: { code: number | null; signal: string | null };
}

export interface View {
  /** Draw (or print what changed). Called on every sample and every output line. */
  update(state: ViewState): void;
  /** The run is over: restore the terminal, print what remains (the summary chart). */
  close(timeline: TimelineData): void;
  /**
   * A full-screen view gives the terminal back for a while (predict mode's prompt) and draws
   * nothing until `resume`. Views that only append (plain) need neither.
   */
  suspend?(): void;
  resume?(): void;
}
