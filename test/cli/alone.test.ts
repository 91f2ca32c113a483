// Two ways of running without the usual pieces: a lesson alone through tsx (as the README tells a
// student), and the observer reading `ps` instead of /proc (what it does where there is no /proc).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, onTestFinished, test } from 'vitest';
import { Observer } from '../../lib/observe/observer.js';
import { PsSource } from '../../lib/proc/source.js';
import { Timeline } from '../../lib/observe/timeline.js';
import { endEverything } from '../../lib/run/cleanup.js';
import { projectRoot, stillRunning, until } from '../support/run-lesson.js';

let observer: Observer | undefined;
let root = 0;
afterEach(async () => {
  if (observer) await endEverything(observer, root, { termMs: 500, killMs: 1000 });
  observer = undefined;
});

test('`npx tsx lessons/01-fork/lesson.ts` runs the lesson alone: a parent and its child, nothing left', async () => {
  const tsx = join(projectRoot, 'node_modules/.bin/tsx');
  // tsx keeps a cache of compiled files in the temporary folder: give it one of its own.
  const cache = mkdtempSync(join(tmpdir(), 'procbook-tsx-'));
  onTestFinished(() => rmSync(cache, { recursive: true, force: true }));
  const lesson = spawn(tsx, [join(projectRoot, 'lessons/01-fork/lesson.ts')], {
    stdio: 'ignore',
    env: { ...process.env, PROCBOOK_PACE: '0.2', TMPDIR: cache },
    detached: true,
  });
  root = lesson.pid!;
  observer = new Observer({ rootPid: root, intervalMs: 25 });
  const exited = new Promise<number | null>((resolve) => lesson.once('exit', resolve));
  observer.start();
  expect(await exited).toBe(0);
  await until(() => observer!.alive().length === 0, 5000, 'every process of the lesson to end');
  const timeline = new Timeline(observer.stop());
  const [parent] = timeline.titled('parent');
  expect(parent).toBeDefined();
  const children = parent!.children().map((child) => child.title);
  expect(children).toContain('child');
  expect(stillRunning(timeline)).toEqual([]);
}, 30_000);

test('the `ps` fallback sees the same tree and states as /proc: a sleeping child and a zombie', async () => {
  const parent = spawn(process.execPath, ['-e', `
    const { spawn } = require('child_process');
    spawn('sleep', ['30'], { stdio: 'ignore' });
    spawn('sh', ['-c', 'sleep 0.3; exit 4'], { stdio: 'ignore' }); // exits while the loop is blocked
    setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000), 100);
  `], { stdio: 'ignore', env: { ...process.env } });
  root = parent.pid!;
  observer = new Observer({ rootPid: root, intervalMs: 25, source: new PsSource() });
  await until(() => {
    observer!.sample();
    return observer!.alive().some((each) => each.state === 'Z') && observer!.alive().length === 3;
  }, 5000, 'the zombie, through ps');
  const rows = observer.rows();
  const children = rows.filter((row) => row.ppid === root);
  expect(children.map((row) => row.stat[0]).sort()).toEqual(['S', 'Z']);
  expect(children.find((row) => row.stat.startsWith('S'))!.title).toBe('sleep 30');
});
