// The course's Python programs (lessons/NN-slug/course.py) under the engine: how the tests run
// them, and how they find each process. Every line a course program prints starts with who it is,
// as the process itself saw it: `child pid=124 ppid=123: I exit now with status 3`. The tests take
// the pids from there and ask the timeline what the kernel showed for them.
import { expect } from 'vitest';
import type { OutputLine, ProcessHistory } from '../../lib/observe/timeline.js';
import { runLesson, startWithFile, type LessonRun, type RunLessonOptions } from '../support/run-lesson.js';

export { claim } from '../support/claims.js';
export { ONE_SAMPLE, stillRunning, projectRoot } from '../support/run-lesson.js';

/**
 * The tests run the programs at this pace: a 3 s spin lasts 1.5 s. Python starts in a few ms, so
 * half speed costs little, and it doubles the margin of the shortest state (a zombie held 0.5 s)
 * over the gaps between samples on a loaded machine.
 */
export const PACE = 0.5;

/** `npm run lesson -- N --python`: the lesson's course.py under the engine, with the lesson's label. */
export function runCourse(lesson: string, options: RunLessonOptions = {}): Promise<LessonRun> {
  return runLesson(lesson, { pace: PACE, ...options, args: ['--python', ...(options.args ?? [])] });
}

/**
 * The lesson's course.py run, started with the test file (startWithFile): its tests read it apart
 * from the Node lesson's, so it goes on beside the Node runs instead of after them. Call it at the
 * top level of the file; await the function it returns.
 */
export function courseWithFile(lesson: string): () => Promise<LessonRun> {
  const run = startWithFile([lesson], (each) => runCourse(each));
  return () => run(lesson);
}

/** One line a course program printed about itself. */
export interface Said {
  role: string;
  pid: number;
  ppid: number;
  text: string;
  /** When the runner received it (ms since the run started, the timeline's clock). */
  t: number;
  stream: OutputLine['stream'];
}

const LINE = /^(parent|child|middle|grandchild) pid=(\d+) ppid=(\d+): (.*)$/;

/** Every line of the run that names its process, in the order received. */
export function said(run: LessonRun): Said[] {
  const lines: Said[] = [];
  for (const line of run.timeline.data.output) {
    const match = LINE.exec(line.text.trim());
    if (!match) continue;
    lines.push({ role: match[1]!, pid: Number(match[2]), ppid: Number(match[3]), text: match[4]!, t: line.t, stream: line.stream });
  }
  return lines;
}

/** The first line of this role that contains this text; fails with the whole output if there is none. */
export function line(run: LessonRun, role: string, text: string): Said {
  const found = said(run).find((each) => each.role === role && each.text.includes(text));
  if (!found) throw new Error(`no "${role} …: …${text}…" line in the output:\n${run.timeline.outputText()}\nstderr:\n${run.stderr}`);
  return found;
}

/** Every line of this role that contains this text. */
export function lines(run: LessonRun, role: string, text = ''): Said[] {
  return said(run).filter((each) => each.role === role && each.text.includes(text));
}

/**
 * The process that printed this line (or has this pid), as the timeline recorded it; fails if the
 * observer never saw it. A pid can be reused: given a line, the record born to the parent the line
 * names (a process's first line is printed under the parent it was born to).
 */
export function seen(run: LessonRun, who: number | Said): ProcessHistory {
  const pid = typeof who === 'number' ? who : who.pid;
  const records = run.timeline.processes().filter((each) => each.pid === pid);
  const history = (typeof who === 'number' ? undefined : records.filter((each) => each.firstParent === who.ppid).at(-1)) ?? records.at(-1);
  if (!history) throw new Error(`the timeline has no process ${pid}; it has ${run.timeline.processes().map(story).join('\n')}`);
  return history;
}

/** One process's history in a line, for failure messages. */
export function story(history: ProcessHistory): string {
  const { pid, firstSeen, gone, exit, spans } = history.record;
  const shown = spans.map((span) => `${span.stat}@${Math.round(span.from)}-${Math.round(span.to)}/${span.ppid}`).join(' ');
  return `${pid} (${history.title}) seen ${Math.round(firstSeen)}, gone ${gone === undefined ? '-' : Math.round(gone)}, exit ${JSON.stringify(exit ?? null)}: ${shown}`;
}

/** The title the table shows now (after an exec, the new program's), not the one first seen. */
export function currentTitle(history: ProcessHistory): string {
  const renamed = history.record.events.filter((event) => event.kind === 'exec' || event.kind === 'title').at(-1);
  return typeof renamed?.detail === 'string' ? renamed.detail : history.title;
}

/**
 * How long the longest gap between two samples was in this stretch: what a state seen in the
 * samples can fall short of the time it really lasted.
 */
export function gap(run: LessonRun, from: number, to: number): number {
  return Math.max(run.timeline.data.sampleIntervalMs, run.timeline.longestGap(from, to));
}

/** The STAT of this process in every sample taken in [from, to] ('' where it was not in the table). */
export function statsBetween(run: LessonRun, history: ProcessHistory, from: number, to: number): string[] {
  return run.timeline.statsBetween(history, from, to);
}

/** Its plain `Z` spans (one thread left: the zombie its parent could reap). */
export function zombieSpans(history: ProcessHistory): Array<{ from: number; to: number; ppid: number }> {
  return history.spansIn('Z').filter((span) => !span.stat.includes('l'));
}

/** The longest single stretch it was seen `Z`, in ms (0 if never). */
export function longestZombie(history: ProcessHistory): number {
  return Math.max(0, ...history.spansIn('Z').map((span) => span.to - span.from));
}

// The lessons' --python blocks take everything from here, so they stand apart from the rest of their file.
export { beforeAll, describe, expect, test } from 'vitest';

/**
 * The latest a change that happened at kernel time t can be seen: the second sample after it. The
 * kernel's exit report can be read (and bring a sample of its own) a moment before the kernel has
 * re-parented the exiting process's children; the next sample sees them moved.
 */
export function seenBy(run: LessonRun, t: number): number {
  const first = run.timeline.sampleAfter(t) ?? t;
  return run.timeline.sampleAfter(first) ?? first;
}

/**
 * Reaped at once: a plain Z for less than a tenth of a second, give or take the sampling's own
 * gaps, in one stretch at most. (Not counted in samples: the kernel's exit report brings a sample
 * of its own, so a zombie of a few ms can be in two.) On a busy machine the parent, woken by the
 * child's exit, may wait for a CPU before its wait() returns: the time the table showed it
 * runnable (R) meanwhile counts too, never the time it slept.
 */
export function expectReapedAtOnce(run: LessonRun, history: ProcessHistory): void {
  const spans = zombieSpans(history);
  const reaper = history.record.reapedBy === undefined ? undefined : run.timeline.process(history.record.reapedBy);
  const about = `${story(history)}${reaper ? `\nreaper ${story(reaper)}` : ''}`;
  expect(spans.length, about).toBeLessThanOrEqual(1);
  for (const span of spans) {
    const runnable = (reaper?.record.spans ?? []).filter((each) => each.stat.startsWith('R')).reduce((sum, each) => sum + Math.max(0, Math.min(each.to, span.to) - Math.max(each.from, span.from)), 0);
    expect(span.to - span.from, about).toBeLessThanOrEqual(100 + gap(run, span.from, span.to) + runnable);
  }
}
