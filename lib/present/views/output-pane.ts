// The lesson's output as the pane shows it: wrapped to the pane's width, last lines first to go.
//
// Wrapping is the costly part of a frame, so each line is wrapped once and kept; only a new width
// (a resize, or the table growing) wraps everything again.
import type { OutputLine } from '../../observe/timeline.js';
import type { Colors } from './palette.js';
import { sanitizeLine, wrapLine } from './text.js';

/** More than any screen shows; older wrapped lines are dropped to bound memory. */
const KEPT_LINES = 2000;

export class OutputPane {
  private width = -1;
  private taken = 0;
  private wrapped: string[] = [];

  constructor(private readonly c: Colors) {}

  /** The last `height` screen lines of the output wrapped to `width` cells. */
  lastLines(output: readonly OutputLine[], width: number, height: number): string[] {
    if (width !== this.width || output.length < this.taken) {
      this.width = width;
      this.taken = 0;
      this.wrapped = [];
    }
    for (const line of output.slice(this.taken)) this.wrapped.push(...wrapLine(this.shown(line), width));
    this.taken = output.length;
    if (this.wrapped.length > KEPT_LINES * 2) this.wrapped = this.wrapped.slice(-KEPT_LINES);
    return height > 0 ? this.wrapped.slice(-height) : [];
  }

  private shown(line: OutputLine): string {
    const text = sanitizeLine(line.text);
    // stderr in red, unless the lesson coloured the line itself.
    return line.stream === 'stderr' && !text.includes('\x1b[') ? this.c.red(text) : text;
  }
}
