// Pace that teaches: a sentence that points at the table is printed before or while the state it
// names is there, never after, and the state stays in the table at least 2 s at pace 1 (2000 ×
// pace ms in a test run) from the moment both are on screen. Asserted on the run each lesson test
// already makes: the lessons' waits scale with the pace, so the rule scales with it too.
import { expect } from 'vitest';
import type { ProcessHistory, Span, Timeline } from '../../lib/observe/timeline.js';

/** How long a state stays on screen with its sentence, at pace 1. */
export const SEEN_AT_1X_MS = 2000;

/** A stretch of time in which the table showed a state. */
export interface Stretch {
  from: number;
  to: number;
}

/** When the runner got the first line the program printed containing `text` (after `after`, if given). */
export function lineAt(timeline: Timeline, text: string, after = Number.NEGATIVE_INFINITY): number {
  const line = timeline.data.output.find((each) => each.stream !== 'runner' && each.t >= after && each.text.includes(text));
  if (!line) throw new Error(`the lesson printed no line with "${text}"`);
  return line.t;
}

/**
 * The stretches in which a process's spans matched, contiguous spans joined: e.g. every stretch in
 * which it was `T`, or alive and under a parent. A sample missing between two spans splits them.
 */
export function stretches(history: ProcessHistory, match: (span: Span) => boolean): Stretch[] {
  const found: Stretch[] = [];
  for (const span of history.record.spans) {
    if (!match(span)) continue;
    const last = found.at(-1);
    if (last && last.to === span.from) last.to = span.to;
    else found.push({ from: span.from, to: span.to });
  }
  return found;
}

/** From its first sample to its last one alive (not `Z`), joined: its row, alive. */
export function aliveStretch(history: ProcessHistory): Stretch {
  const alive = history.record.spans.filter((span) => !span.stat.startsWith('Z'));
  if (alive.length === 0) throw new Error(`${history.title} ${history.pid} was never seen alive`);
  return { from: alive[0]!.from, to: alive.at(-1)!.to };
}

/**
 * The sample gap around t: the one containing it, or the one just before it if longer. A runner
 * starved of CPU is late both to read a line and to sample; the sample it takes on waking may come
 * just before the line, and then the long gap (the lateness) is the one before.
 */
function gapAround(timeline: Timeline, t: number): number {
  const times = timeline.sampleTimes();
  let index = times.findIndex((each) => each > t); // the first sample after t
  if (index < 0) index = times.length;
  const gap = (at: number): number => (at >= 1 && at < times.length ? times[at]! - times[at - 1]! : 0);
  return Math.max(gap(index), gap(index - 1));
}

/**
 * The sentence said at `said` names a state the table showed in one of `shown` (the stretches in
 * which it was there): it came before or inside one of them, never after them all, and that one
 * lasted at least 2 s × pace from the moment both were there. The tolerance is one sample gap:
 * the longest around that moment or while the state lasted (a state that begins just after a
 * sample is first seen one gap late; a runner starved of CPU reads the line late and sees the end
 * late, and its samples show it: see gapAround).
 */
export function expectSaidWhileShown(timeline: Timeline, said: number, shown: Stretch[], pace: number, what: string): { said: number; from: number; to: number; held: number; needed: number } {
  // The line is dated when the runner read it. A runner kept from the CPU read it late, by as much
  // as its samples were (beside two busy loops lesson 18's line came 222 ms after the state it names
  // had ended, though it was printed 2 s × pace before that end): the state may end up to that gap before.
  const stretch = shown.find((each) => each.to > said - gapAround(timeline, said));
  expect(stretch, `${what}: said at ${said.toFixed(0)} ms, after the state (${shown.map((each) => `${each.from.toFixed(0)}–${each.to.toFixed(0)}`).join(', ') || 'never seen'})`).toBeDefined();
  const start = Math.max(said, stretch!.from);
  const held = stretch!.to - start;
  // A lesson holds a state 2 s × pace after it printed the sentence; the runner read the line a
  // moment later (one sampling interval; on a busy machine, as late as the longest gap in its
  // samples since the line can have been printed: beside two busy loops lesson 15's came 365 ms
  // late), and sees the state's end at its next sample: the sample gaps there, and one interval.
  const printedFrom = said - SEEN_AT_1X_MS * pace;
  const needed = SEEN_AT_1X_MS * pace - Math.max(gapAround(timeline, start), timeline.longestGap(printedFrom, stretch!.to)) - timeline.data.sampleIntervalMs;
  expect(held, `${what}: said at ${said.toFixed(0)} ms, state ${stretch!.from.toFixed(0)}–${stretch!.to.toFixed(0)} ms`).toBeGreaterThanOrEqual(needed);
  return { said, from: stretch!.from, to: stretch!.to, held, needed };
}
