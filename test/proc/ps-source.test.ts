// The `ps` fallback (macOS, the BSDs) on scripted `ps` output: each column of each line read, the
// STAT flags turned into the fields /proc would give, a reused pid told apart by its start time.
import { execFileSync } from 'node:child_process';
import { beforeEach, expect, test, vi } from 'vitest';
import { PsSource } from '../../lib/proc/source.js';

vi.mock('node:child_process', async (original) => ({ ...(await original<typeof import('node:child_process')>()), execFileSync: vi.fn() }));
const ps = vi.mocked(execFileSync as (file: string, args: string[], options: object) => string);

const TABLE = [
  '    1     0     1 Ss   Mon Nov 23 19:36:01 2026     /sbin/launchd',
  '  100     1   100 Ssl+ Mon Nov 23 19:36:05 2026 node lesson.ts --x  y',
  '  101   100   100 SN   Mon Nov  2 09:06:06 2026 sleep 30',
  '  102   100   102 R<s  Tue Nov 24 00:00:00 2026 ',
  '  103   100   100 Z+   Mon Nov 23 19:36:07 2026 (sleep)',
  'a line that is not a process',
  '  104   100   100 S    not a date 2026 x',
  '',
].join('\n');

beforeEach(() => {
  ps.mockReset();
  ps.mockReturnValue(TABLE);
});

test('one `ps` for the whole table, asking for exactly the columns it reads', () => {
  expect(new PsSource().listPids()).toEqual([1, 100, 101, 102, 103]);
  expect(ps).toHaveBeenCalledTimes(1);
  expect(ps).toHaveBeenCalledWith('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat=,lstart=,args='], { encoding: 'utf8' });
});

test('each line becomes the stat /proc would give, as far as ps tells', () => {
  const source = new PsSource();
  source.listPids();
  expect(source.open(100)).toEqual({
    pid: 100,
    comm: 'node',
    state: 'S',
    ppid: 1,
    pgid: 100,
    sid: 100, // s: it leads its session
    ttyNr: 0,
    tpgid: 100, // +: its group is the terminal's foreground
    nice: 0,
    threads: 2, // l
    startTicks: Date.parse('Mon Nov 23 19:36:05 2026') / 1000,
    exitStatus: 0,
    utime: 0,
    stime: 0,
    args: 'node lesson.ts --x  y',
  });
  expect(source.open(101)).toMatchObject({ state: 'S', ppid: 100, pgid: 100, sid: -1, tpgid: -1, nice: 1, threads: 1, startTicks: Date.parse('Mon Nov 2 09:06:06 2026') / 1000 });
  expect(source.open(102)).toMatchObject({ state: 'R', sid: 102, tpgid: -1, nice: -1, threads: 1, comm: '', args: '' });
  expect(source.open(103)).toMatchObject({ state: 'Z', tpgid: 100, sid: -1 });
  expect(source.open(1)).toMatchObject({ comm: '/sbin/launchd', args: '/sbin/launchd' });
  expect(source.open(104)).toBeUndefined();
});

test('command line and executable from the args column; no environment', () => {
  const source = new PsSource();
  source.listPids();
  expect(source.commandLine(100)).toBe('node lesson.ts --x  y');
  expect(source.executable(101)).toBe('sleep');
  expect(source.commandLine(999)).toBe('');
  expect(source.executable(999)).toBe('');
  expect(source.environment()).toBeUndefined();
});

test('reread: the same process while its start time is the same; not a process with its pid started later', () => {
  const source = new PsSource();
  source.listPids();
  expect(source.reread(101)).toBeUndefined(); // never opened
  const first = source.open(101);
  expect(source.reread(101)).toEqual(first);
  ps.mockReturnValue(TABLE.replace('Mon Nov  2 09:06:06 2026 sleep 30', 'Mon Nov 23 19:40:00 2026 sleep 30'));
  source.listPids();
  expect(source.reread(101)).toBeUndefined();
  ps.mockReturnValue(TABLE.replace(/^ {2}101 .*$/m, ''));
  source.listPids();
  expect(source.reread(101)).toBeUndefined();
  expect(source.open(101)).toBeUndefined();
});

test('forget and close: a process forgotten is not re-read', () => {
  const source = new PsSource();
  source.listPids();
  source.open(100);
  source.open(101);
  source.forget(100);
  expect(source.reread(100)).toBeUndefined();
  expect(source.reread(101)).toBeDefined();
  source.close();
  expect(source.reread(101)).toBeUndefined();
});
