// The live view: the whole terminal, redrawn as the lesson runs.
//
// It draws on the alternate screen (as less and vim do), so the student's scrollback is left as it
// was; when the run is over it goes back to the normal screen and prints there what must not be
// lost: the lesson's whole output and the summary chart. Keys are the runner's business.
import pc from 'picocolors';
import type { TimelineData } from '../../observe/timeline.js';
import { FrameRenderer } from './frame.js';
import { renderSummary } from './summary.js';
import type { View, ViewState } from './types.js';

/** What the live view needs of the terminal; a `process.stdout` that is a TTY has all of it. */
export interface TerminalOutput {
  readonly columns: number;
  readonly rows: number;
  write(text: string): unknown;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export interface LiveViewOptions {
  stdout: TerminalOutput;
  /** Colours on the screen and in the summary; by default as picocolors decides (NO_COLOR …). */
  color?: boolean;
  /**
   * The least time between two frames. The observer samples 5 times a second but every output
   * line also asks for a frame; 40 ms (25 frames a second) is smooth and keeps a chatty lesson
   * from spending the runner's CPU on drawing. Tests set 0 to see every frame.
   */
  minFrameMs?: number;
}

const ENTER = '\x1b[?1049h' + '\x1b[?25l' + '\x1b[?7l' + '\x1b[2J';
// Alternate screen, hidden cursor, and no automatic wrap: should a line ever be one cell too
// wide (a character the terminal measures differently), it is cut instead of scrolling the frame.
const LEAVE = '\x1b[0m' + '\x1b[?7h' + '\x1b[?25h' + '\x1b[?1049l';

/** The frame as terminal output: each line placed at its row, so nothing depends on wrapping. */
function frameText(lines: readonly string[]): string {
  return lines.map((line, row) => `\x1b[${row + 1};1H${line}`).join('');
}

export function createLiveView(options: LiveViewOptions): View {
  const { stdout } = options;
  const color = options.color ?? pc.isColorSupported;
  const minFrameMs = options.minFrameMs ?? 40;
  const renderer = new FrameRenderer(color);
  let latest: ViewState | undefined;
  let onScreen = false;
  let closed = false;
  let suspended = false;
  let lastDrawAt = Number.NEGATIVE_INFINITY;
  let pending: NodeJS.Timeout | undefined;

  const size = (): { columns: number; rows: number } => ({ columns: stdout.columns || 100, rows: stdout.rows || 30 });

  // If the runner dies without calling close(), the student's terminal must still come back.
  const restoreOnExit = (): void => {
    if (onScreen) stdout.write(LEAVE);
  };

  const draw = (): void => {
    if (closed || suspended || !latest) return;
    if (!onScreen) {
      stdout.write(ENTER);
      onScreen = true;
      process.once('exit', restoreOnExit);
    }
    lastDrawAt = Date.now();
    stdout.write(frameText(renderer.render(latest, size())));
  };

  const onResize = (): void => {
    if (closed || !onScreen) return;
    // The terminal may have kept pieces of the old frame in cells the new one does not cover.
    stdout.write('\x1b[2J');
    draw();
  };
  stdout.on('resize', onResize);

  return {
    update(state: ViewState) {
      latest = state;
      if (closed || pending) return;
      const wait = lastDrawAt + minFrameMs - Date.now();
      if (wait <= 0) draw();
      else
        pending = setTimeout(() => {
          pending = undefined;
          draw();
        }, wait);
    },

    // Predict mode asks on the normal screen (a prompt there needs no drawing of ours), then the
    // frame comes back as it is by then.
    suspend() {
      suspended = true;
      if (pending) clearTimeout(pending);
      pending = undefined;
      if (onScreen) stdout.write(LEAVE);
      onScreen = false;
      process.off('exit', restoreOnExit);
    },

    resume() {
      suspended = false;
      draw();
    },

    close(timeline: TimelineData) {
      if (closed) return;
      closed = true;
      if (pending) clearTimeout(pending);
      pending = undefined;
      stdout.off('resize', onResize);
      process.off('exit', restoreOnExit);
      if (onScreen) stdout.write(LEAVE);
      onScreen = false;
      // The alternate screen is gone with everything on it: print the output again, in full.
      for (const line of timeline.output) stdout.write(`${line.text}\n`);
      stdout.write(`\n${renderSummary(timeline, { width: size().columns, color })}\n`);
    },
  };
}
