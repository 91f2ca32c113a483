// The timeline: the record of one run, as the kernel showed it.
//
// The observer writes it; the live table, the plain log, the summary chart and the tests all read
// it. Times are milliseconds since the run started. It is plain data (JSON round-trips), wrapped
// in small query classes so a test reads like the claim it checks:
//   timeline.process(pid).timeIn('Z', { ppid: lessonPid })

export type EventKind = 'new' | 'exec' | 'title' | 'state' | 'zombie' | 'reparented' | 'exited' | 'reaped';

export interface ProcessEvent {
  t: number;
  kind: EventKind;
  /** For 'state': the new STAT; for 'reparented': the new PPID; for 'exec'/'title': the new name. */
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
  executable: string;
  pgid: number;
  sid: number;
  spans: Span[];
  events: ProcessEvent[];
  exit?: ExitInfo;
  /**
   * What first showed it: the kernel's fork report ('connector'), a sample of /proc ('sample'),
   * or a report of the lesson API that made the runner look at once ('report').
   */
  seenBy?: 'connector' | 'sample' | 'report';
}

export interface Checkpoint {
  t: number;
  name: string;
  pid: number;
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
   * 'sampling' (/proc read every interval, new children found below the followed processes).
   */
  sources?: Array<'connector' | 'sampling'>;
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

  /**
   * For how long it was a zombie its parent could reap, in ms. A Node process has several
   * threads: when its main thread exits, ps shows `Zl` until the others are gone too, and the
   * kernel lets no one reap it before; only a plain `Z` is waiting for its parent.
   */
  reapableZombieTime(): number {
    return this.spansIn('Z').filter((span) => !span.stat.includes('l')).reduce((sum, span) => sum + (span.to - span.from), 0);
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

  outputText(): string {
    return this.data.output.map((line) => line.text).join('\n');
  }
}
