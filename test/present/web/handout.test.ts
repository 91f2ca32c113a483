// Handouts (`--record FILE`): one self-contained HTML file with what the lesson printed and what
// the kernel showed; a path that cannot be written stops the run before the lesson starts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runLesson, runnerCli, type LessonRun } from '../../support/run-lesson.js';
import { plainLine } from '../../../lib/present/views/html.js';

function oneSentence(stderr: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^procbook: .+\.$/);
  expect(stderr).not.toMatch(/\n\s+at /);
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

describe('--record FILE: the handout of lesson 05', () => {
  let dir: string;
  let file: string;
  let run: LessonRun;
  let html: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'procbook-handout-'));
    file = join(dir, 'zombie.html');
    run = await runLesson('zombie', { pace: 0.3, args: ['--record', file] });
    html = readFileSync(file, 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('is written at the end, and the runner says where', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Handout saved: ${file}`);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    console.log(`handout of lesson 05: ${statSync(file).size} bytes`);
  });

  test('is self-contained: nothing to fetch, no script', () => {
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/\b(src|href|srcset|action)\s*=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html).not.toMatch(/<(script|link|iframe|img|object|embed)\b/i);
    expect(html).toMatch(/<style>/);
    expect(html).toMatch(/<svg class="timeline-chart"/);
  });

  test("has each process's row, in the chart and in the table, with how it ended", () => {
    const processes = run.timeline.data.processes;
    expect(processes.length).toBeGreaterThanOrEqual(2);
    for (const record of processes) {
      expect(html).toContain(`<g class="chart-row" data-pid="${record.pid}"`);
      const row = html.split('\n').find((line) => line.startsWith(`<tr class="process" data-pid="${record.pid}">`));
      expect(row, `the table row of ${record.pid}`).toBeDefined();
      expect(row).toContain(escape(record.title));
    }
    const child = run.timeline.process(run.timeline.fact<number>('child.pid')!)!;
    // The zombie stretch is drawn in the chart, and the table tells its ending.
    expect(html).toMatch(new RegExp(`data-pid="${child.pid}"[^]*?class="span state-Z"`));
    expect(html).toContain(`exit 3, reaped by ${run.timeline.data.lessonPid} (parent)`);
  });

  test('has the checkpoints, marked on the chart and listed', () => {
    const checkpoints = run.timeline.data.checkpoints;
    expect(checkpoints.length).toBeGreaterThanOrEqual(3);
    for (const checkpoint of checkpoints) {
      expect(html).toContain(`<g class="checkpoint" data-name="${checkpoint.name}"`);
      expect(html).toContain(`<li class="checkpoint"><b>${checkpoint.name}</b>`);
    }
  });

  test("has the lesson's output", () => {
    for (const line of run.timeline.data.output) expect(html).toContain(escape(plainLine(line.text)));
  });
});

describe('--record with a path that cannot be written', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'procbook-handout-'));
    mkdirSync(join(dir, 'a-folder'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('one sentence, exit 2, and the lesson is not run', () => {
    for (const target of [join(dir, 'no-such-folder', 'x.html'), join(dir, 'a-folder')]) {
      const result = spawnSync(process.execPath, [runnerCli, 'lesson', 'zombie', '--plain', '--record', target], {
        encoding: 'utf8',
        env: { ...process.env },
        input: '',
      });
      expect(result.status, target).toBe(2);
      oneSentence(result.stderr);
      expect(result.stderr).toContain('--record');
      expect(result.stdout).toBe(''); // not one line of the lesson
    }
  });
});

describe('a hostile process title', () => {
  test('ESC and BEL in a title never reach the handout: escaped text only, no control characters', async () => {
    const { escapeHtml } = await import('../../../lib/present/views/html.js');
    const title = 'evil\u001b]0;pwned\u0007<script>alert(1)</script>\u001b[31m';
    const safe = escapeHtml(title);
    expect(safe).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
    expect(safe).toBe('evil]0;pwned&lt;script&gt;alert(1)&lt;/script&gt;[31m');
  });
});
