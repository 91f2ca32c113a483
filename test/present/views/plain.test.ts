// The plain view: an append-only log of output lines and of the table when it changed.
import { describe, expect, test } from 'vitest';
import { createPlainView } from '../../../lib/present/views/plain.js';
import type { OutputLine } from '../../../lib/observe/timeline.js';
import { LESSON, RUNNER, row, viewState, zombieTimeline } from './fixtures.js';

function recorder(): { write: (text: string) => void; lines: () => string[]; take: () => string[] } {
  let text = '';
  let taken = 0;
  return {
    write: (more) => (text += more),
    lines: () => text.split('\n').slice(0, -1),
    take() {
      const all = text.split('\n').slice(0, -1);
      const fresh = all.slice(taken);
      taken = all.length;
      return fresh;
    },
  };
}

const parentRow = row({ pid: LESSON, ppid: RUNNER, stat: 'Ss', title: 'parent', startTicks: 1, firstSeen: 0 });
const childRow = row({ pid: 7515, ppid: LESSON, stat: 'S', title: 'child', startTicks: 2, firstSeen: 600 });

describe('createPlainView', () => {
  test('prints lines as they come and the table, stamped, only when it changed', () => {
    const out = recorder();
    const view = createPlainView({ write: out.write, color: false, width: 80 });
    const output: OutputLine[] = [{ t: 5, stream: 'stdout', text: 'parent 7504: hello' }];
    view.update(viewState({ output, rows: [parentRow], now: 1200 }));
    expect(out.take()).toEqual(['parent 7504: hello', '[1.20s]  PID PPID STAT  AGE TITLE', '        7504 4711 Ss   1.2s parent']);

    // Only the age ticked: nothing to print.
    view.update(viewState({ output, rows: [parentRow], now: 1400 }));
    view.update(viewState({ output, rows: [parentRow], now: 9400 }));
    expect(out.take()).toEqual([]);

    // A new line, then a new process: the line, then the table again.
    output.push({ t: 1500, stream: 'stdout', text: 'parent 7504: started a child' });
    view.update(viewState({ output, rows: [parentRow, childRow], now: 1600 }));
    expect(out.take()).toEqual([
      'parent 7504: started a child',
      '[1.60s]  PID PPID STAT  AGE TITLE',
      '        7504 4711 Ss   1.6s parent',
      '        7515 7504 S    1.0s └─ child',
    ]);

    // A change of state is a change.
    view.update(viewState({ output, rows: [parentRow, { ...childRow, stat: 'Z' }], now: 1800 }));
    expect(out.take()[2]).toBe('        7515 7504 Z    1.2s └─ child');
  });

  test('says once where step mode waits, and when the lesson finished', () => {
    const out = recorder();
    const view = createPlainView({ write: out.write, color: false, width: 80 });
    view.update(viewState({ rows: [parentRow], now: 100, stepMode: true, pausedAt: 'the child exits' }));
    view.update(viewState({ rows: [parentRow], now: 300, stepMode: true, pausedAt: 'the child exits' }));
    expect(out.lines().filter((line) => line.includes('paused'))).toEqual(['[0.10s] paused at: the child exits — press space']);
    view.update(viewState({ rows: [parentRow], now: 900, finished: { code: null, signal: 'SIGTERM' } }));
    expect(out.take().at(-1)).toBe('[0.90s] the lesson finished (killed by SIGTERM)');
  });

  test('close prints late lines and the summary chart', () => {
    const out = recorder();
    const view = createPlainView({ write: out.write, color: false, width: 80 });
    const timeline = zombieTimeline();
    view.update(viewState({ output: timeline.output.slice(0, 1), rows: [], now: 50 }));
    view.close(timeline);
    const lines = out.lines();
    expect(lines[0]).toBe('parent 7504: I am the parent');
    expect(lines[1]).toBe('child 7515: I am the child');
    expect(lines.filter((line) => line.includes('I am the parent'))).toHaveLength(1);
    expect(lines).toContain('What the kernel showed: 3 processes over 4s (one column = 0.06s)');
    expect(lines.join('\n')).not.toContain('\x1b[');
  });
});
