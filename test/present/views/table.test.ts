// The live table, on hand-made rows: tree, adoption, gone rows, colours, alignment.
import stringWidth from 'string-width';
import { describe, expect, test } from 'vitest';
import { renderTable, tableSignature } from '../../../lib/present/views/table.js';
import { stripAnsi } from '../../../lib/present/views/text.js';
import { LESSON, RUNNER, TABLE_OPTIONS, familyRows, row } from './fixtures.js';

/** The table's lines without colour, and the TITLE column of each (from where the header says it starts). */
function titles(lines: string[]): string[] {
  const plain = lines.map(stripAnsi);
  const at = plain[0]!.indexOf('TITLE');
  return plain.slice(1).map((line) => line.slice(at));
}

describe('renderTable', () => {
  test('draws the tree under each current parent, siblings by start time', () => {
    const lines = renderTable(familyRows(), TABLE_OPTIONS);
    expect(lines[0]).toMatch(/^ PID PPID STAT +AGE TITLE$/);
    expect(titles(lines)).toEqual([
      'parent',
      '├─ child',
      '│  └─ grandchild',
      '├─ reaped-child  exited · exit 3',
      '└─ zombie-child',
      'orphan  adopted by 4711 (runner), born to 7545',
      'stopped-orphan  adopted by 1 (init), born to 7545',
    ]);
  });

  test('a change of state does not move a row', () => {
    const before = renderTable(familyRows(), TABLE_OPTIONS).map((line) => line.slice(0, 5));
    const changed = familyRows().map((each) => (each.pid === 7515 ? { ...each, stat: 'Z' } : each.pid === 7540 ? { ...each, stat: 'Rl' } : each));
    const after = renderTable(changed, TABLE_OPTIONS).map((line) => line.slice(0, 5));
    expect(after).toEqual(before);
  });

  test('an orphan moves to the top level the moment it is re-parented', () => {
    const rows = [
      row({ pid: LESSON, ppid: RUNNER, stat: 'Ss', title: 'parent', startTicks: 1 }),
      row({ pid: 8000, ppid: LESSON, stat: 'S', title: 'middle', startTicks: 2 }),
      row({ pid: 8001, ppid: 8000, stat: 'S', title: 'grandchild', startTicks: 3 }),
    ];
    expect(titles(renderTable(rows, TABLE_OPTIONS))).toEqual(['parent', '└─ middle', '   └─ grandchild']);
    const adopted = [rows[0]!, { ...rows[2]!, ppid: RUNNER }];
    expect(titles(renderTable(adopted, TABLE_OPTIONS))).toEqual(['parent', 'grandchild  adopted by 4711 (runner), born to 8000']);
  });

  test('an orphan adopted by a subreaper of the lesson nests under it, named by its title', () => {
    const rows = [
      row({ pid: LESSON, ppid: RUNNER, stat: 'Ss', title: 'reaper', startTicks: 1 }),
      row({ pid: 8001, ppid: LESSON, bornTo: 8000, stat: 'S', title: 'grandchild', startTicks: 3 }),
    ];
    expect(titles(renderTable(rows, TABLE_OPTIONS))).toEqual(['reaper', '└─ grandchild  adopted by 7504 (reaper), born to 8000']);
  });

  test('a reused pid: the child goes under the process that can be its parent', () => {
    const rows = [
      row({ pid: LESSON, ppid: RUNNER, stat: 'Ss', title: 'parent', startTicks: 1 }),
      row({ pid: 8000, ppid: LESSON, stat: 'Z', title: 'old 8000', startTicks: 2, gone: 100 }),
      row({ pid: 8000, ppid: LESSON, stat: 'S', title: 'new 8000', startTicks: 50, id: '8000@50' }),
      row({ pid: 8001, ppid: 8000, stat: 'S', title: 'child of new', startTicks: 60 }),
    ];
    expect(titles(renderTable(rows, TABLE_OPTIONS))).toEqual(['parent', '├─ old 8000  exited', '└─ new 8000', '   └─ child of new']);
  });

  test('a gone row is dimmed, has no STAT and says how it ended', () => {
    const lines = renderTable(familyRows(), { ...TABLE_OPTIONS, color: true });
    const gone = lines.find((line) => line.includes('reaped-child'))!;
    expect(gone.startsWith('\x1b[2m')).toBe(true);
    expect(stripAnsi(gone)).toMatch(/^7570 7504 -    1\.0s ├─ reaped-child  exited · exit 3$/);
    const killed = renderTable(
      [row({ pid: 9, ppid: 8, stat: 'S', title: 'victim', gone: 10, exit: { t: 5, code: null, signal: 'SIGKILL', source: 'parent' } })],
      TABLE_OPTIONS,
    );
    expect(killed[1]).toContain('victim  exited · killed by SIGKILL');
    // The others are not dimmed.
    expect(lines.find((line) => line.includes('zombie-child'))!.startsWith('\x1b[2m')).toBe(false);
  });

  test('STAT colours: Z red and bold, R green, T yellow, S plain; none without colour', () => {
    const lines = renderTable(familyRows(), { ...TABLE_OPTIONS, color: true });
    const lineOf = (title: string): string => lines.find((each) => each.includes(title))!;
    expect(lineOf('zombie-child')).toContain(' \x1b[1m\x1b[31mZ   \x1b[39m\x1b[22m 1.3s');
    expect(lineOf('grandchild')).toContain(' \x1b[32mRl  \x1b[39m 1.6s');
    expect(lineOf('stopped-orphan')).toContain(' \x1b[33mTl  \x1b[39m 1.1s');
    expect(lineOf('├─ child')).toContain(' Sl   2.0s');
    expect(renderTable(familyRows(), TABLE_OPTIONS).join('\n')).not.toContain('\x1b[');
  });

  test('right-aligned numbers whatever their length', () => {
    const lines = renderTable(
      [row({ pid: 99, ppid: 1, stat: 'S', title: 'short', startTicks: 1 }), row({ pid: 1234567, ppid: 99, stat: 'S', title: 'long', startTicks: 2 })],
      TABLE_OPTIONS,
    );
    expect(lines).toEqual(['    PID PPID STAT  AGE TITLE', '     99    1 S    2.5s short', '1234567   99 S    2.5s └─ long']);
  });

  test('CJK titles keep the columns aligned and are cut at the width without overflow', () => {
    const rows = [
      row({ pid: LESSON, ppid: RUNNER, stat: 'Ss', title: '父进程', startTicks: 1 }),
      row({ pid: 7600, ppid: LESSON, stat: 'Z', title: '僵尸进程 zombie 子进程', startTicks: 2 }),
      row({ pid: 7601, ppid: LESSON, stat: 'S', title: 'child', startTicks: 3 }),
    ];
    const lines = renderTable(rows, TABLE_OPTIONS);
    // Every column starts at the same cell on every line, the title after its tree prefix.
    expect(lines).toEqual([
      ' PID PPID STAT  AGE TITLE',
      '7504 4711 Ss   2.5s 父进程',
      '7600 7504 Z    2.5s ├─ 僵尸进程 zombie 子进程',
      '7601 7504 S    2.5s └─ child',
    ]);
    expect(stringWidth(lines[2]!.slice(0, lines[2]!.indexOf('僵')))).toBe(23);
    // 31 cells: the cut falls in the middle of a two-cell character; the line must not exceed it.
    for (const width of [28, 29, 30, 31, 32, 33]) {
      for (const line of renderTable(rows, { ...TABLE_OPTIONS, width })) expect(stringWidth(line)).toBeLessThanOrEqual(width);
    }
    expect(renderTable(rows, { ...TABLE_OPTIONS, width: 32 })[2]).toBe('7600 7504 Z    2.5s ├─ 僵尸进程…');
    expect(renderTable(rows, { ...TABLE_OPTIONS, width: 31 })[2]).toBe('7600 7504 Z    2.5s ├─ 僵尸进…');
  });

  test('short of room, the marks shorten before they go, and the title gives way first', () => {
    const widthOf = (width: number): string[] => titles(renderTable(familyRows(), { ...TABLE_OPTIONS, width }));
    expect(widthOf(60)[5]).toBe('orphan  adopted by 4711 (runner)');
    expect(widthOf(47)[5]).toBe('orphan  adopted by runner');
    expect(widthOf(47)[6]).toBe('stopped-o…  adopted by init');
    expect(widthOf(40)[6]).toBe('stopped-or…  adopted');
    for (const width of [20, 30, 40, 50]) {
      for (const line of renderTable(familyRows(), { ...TABLE_OPTIONS, width })) expect(stringWidth(line)).toBeLessThanOrEqual(width);
    }
  });

  test('AGE ticks from when the row was first seen; it stops when the process is gone; it can be left out', () => {
    const lines = renderTable(familyRows(), { ...TABLE_OPTIONS, now: 65_000 });
    expect(lines.find((line) => line.includes('parent'))).toContain(' 1m05s parent');
    expect(lines.find((line) => line.includes('reaped-child'))).toContain(' 1.0s ├─ reaped-child');
    const noAge = renderTable(familyRows(), { ...TABLE_OPTIONS, showAge: false });
    expect(noAge[0]).toBe(' PID PPID STAT TITLE');
    expect(noAge[1]).toBe('7504 4711 Ssl  parent');
  });
});

describe('tableSignature', () => {
  const drawn = (rows: ReturnType<typeof familyRows>): string => renderTable(rows, { ...TABLE_OPTIONS, showAge: false }).join('\n');
  const mutations: Array<[string, (each: ReturnType<typeof familyRows>[number]) => Partial<ReturnType<typeof familyRows>[number]>]> = [
    ['pid', (each) => ({ pid: each.pid + 100 })],
    ['ppid', (each) => ({ ppid: 1 })],
    ['born to', (each) => ({ bornTo: each.bornTo + 1 })],
    ['start', (each) => ({ startTicks: -each.startTicks })],
    ['state', (each) => ({ stat: each.stat === 'Z' ? 'S' : 'Z' })],
    ['gone', (each) => ({ gone: each.gone === undefined ? 2400 : undefined })],
    ['exit code', () => ({ exit: { t: 1, code: 9, signal: null, source: 'kernel' } })],
    ['killed', () => ({ exit: { t: 1, code: null, signal: 'SIGKILL', source: 'kernel' } })],
    ['title', (each) => ({ title: `${each.title}x` })],
  ];

  test.each(mutations)('a row drawn differently (its %s changed) has another signature', (_name, change) => {
    const rows = familyRows();
    let differed = 0;
    rows.forEach((_each, index) => {
      const changed = rows.map((each, at) => (at === index ? { ...each, ...change(each) } : each));
      if (drawn(changed) === drawn(rows)) return;
      differed++;
      expect(tableSignature(changed)).not.toBe(tableSignature(rows));
    });
    expect(differed).toBeGreaterThan(0);
  });

  test('age alone does not change it: the plain view then draws nothing', () => {
    const rows = familyRows();
    const older = rows.map((each) => ({ ...each, firstSeen: each.firstSeen - 700 }));
    expect(tableSignature(older)).toBe(tableSignature(rows));
    expect(drawn(older)).toBe(drawn(rows));
  });
});
