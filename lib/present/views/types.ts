// What a view is: something that draws the run's state as it changes, and its end.
import type { TimelineData } from '../../observe/timeline.js';
import type { RunLabel, RunState } from '../../observe/state.js';

export type LessonLabel = RunLabel;
export type ViewState = RunState;

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
