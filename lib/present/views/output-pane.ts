// The lesson's output as the pane shows it: wrapped to the pane's width, last lines first to go.
//
// A lesson's explanation (`explain()`) is a paragraph its author broke into source lines of about
// 95 columns; wrapped line by line into a 55-column pane, every one of them would leave a short
// stub. So consecutive explanation lines (dim, indented two spaces) are joined into one paragraph
// and wrapped as a whole.
//
// Wrapping is the costly part of a frame, so each line is wrapped once and kept; only a new width
// (a resize, or the table growing) wraps everything again. The paragraph still growing at the end
// is wrapped again at each frame until a line of another kind closes it.
import type { OutputLine } from '../../observe/timeline.js';
import type { Colors } from './palette.js';
import { sanitizeLine, wrapLine } from './text.js';

/** More than any screen shows; older wrapped lines are dropped to bound memory. */
const KEPT_LINES = 2000;

/** An explanation line as lib/lesson's explain() prints it in colour: dim, two spaces in. */
const EXPLANATION = /^\x1b\[2m {2}(.*?)(?:\x1b\[0m)?$/;
const CJK_EDGE = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/** The text of an explanation line, or undefined for any other line. */
export function explanationText(line: string): string | undefined {
  const match = EXPLANATION.exec(line);
  return match ? match[1]!.trim() : undefined;
}

/** Two pieces of one paragraph, joined: with a space, except between Chinese characters. */
function joinParagraph(before: string, after: string): string {
  if (before === '') return after;
  return CJK_EDGE.test(before.at(-1) ?? '') || CJK_EDGE.test(after[0] ?? '') ? before + after : `${before} ${after}`;
}

export class OutputPane {
  private width = -1;
  private taken = 0;
  private wrapped: string[] = [];
  /** The explanation paragraph still open at the end of the output (its text so far). */
  private paragraph: string | undefined;

  constructor(private readonly c: Colors) {}

  /** The last `height` screen lines of the output wrapped to `width` cells. */
  lastLines(output: readonly OutputLine[], width: number, height: number): string[] {
    if (width !== this.width || output.length < this.taken) {
      this.width = width;
      this.taken = 0;
      this.wrapped = [];
      this.paragraph = undefined;
    }
    for (const line of output.slice(this.taken)) {
      const shown = this.shown(line);
      const text = line.stream === 'stdout' ? explanationText(shown) : undefined;
      if (text !== undefined && text !== '') {
        this.paragraph = joinParagraph(this.paragraph ?? '', text);
        continue;
      }
      this.closeParagraph(width);
      this.wrapped.push(...wrapLine(shown, width));
    }
    this.taken = output.length;
    if (this.wrapped.length > KEPT_LINES * 2) this.wrapped = this.wrapped.slice(-KEPT_LINES);
    if (height <= 0) return [];
    const open = this.paragraph === undefined ? [] : this.wrapParagraph(this.paragraph, width);
    return [...this.wrapped, ...open].slice(-height);
  }

  private closeParagraph(width: number): void {
    if (this.paragraph === undefined) return;
    this.wrapped.push(...this.wrapParagraph(this.paragraph, width));
    this.paragraph = undefined;
  }

  /** The paragraph wrapped as a whole, each line dim and two spaces in, as explain() prints it. */
  private wrapParagraph(text: string, width: number): string[] {
    return wrapLine(`  ${text}`, width).map((line) => this.c.dim(line));
  }

  private shown(line: OutputLine): string {
    const text = sanitizeLine(line.text);
    // stderr in red, unless the lesson coloured the line itself.
    return line.stream === 'stderr' && !text.includes('\x1b[') ? this.c.red(text) : text;
  }
}
