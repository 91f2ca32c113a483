// The runner, a subreaper, collects the exit status of the orphans it adopted: only its own
// zombies, never the lesson itself (the engine waits for that one), and each status goes into the
// record as the runner's. waitpid is replaced here, so no real process is needed.
import { beforeEach, expect, test, vi } from 'vitest';
import type { Observer } from '../../lib/observe/observer.js';
import { reapIfExited } from '../../lib/posix/index.js';
import { reapAdopted } from '../../lib/run/cleanup.js';

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
