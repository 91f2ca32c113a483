// The timeline: the record of one run, as the kernel showed it.
//
// The observer writes it; the live table, the plain log, the summary chart and the tests all read
// it. Times are milliseconds since the run started. It is plain data (JSON round-trips), wrapped
// in small query classes so a test reads like the claim it checks:
//   timeline.process(pid).timeIn('Z', { ppid: lessonPid })

export type EventKind = 'new' | 'exec' | 'title' | 'state' | 'session' | 'zombie' | 'reparented' | 'exited' | 'reaped';

export interface ProcessEvent {
  t: number;
  kind: EventKind;
  /**
   * For 'state': the new STAT; for 'reparented': the new PPID; for 'exec'/'title': the new name;
   * for 'session' (the kernel's report of a setsid()): the new session's id, its own pid.
   */
  detail?: string | number;
}

/** A stretch of time in which the process kept the same STAT and the same parent. */
export interface Span {
  from: number;
  /** When a sample first showed something else (or the process gone); the end of the run if it never did. */
  to: number;
  stat: string;
  ppid: number;
}

export interface ExitInfo {
  t: number;
  code: number | null;
  signal: string | null;
  /** Who reported it: the kernel (a zombie's stat), its parent (the lesson API), or the runner (waitpid on an orphan). */
  source: 'kernel' | 'parent' | 'runner';
}

export interface ProcessRecord {
  /** pid@startTicks: a pid is reused, this is not. */
  id: string;
  pid: number;
  startTicks: number;
  firstSeen: number;
  /** When it vanished from /proc (reaped), if it did during the run. */
  gone?: number;
  /** Who took its exit status: its parent at the moment it vanished. */
  reapedBy?: number;
  title: string;
  /** The title the first sample showed (later ones are 'title' and 'exec' events). */
  firstTitle?: string;
  executable: string;
  pgid: number;
  sid: number;
  spans: Span[];
  events: ProcessEvent[];
  exit?: ExitInfo;
  /**
   * What first showed it: the kernel's fork report (from the proc connector, 'connector', or a
   * perf event, 'perf'), a sample of /proc ('sample'), or a report of the lesson API that made the
   * runner look at once ('report').
   */
  seenBy?: 'connector' | 'perf' | 'sample' | 'report';
}

export interface Checkpoint {
  t: number;
  /** The lesson's name for it, in English: what tests look it up by. */
  name: string;
  pid: number;
  /** The name as the student read it (the lesson's translation), when it differs from `name`. */
  shown?: string;
}

export interface Fact {
  t: number;
  name: string;
  value: unknown;
  pid: number;
}

export interface OutputLine {
  t: number;
  /** 'runner': a line the runner added among the lesson's (predict mode's questions and answers). */
  stream: 'stdout' | 'stderr' | 'runner';
  text: string;
}

/**
 * A prediction (`--predict`): what the lesson asked about a process, what the student answered,
 * and what the table showed when the moment came. Answers are short values: a STAT letter or
 * 'gone' ('stat'), a pid or 'gone' ('parent'), 'alive' | 'zombie' | 'gone' ('alive'), 'running'
 * or "exit 3" / "killed by SIGTERM" ('exit').
 */
export interface QuestionRecord {
  /** When it was asked; the lesson waited there until the student answered. */
  t: number;
  /** The process asked about (pid@startTicks); absent if it was not in the table. */
  id?: string;
  pid: number;
  ask: 'stat' | 'parent' | 'alive' | 'exit';
  prompt: string;
  reveal: 'next-step' | { afterMs: number };
  /** The answers offered. */
  choices: string[];
  /** What the student chose; absent if they gave no answer (stdin closed, run stopped). */
  answer?: string;
  answeredAt?: number;
  /**
   * The moment the answer is about: when the lesson reached its next step, or the delay was due
   * (a runner short of CPU may read the table a little after it).
   */
  dueAt?: number;
  /** When the table was read for the answer (absent if the run was stopped first) … */
  revealedAt?: number;
  /** … what it showed then … */
  actual?: string;
  /** … and whether the answer was that. */
  right?: boolean;
  /** With the projector page: the room's answers when the terminal answered (by value; total = browsers that answered). */
  room?: { counts: Record<string, number>; total: number };
}

export interface TimelineData {
  version: 1;
  /** Wall-clock time (ms since the epoch) of t = 0. */
  startedAt: number;
  lessonPid: number;
  runnerPid: number;
  sampleIntervalMs: number;
  sampleCount: number;
  /** When each sample was taken (ms since the start): the real gaps between them, for tolerances. */
  sampleTimes?: number[];
  /**
   * Where the processes came from: 'connector' (the kernel's fork/exec/exit reports, as root),
   * 'perf' (the kernel's fork/exit records of a perf event the run inherits, without root; no exit
   * statuses), 'sampling' (/proc read every interval, new children found below the followed processes).
   */
  sources?: Array<'connector' | 'perf' | 'sampling'>;
  processes: ProcessRecord[];
  checkpoints: Checkpoint[];
  facts: Fact[];
  output: OutputLine[];
  /** Predict mode's questions, in the order asked (absent in runs without `--predict`). */
  questions?: QuestionRecord[];
  /** How the lesson itself ended. */
  end?: { t: number; code: number | null; signal: string | null };
}

export function emptyTimeline(lessonPid: number, runnerPid: number, sampleIntervalMs: number): TimelineData {
  return {
    version: 1,
    startedAt: Date.now(),
    lessonPid,
    runnerPid,
    sampleIntervalMs,
    sampleCount: 0,
    sampleTimes: [],
    processes: [],
    checkpoints: [],
    facts: [],
    output: [],
  };
}

export interface SpanFilter {
  ppid?: number;
}

/** Questions about one process's history. */
export class ProcessHistory {
  constructor(
    readonly record: ProcessRecord,
    private readonly timeline: Timeline,
  ) {}

  get pid(): number {
    return this.record.pid;
  }
  get title(): string {
    return this.record.title;
  }
  /** The parent it was born to (the first PPID seen). */
  get firstParent(): number {
    return this.record.spans[0]?.ppid ?? 0;
  }
  get lastParent(): number {
    return this.record.spans.at(-1)?.ppid ?? 0;
  }

  spansIn(state: string, filter: SpanFilter = {}): Span[] {
    return this.record.spans.filter(
      (span) => span.stat.startsWith(state) && (filter.ppid === undefined || span.ppid === filter.ppid),
    );
  }

  /** Was the process ever seen in this state (the STAT's first letter), optionally with that parent? */
  everIn(state: string, filter: SpanFilter = {}): boolean {
    return this.spansIn(state, filter).length > 0;
  }

  /** For how long it was seen in that state, in ms (to within one sample interval). */
  timeIn(state: string, filter: SpanFilter = {}): number {
    return this.spansIn(state, filter).reduce((sum, span) => sum + (span.to - span.from), 0);
  }

  /** In how many samples it was seen in that state (the STAT's first letter), optionally with that parent. */
  samplesIn(state: string, filter: SpanFilter = {}): number {
    return this.spansIn(state, filter).reduce((sum, span) => sum + this.timeline.samplesBetween(span.from, span.to), 0);
  }

  /** In how many samples it was a plain `Z`: a zombie its parent could reap (see reapableZombieTime). */
  reapableZombieSamples(): number {
    return this.spansIn('Z')
      .filter((span) => !span.stat.includes('l'))
      .reduce((sum, span) => sum + this.timeline.samplesBetween(span.from, span.to), 0);
  }

  /**
   * For how long it was a zombie its parent could reap, in ms. A Node process has several
   * threads: when its main thread exits, ps shows `Zl` until the others are gone too, and the
   * kernel lets no one reap it before; only a plain `Z` is waiting for its parent.
   */
  reapableZombieTime(): number {
    return this.spansIn('Z').filter((span) => !span.stat.includes('l')).reduce((sum, span) => sum + (span.to - span.from), 0);
  }

  /** The STAT a sample read at time t showed (undefined if it was not in that sample). */
  statAt(t: number): string | undefined {
    return this.record.spans.find((span) => span.from <= t && t < span.to)?.stat;
  }

  /** Every STAT it was seen with, in order, without repeats: e.g. ['Sl', 'Z']. */
  statSequence(): string[] {
    const sequence: string[] = [];
    for (const span of this.record.spans) if (sequence.at(-1) !== span.stat) sequence.push(span.stat);
    return sequence;
  }

  /** Every change of parent: when, from whom, to whom. */
  reparentings(): Array<{ t: number; from: number; to: number }> {
    const changes: Array<{ t: number; from: number; to: number }> = [];
    const spans = this.record.spans;
    for (let index = 1; index < spans.length; index++) {
      const before = spans[index - 1]!;
      const after = spans[index]!;
      if (before.ppid !== after.ppid) changes.push({ t: after.from, from: before.ppid, to: after.ppid });
    }
    return changes;
  }

  /** The time of the first event of this kind, if there was one. */
  when(kind: EventKind): number | undefined {
    return this.record.events.find((event) => event.kind === kind)?.t;
  }

  children(): ProcessHistory[] {
    return this.timeline.processes().filter((other) => other.firstParent === this.pid && other !== this);
  }
}

/** Questions about a whole run. */
export class Timeline {
  constructor(readonly data: TimelineData) {}

  static fromJSON(text: string): Timeline {
    return new Timeline(JSON.parse(text) as TimelineData);
  }

  processes(): ProcessHistory[] {
    return this.data.processes.map((record) => new ProcessHistory(record, this));
  }

  /** The process with this pid (the most recent one, if the pid was reused). */
  process(pid: number): ProcessHistory | undefined {
    const records = this.data.processes.filter((record) => record.pid === pid);
    const record = records.at(-1);
    return record ? new ProcessHistory(record, this) : undefined;
  }

  /** Processes whose title (process.title or command line) contains this text. */
  titled(text: string): ProcessHistory[] {
    return this.processes().filter((history) => history.title.includes(text));
  }

  get lesson(): ProcessHistory | undefined {
    return this.process(this.data.lessonPid);
  }

  checkpoint(name: string): Checkpoint | undefined {
    return this.data.checkpoints.find((checkpoint) => checkpoint.name === name);
  }

  /** The value a lesson recorded under this name (the last one, if several). */
  fact<T = unknown>(name: string): T | undefined {
    const found = this.data.facts.filter((fact) => fact.name === name).at(-1);
    return found?.value as T | undefined;
  }

  facts<T = unknown>(name: string): T[] {
    return this.data.facts.filter((fact) => fact.name === name).map((fact) => fact.value as T);
  }

  /** Processes still in the table at the end of the run (not reaped). */
  leftovers(): ProcessHistory[] {
    return this.processes().filter((history) => history.record.gone === undefined);
  }

  /** When the samples were read (ms since the run started), in order. */
  sampleTimes(): number[] {
    return this.data.sampleTimes ?? [];
  }

  /** How many samples were read at or after `from` and before `to`: those that showed a span [from, to). */
  samplesBetween(from: number, to: number): number {
    return this.sampleTimes().filter((t) => t >= from && t < to).length;
  }

  /** The last sample read before time t (undefined if none was). */
  sampleBefore(t: number): number | undefined {
    return this.sampleTimes().filter((sample) => sample < t).at(-1);
  }

  /** The first sample read after time t (undefined if none was). */
  sampleAfter(t: number): number | undefined {
    return this.sampleTimes().find((sample) => sample > t);
  }

  /**
   * The longest wait between two samples that bracket a moment in [from, to]: how late, at worst,
   * the table could show something that happened then (the real interval under load, not the set one).
   */
  longestGap(from = 0, to = Number.POSITIVE_INFINITY): number {
    const times = this.sampleTimes();
    let longest = 0;
    // Stryker disable next-line EqualityOperator: one step past the end compares with undefined, which never counts
    for (let index = 1; index < times.length; index++) {
      const [before, after] = [times[index - 1]!, times[index]!];
      if (after >= from && before <= to) longest = Math.max(longest, after - before);
    }
    return longest;
  }

  outputText(): string {
    return this.data.output.map((line) => line.text).join('\n');
  }

  /** The first sample taken at or after t (undefined if none was). */
  firstSampleAfter(t: number): number | undefined {
    return this.sampleTimes().find((sampleT) => sampleT >= t);
  }

  /** How many samples showed this process in that state (the STAT's first letter). */
  samplesIn(history: ProcessHistory, state: string, filter: SpanFilter = {}): number {
    return history.spansIn(state, filter).reduce((sum, span) => sum + this.samplesBetween(span.from, span.to), 0);
  }

  /** The STAT each sample taken in [from, to) showed for this process, in order ('' where it was not in the table). */
  statsBetween(history: ProcessHistory, from: number, to: number): string[] {
    return this.sampleTimes()
      .filter((sampleT) => sampleT >= from && sampleT < to)
      .map((sampleT) => history.record.spans.find((span) => span.from <= sampleT && sampleT < span.to)?.stat ?? '');
  }

  /**
   * The title the table showed for this process at time t ('' if it was not in the table then).
   * A process renamed twice between two samples shows only the second name.
   */
  titleAt(history: ProcessHistory, t: number): string {
    const record = history.record;
    if (t < record.firstSeen || (record.gone !== undefined && t >= record.gone)) return '';
    const renamed = record.events.filter((event) => (event.kind === 'title' || event.kind === 'exec') && event.t <= t).at(-1);
    if (renamed) return String(renamed.detail);
    const renames = record.events.some((event) => event.kind === 'title' || event.kind === 'exec');
    return record.firstTitle ?? (renames ? '' : record.title);
  }
}
