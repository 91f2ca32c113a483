// The kernel-decoding core: a stat line, the STAT column, a wait status. Every value the kernel
// can give is tried, so a wrong mask, a wrong column or a wrong comparison fails here first.
import { constants } from 'node:os';
import { describe, expect, test } from 'vitest';
import { decodeWaitStatus, parseStat, psStat, type ProcStat } from '../../lib/proc/stat.js';
import { defaults, statLine } from './line.js';

describe('parseStat', () => {
  test('reads every field from its own column', () => {
    expect(parseStat(statLine({ exitStatus: 134 }))).toEqual({ ...defaults, exitStatus: 134 });
  });

  test('a real line of this very process parses to its own pid and parent', async () => {
    const { readStat } = await import('../../lib/proc/read.js');
    const self = readStat('self')!;
    expect(self.pid).toBe(process.pid);
    expect(self.ppid).toBe(process.ppid);
    // The line is the main thread's: it runs (R) when it is the one reading, it sleeps (S) when a
    // worker thread reads (the mutation run's test pool): alive either way.
    expect(['R', 'S']).toContain(self.state);
    expect(self.threads).toBeGreaterThan(1); // Node has worker threads
    expect(self.startTicks).toBeGreaterThan(0);
  });

  test.each([
    ['spaces', 'my child'],
    ['a closing parenthesis', 'a) S 1 2 3'],
    ['parentheses both ways', ')(x)('],
    ['only parentheses', '()'],
    ['a newline', 'two\nlines'],
    ['an empty name', ''],
    ['digits and a state letter', '12 (Z) 9'],
  ])('a command name with %s is read whole, and the fields after it are not shifted', (_, comm) => {
    const stat = parseStat(statLine({ comm, state: 'Z', ppid: 77, startTicks: 5, exitStatus: 9 }))!;
    expect(stat.comm).toBe(comm);
    expect(stat).toMatchObject({ pid: defaults.pid, state: 'Z', ppid: 77, startTicks: 5, exitStatus: 9 });
  });

  test('the pid may be padded with spaces', () => {
    expect(parseStat(`  17 ${statLine().split(' ').slice(1).join(' ')}`)?.pid).toBe(17);
  });

  test('negative numbers (no terminal: tpgid -1; nice -20) are read as negative', () => {
    expect(parseStat(statLine({ tpgid: -1, nice: -20 }))).toMatchObject({ tpgid: -1, nice: -20 });
  });

  test('a line without the exit code (kernels before 3.5) reads exit status 0', () => {
    // 48 numbers after the state: every field up to 51, not 52.
    const stat = parseStat(statLine({ exitStatus: 7 }, 48))!;
    expect(stat).toBeDefined();
    expect(stat.exitStatus).toBe(0);
    expect(parseStat(statLine({ exitStatus: 7 }, 49))!.exitStatus).toBe(7);
  });

  test('the shortest line it accepts has the start time (20 fields after the name)', () => {
    expect(parseStat(statLine({ startTicks: 31 }, 19))).toMatchObject({ startTicks: 31, exitStatus: 0 });
    expect(parseStat(statLine({}, 18))).toBeUndefined();
    // Whitespace at the end is no field.
    expect(parseStat(statLine({}, 18).replace('\n', ' \n'))).toBeUndefined();
  });

  test.each([
    ['no parenthesis', '4242 node S 1 2 3'],
    ['no closing parenthesis', '4242 (node S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20'],
    ['no opening parenthesis', '4242 node) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20'],
    ['a closing parenthesis before the opening one', '4242 )node( S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20'],
    ['nothing', ''],
  ])('a line with %s is not a stat line', (_, line) => {
    expect(parseStat(line)).toBeUndefined();
  });
});

/** A stat with every modifier off: a plain sleeping process outside its terminal's foreground. */
function stat(fields: Partial<ProcStat> = {}): ProcStat {
  return { ...defaults, pid: 10, sid: 20, pgid: 30, tpgid: 40, nice: 0, threads: 1, ...fields };
}

describe('psStat builds the STAT column as procps does', () => {
  test.each(['R', 'S', 'D', 'T', 't', 'Z', 'X', 'I'])('the state letter %s alone, with no modifier', (state) => {
    expect(psStat(stat({ state }))).toBe(state);
  });

  test('< for a raised priority (nice < 0), N for a lowered one (nice > 0), nothing at 0', () => {
    expect(psStat(stat({ nice: -1 }))).toBe('S<');
    expect(psStat(stat({ nice: -20 }))).toBe('S<');
    expect(psStat(stat({ nice: 1 }))).toBe('SN');
    expect(psStat(stat({ nice: 19 }))).toBe('SN');
    expect(psStat(stat({ nice: 0 }))).toBe('S');
  });

  test('s when the process leads its session (sid == pid), not when only its group does', () => {
    expect(psStat(stat({ sid: 10 }))).toBe('Ss');
    expect(psStat(stat({ pgid: 10 }))).toBe('S');
  });

  test('l with more than one thread, not with one', () => {
    expect(psStat(stat({ threads: 2 }))).toBe('Sl');
    expect(psStat(stat({ threads: 11 }))).toBe('Sl');
    expect(psStat(stat({ threads: 1 }))).toBe('S');
  });

  test("+ when its process GROUP is the terminal's foreground group (pgid == tpgid), whatever its pid", () => {
    expect(psStat(stat({ pgid: 40, tpgid: 40 }))).toBe('S+');
    // A child in the foreground group: its pid is not the group's, it is still in the foreground.
    expect(psStat(stat({ pid: 41, pgid: 40, tpgid: 40 }))).toBe('S+');
    // A group leader whose group is not the foreground one: its pid equals nothing, no +.
    expect(psStat(stat({ pid: 40, pgid: 40, sid: 20, tpgid: 50 }))).toBe('S');
    // pid == tpgid but in another group (cannot happen for a leader; the + follows the group).
    expect(psStat(stat({ pid: 40, pgid: 30, tpgid: 40 }))).toBe('S');
    // No terminal: tpgid -1 matches no group.
    expect(psStat(stat({ tpgid: -1 }))).toBe('S');
  });

  test('the modifiers come in procps order: state, < or N, s, l, +', () => {
    expect(psStat(stat({ state: 'S', nice: -5, sid: 10, threads: 7, pgid: 40, tpgid: 40 }))).toBe('S<sl+');
    expect(psStat(stat({ state: 'R', nice: 5, sid: 10, threads: 2, pgid: 40, tpgid: 40 }))).toBe('RNsl+');
    expect(psStat(stat({ state: 'Z', threads: 3 }))).toBe('Zl');
    expect(psStat(stat({ state: 'T', sid: 10 }))).toBe('Ts');
  });
});

test('a signal number without a name is called by its number', async () => {
  const { signalName } = await import('../../lib/proc/signals.js');
  expect(signalName(99)).toBe('signal 99');
});

describe('decodeWaitStatus', () => {
  test('every exit code 0..255 (status = code << 8) comes back as that code, no signal', () => {
    for (let code = 0; code <= 255; code++) {
      expect(decodeWaitStatus(code << 8), `exit ${code}`).toEqual({ code, signal: null });
    }
  });

  test('every signal 1..64 (status = signal), with and without the core-dump bit 0x80', () => {
    for (let signal = 1; signal <= 64; signal++) {
      expect(decodeWaitStatus(signal), `signal ${signal}`).toEqual({ code: null, signal });
      expect(decodeWaitStatus(signal | 0x80), `signal ${signal} with core`).toEqual({ code: null, signal });
    }
  });

  test("the kernel's statuses for the lessons' endings: exit 134 is a code, SIGABRT with a core is a signal", () => {
    expect(decodeWaitStatus(134 << 8)).toEqual({ code: 134, signal: null });
    expect(decodeWaitStatus(143 << 8)).toEqual({ code: 143, signal: null });
    expect(decodeWaitStatus(constants.signals.SIGABRT | 0x80)).toEqual({ code: null, signal: constants.signals.SIGABRT });
    expect(decodeWaitStatus(constants.signals.SIGKILL)).toEqual({ code: null, signal: 9 });
  });
});
