// --step holds the zombie: lesson 05's parent blocks its event loop (so Node cannot reap), and in
// step mode that block lasts until the teacher's key — a blocking read on the control channel, as
// no promise can resolve while the loop is blocked. Here a key is a line on the runner's stdin; the
// test holds each pause for a while, and the timeline must show the child Z all that time.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { Timeline } from '../../lib/observe/timeline.js';
import { runnerCli, stillRunning, until } from '../support/run-lesson.js';

const PACE = 0.3;
/** How long the teacher talks at each pause: far longer than the lesson's own 3.5 s × pace block. */
const HOLD_MS = 1500;

test('--step: lesson 05 keeps the child Z until the key, for as long as the teacher waited', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'procbook-step-zombie-'));
  const jsonPath = join(dir, 'timeline.json');
  try {
    const runner = spawn(process.execPath, [runnerCli, 'lesson', 'zombie', '--step', '--plain', '--pace', String(PACE), '--interval', '25', '--json', jsonPath], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    runner.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => runner.once('exit', resolve));
    const pauses = (): string[] => [...stdout.matchAll(/paused at: (.*) — press space/g)].map((match) => match[1]!);
    const pressedAt: Array<{ name: string; before: number }> = [];
    try {
      for (let presses = 0; presses < 10; presses++) {
        await until(() => pauses().length > presses || runner.exitCode !== null, 15_000, `pause ${presses + 1}`);
        if (pauses().length <= presses) break;
        await new Promise((resolve) => setTimeout(resolve, HOLD_MS)); // the teacher talks
        pressedAt.push({ name: pauses()[presses]!, before: Date.now() });
        runner.stdin.write('\n');
        await until(() => pauses().length > presses + 1 || stdout.includes('the lesson finished'), 15_000, 'the next pause or the end');
        if (stdout.includes('the lesson finished') && pauses().length === presses + 1) break;
      }
      expect(await exited).toBe(0);
    } finally {
      runner.kill('SIGKILL');
      runner.stdin.destroy();
    }
    // Two held states besides the steps: the zombie, and the zombie after kill -9.
    expect(pressedAt.map((press) => press.name)).toEqual([
      'A child that will finish quickly',
      'The parent is busy when its child exits',
      'the child is a zombie',
      'kill -9 changed nothing',
      'The event loop runs again: Node reaps the zombie',
    ]);
    const timeline = Timeline.fromJSON(readFileSync(jsonPath, 'utf8'));
    const child = timeline.process(timeline.fact<number>('child.pid')!)!;
    const held = timeline.checkpoint('the child is a zombie')!;
    const free = timeline.data.facts.find((fact) => fact.name === 'parent.free')!;
    // The block lasted through both pauses: at least the teacher's two waits.
    expect(free.t - held.t).toBeGreaterThanOrEqual(2 * HOLD_MS * 0.9);
    // One span of plain Z under the lesson, from before the first hold to after the parent was free …
    const zombie = child.spansIn('Z').filter((span) => !span.stat.includes('l'));
    expect(zombie).toHaveLength(1);
    expect(zombie[0]!.ppid).toBe(timeline.data.lessonPid);
    expect(zombie[0]!.from).toBeLessThanOrEqual(held.t);
    expect(zombie[0]!.to).toBeGreaterThan(free.t);
    // … and every sample in between showed it Z.
    const between = timeline.sampleTimes().filter((t) => t > held.t && t < free.t);
    expect(between.length).toBeGreaterThan(10);
    for (const t of between) expect(child.statAt(t), `sample at ${t} ms`).toMatch(/^Z[N<]?$/);
    // Reaped once the loop ran again, and nothing left.
    expect(child.record.reapedBy).toBe(timeline.data.lessonPid);
    expect(stillRunning(timeline)).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
