// The runner, a subreaper, collects the exit status of the orphans it adopted: only its own
// zombies, never the lesson itself (the engine waits for that one), and each status goes into the
// record as the runner's; and before the run ends, it looks for one the kernel's reports have not
// told of yet. waitpid is replaced here, so no real process is needed.
import { beforeEach, expect, test, vi } from 'vitest';
import { Observer } from '../../lib/observe/observer.js';
import { reapIfExited } from '../../lib/posix/index.js';
import { reapAdopted, settle } from '../../lib/run/cleanup.js';
import { ScriptedSource } from '../observe/scripted.js';

vi.mock('../../lib/posix/index.js', () => ({ reapIfExited: vi.fn() }));
const waitpid = vi.mocked(reapIfExited);

const LESSON = 5000;
type Alive = ReturnType<Observer['alive']>[number];

function observerWith(alive: Alive[]): { observer: Observer; exits: Array<[number, unknown]> } {
  const exits: Array<[number, unknown]> = [];
  const observer = { alive: () => alive, recordExit: (pid: number, info: unknown) => exits.push([pid, info]) } as unknown as Observer;
  return { observer, exits };
}

const zombie = (pid: number, ppid = process.pid): Alive => ({ pid, ppid, startTicks: 1, pgid: pid, state: 'Z' });

beforeEach(() => {
  waitpid.mockReset();
});

test('each adopted zombie is collected and its status recorded as the runner got it', () => {
  waitpid.mockImplementation((pid) => (pid === 11 ? { pid, code: 3, signal: null } : { pid, code: null, signal: 15 }));
  const { observer, exits } = observerWith([zombie(11), zombie(12)]);
  reapAdopted(observer, LESSON);
  expect(waitpid.mock.calls).toEqual([[11], [12]]);
  expect(exits).toEqual([
    [11, { code: 3, signal: null, source: 'runner' }],
    [12, { code: null, signal: 'SIGTERM', source: 'runner' }],
  ]);
});

test('not the lesson, not a zombie of another parent, not a process still running', () => {
  waitpid.mockReturnValue({ pid: 0, code: 0, signal: null });
  const { observer, exits } = observerWith([zombie(LESSON), zombie(13, 4242), { ...zombie(14), state: 'S' }, { ...zombie(15), state: 'R' }]);
  reapAdopted(observer, LESSON);
  expect(waitpid).not.toHaveBeenCalled();
  expect(exits).toEqual([]);
});

test('a zombie not ready to be collected yet records nothing; the next one still is collected', () => {
  waitpid.mockImplementation((pid) => (pid === 11 ? undefined : { pid, code: 0, signal: null }));
  const { observer, exits } = observerWith([zombie(11), zombie(12)]);
  reapAdopted(observer, LESSON);
  expect(waitpid).toHaveBeenCalledTimes(2);
  expect(exits).toEqual([[12, { code: 0, signal: null, source: 'runner' }]]);
});

test('where there is no waitpid, it stops at the first try (PID 1 collects them)', () => {
  waitpid.mockImplementation(() => {
    throw new Error('no waitpid here');
  });
  const { observer, exits } = observerWith([zombie(11), zombie(12)]);
  expect(() => reapAdopted(observer, LESSON)).not.toThrow();
  expect(waitpid).toHaveBeenCalledTimes(1);
  expect(exits).toEqual([]);
});

test("settle looks at the runner's children before it says nothing is left: an orphan whose fork report is unread is found and collected", async () => {
  // In a full run, Ctrl-C came as lesson 14 forked a buyer: the group's SIGTERM ended both, the
  // buyer became the runner's zombie, and the kernel's report of its fork was not read yet. The run
  // ended with it never collected in the record (a leftover), and collected only afterwards.
  const source = new ScriptedSource().set({ pid: LESSON, ppid: process.pid, pgid: LESSON, sid: LESSON, startTicks: 50 });
  const observer = new Observer({ rootPid: LESSON, runnerPid: process.pid, source, intervalMs: 10 });
  (observer as unknown as { kernel: object }).kernel = { close() {} }; // the kernel's reports: a plain sample admits nothing new
  observer.sample();
  source.remove(LESSON);
  source.set({ pid: 5001, ppid: process.pid, pgid: LESSON, sid: LESSON, startTicks: 60, state: 'Z', exitStatus: 15 });
  waitpid.mockImplementation((pid) => {
    source.remove(pid);
    return { pid, code: null, signal: 15 };
  });
  expect(await settle(observer, LESSON, 5000)).toBe(true);
  expect(waitpid.mock.calls).toEqual([[5001]]);
  const orphan = observer.timeline.processes.find((each) => each.pid === 5001);
  expect(orphan).toMatchObject({ reapedBy: process.pid, exit: { code: null, signal: 'SIGTERM' } });
  expect(orphan?.gone).toBeDefined();
});
