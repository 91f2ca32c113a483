// What the projector page is told to draw, from a hand-made table: who hangs from whom (the
// runner and PID 1 get boxes of their own when they adopt), and the words on each box.
import { describe, expect, test } from 'vitest';
import { diagramNodes } from '../../../lib/present/web/snapshot.js';
import { renderTimelineSvg } from '../../../lib/present/views/timeline-svg.js';
import { familyRows, LESSON, row, RUNNER } from '../views/fixtures.js';

describe('the diagram of the live table', () => {
  const nodes = diagramNodes(familyRows(), LESSON, RUNNER);
  const byTitle = (title: string) => nodes.find((node) => node.title === title)!;

  test('the runner on top, the lesson under it, PID 1 only because an orphan went there', () => {
    expect(nodes[0]).toMatchObject({ id: 'runner', pid: RUNNER, kind: 'runner', depth: 0 });
    expect(byTitle('parent')).toMatchObject({ parentId: 'runner', depth: 1 });
    expect(byTitle('init')).toMatchObject({ id: 'pid:1', kind: 'init', depth: 0 });
    expect(byTitle('stopped-orphan')).toMatchObject({ parentId: 'pid:1', adopted: true, stateName: 'stopped' });
    expect(diagramNodes([row({ pid: LESSON, ppid: RUNNER, stat: 'Ssl', title: 'parent' })], LESSON, RUNNER).map((node) => node.kind)).toEqual([
      'runner',
      'process',
    ]);
  });

  test('an orphan hangs from its adopter and says so; a zombie says it is not reaped; a reaped row says how it ended', () => {
    expect(byTitle('orphan')).toMatchObject({ parentId: 'runner', ppid: RUNNER, adopted: true, note: 'adopted by runner · born to 7545' });
    expect(byTitle('zombie-child')).toMatchObject({ stat: 'Z', stateName: 'zombie', note: 'exited · not reaped yet' });
    expect(byTitle('reaped-child')).toMatchObject({ gone: true, stat: '-', note: 'reaped · exit 3' });
    expect(byTitle('grandchild')).toMatchObject({ parentId: byTitle('child').id, depth: 3, note: 'PPID 7515' });
  });

  test('titles cannot inject markup into the chart', () => {
    const svg = renderTimelineSvg(
      {
        version: 1,
        startedAt: 0,
        lessonPid: LESSON,
        runnerPid: RUNNER,
        sampleIntervalMs: 200,
        sampleCount: 1,
        processes: [
          { id: 'a', pid: LESSON, startTicks: 1, firstSeen: 0, title: '<script>x</script>', executable: 'node', pgid: LESSON, sid: LESSON, spans: [{ from: 0, to: 500, stat: 'S', ppid: RUNNER }], events: [] },
        ],
        checkpoints: [{ t: 100, name: '"><b>', pid: LESSON }],
        facts: [],
        output: [],
      },
      { width: 600 },
    );
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('"><b>');
    expect(svg).toContain('&lt;script&gt;');
  });
});
