// The RunRecord: the one writer of a run's record.
//
// Everything that happens in a run reaches the record through these methods: what the observer
// sampled (processes, their spans and events: observer.ts, beside this file), what the program
// printed, what a lesson reported on its control channel (checkpoints, facts, a child's exit
// status as its parent got it), predict mode's questions, and how the run ended. Views, tests,
// the handout and `--json` read the same data; nothing outside lib/observe writes it.
import type { Checkpoint, ExitInfo, Fact, OutputLine, ProcessRecord, QuestionRecord, TimelineData } from './timeline.js';
import { emptyTimeline } from './timeline.js';

export class RunRecord {
  readonly data: TimelineData;

  constructor(rootPid: number, runnerPid: number, intervalMs: number) {
    this.data = emptyTimeline(rootPid, runnerPid, intervalMs);
  }

  /** A line the program (or the runner, among the program's lines) printed. */
  addOutput(line: OutputLine): void {
    this.data.output.push(line);
  }

  addCheckpoint(checkpoint: Checkpoint): void {
    this.data.checkpoints.push(checkpoint);
  }

  addFact(fact: Fact): void {
    this.data.facts.push(fact);
  }

  /** A prediction asked (`--predict`); later changes go through `updateQuestion`. */
  addQuestion(question: QuestionRecord): QuestionRecord {
    (this.data.questions ??= []).push(question);
    return question;
  }

  /** The student's answer, the moment it is about, what the table showed. */
  updateQuestion(question: QuestionRecord, changes: Partial<QuestionRecord>): void {
    Object.assign(question, changes);
  }

  /** The room's answers to a question (`--predict --web`): how many chose each value, when the terminal answered. */
  setRoomAnswers(question: QuestionRecord, counts: Record<string, number>): void {
    question.room = { counts: { ...counts }, total: Object.values(counts).reduce((sum, count) => sum + count, 0) };
  }

  /** How the run's first process ended (set once). */
  setEnd(end: { t: number; code: number | null; signal: string | null }): void {
    if (!this.data.end) this.data.end = end;
  }

  // ---- what the observer writes (only observer.ts calls these) ----

  addProcess(record: ProcessRecord): void {
    this.data.processes.push(record);
  }

  /** The last process seen with this pid (a pid is reused; the newest is the one meant). */
  latest(pid: number): ProcessRecord | undefined {
    for (let index = this.data.processes.length - 1; index >= 0; index--) {
      if (this.data.processes[index]!.pid === pid) return this.data.processes[index];
    }
    return undefined;
  }

  /**
   * An exit status (the kernel's report or zombie status, the parent's report, a waitpid). Every
   * report is of the one end, each dated when its source knew it: the earliest is the closest to
   * it, whichever was read first. (A parent's 'exit' handler can be read before the kernel's
   * report of the same exit, on a busy runner, and is dated later: after the parent had reaped it.)
   */
  setExit(record: ProcessRecord, info: ExitInfo): void {
    if (!record.exit || info.t < record.exit.t) record.exit = info;
  }

  /** Which sources of processes this run used (see TimelineData.sources). */
  setSources(sources: Array<'connector' | 'perf' | 'sampling'>): void {
    this.data.sources = sources;
  }

  countSample(t: number): void {
    this.data.sampleCount++;
    (this.data.sampleTimes ??= []).push(t);
  }
}
