// The RunRecord, the one writer of a run's record: what each method writes, and what it refuses to
// overwrite (the first exit status learnt, the run's first end).
import { expect, test } from 'vitest';
import { RunRecord } from '../../lib/observe/record.js';
import type { ProcessRecord, QuestionRecord } from '../../lib/observe/timeline.js';

const process_ = (pid: number, startTicks: number): ProcessRecord => ({
  id: `${pid}@${startTicks}`,
  pid,
  startTicks,
  firstSeen: 0,
  title: '',
  executable: '',
  pgid: pid,
  sid: pid,
  spans: [],
  events: [],
});

test('a new record: its pids and interval, nothing yet', () => {
  const record = new RunRecord(10, 20, 50);
  expect(record.data).toMatchObject({ lessonPid: 10, runnerPid: 20, sampleIntervalMs: 50, sampleCount: 0, sampleTimes: [], processes: [] });
});

test('output, checkpoints and facts are kept in order', () => {
  const record = new RunRecord(10, 20, 50);
  record.addOutput({ t: 1, stream: 'stdout', text: 'a' });
  record.addOutput({ t: 2, stream: 'runner', text: 'b' });
  record.addCheckpoint({ t: 3, name: 'forked', pid: 10 });
  record.addFact({ t: 4, name: 'pid', value: 11, pid: 10 });
  expect(record.data.output.map((line) => line.text)).toEqual(['a', 'b']);
  expect(record.data.checkpoints).toEqual([{ t: 3, name: 'forked', pid: 10 }]);
  expect(record.data.facts).toEqual([{ t: 4, name: 'pid', value: 11, pid: 10 }]);
});

test('questions: added in order, changed in place, the room counted', () => {
  const record = new RunRecord(10, 20, 50);
  expect(record.data.questions).toBeUndefined();
  const base: QuestionRecord = { t: 1, pid: 11, ask: 'stat', prompt: 'What STAT?', reveal: 'next-step', choices: ['S', 'Z'] };
  const first = record.addQuestion(base);
  const second = record.addQuestion({ ...base, t: 2 });
  expect(first).toBe(base);
  expect(record.data.questions).toEqual([base, second]);
  record.updateQuestion(first, { answer: 'Z', right: true });
  expect(record.data.questions![0]).toMatchObject({ answer: 'Z', right: true, prompt: 'What STAT?' });
  const counts = { S: 2, Z: 5 };
  record.setRoomAnswers(first, counts);
  counts.S = 100; // the record keeps its own copy
  expect(first.room).toEqual({ counts: { S: 2, Z: 5 }, total: 7 });
  record.setRoomAnswers(second, {});
  expect(second.room).toEqual({ counts: {}, total: 0 });
});

test('the end is set once: the first end reported is how the run ended', () => {
  const record = new RunRecord(10, 20, 50);
  record.setEnd({ t: 5, code: 0, signal: null });
  record.setEnd({ t: 6, code: null, signal: 'SIGKILL' });
  expect(record.data.end).toEqual({ t: 5, code: 0, signal: null });
});

test('latest: the newest process with that pid (pids are reused)', () => {
  const record = new RunRecord(10, 20, 50);
  expect(record.latest(11)).toBeUndefined();
  record.addProcess(process_(11, 1));
  record.addProcess(process_(12, 1));
  record.addProcess(process_(11, 9));
  expect(record.latest(11)!.id).toBe('11@9');
  expect(record.latest(12)!.id).toBe('12@1');
  expect(record.latest(13)).toBeUndefined();
  expect(record.data.processes.map((each) => each.id)).toEqual(['11@1', '12@1', '11@9']);
});

test('of the reports of an exit, the earliest wins, whichever was learnt first', () => {
  const record = new RunRecord(10, 20, 50);
  const child = process_(11, 1);
  record.addProcess(child);
  record.setExit(child, { t: 5, code: 3, signal: null, source: 'kernel' });
  record.setExit(child, { t: 6, code: 3, signal: null, source: 'parent' });
  expect(child.exit).toEqual({ t: 5, code: 3, signal: null, source: 'kernel' });
  // The parent's report read first, the kernel's (of an earlier moment) after it.
  const other = process_(12, 1);
  record.addProcess(other);
  record.setExit(other, { t: 9, code: 0, signal: null, source: 'parent' });
  record.setExit(other, { t: 7, code: 0, signal: null, source: 'kernel' });
  expect(other.exit).toEqual({ t: 7, code: 0, signal: null, source: 'kernel' });
  record.setExit(other, { t: 7, code: 0, signal: null, source: 'runner' }); // as early: the first stays
  expect(other.exit!.source).toBe('kernel');
});

test('samples are counted with their times; the sources are recorded', () => {
  const record = new RunRecord(10, 20, 50);
  record.countSample(0);
  record.countSample(51.5);
  expect(record.data.sampleCount).toBe(2);
  expect(record.data.sampleTimes).toEqual([0, 51.5]);
  const old = new RunRecord(10, 20, 50);
  delete old.data.sampleTimes; // a record read back from before sample times were kept
  old.countSample(7);
  expect(old.data.sampleTimes).toEqual([7]);
  record.setSources(['connector', 'sampling']);
  expect(record.data.sources).toEqual(['connector', 'sampling']);
});
