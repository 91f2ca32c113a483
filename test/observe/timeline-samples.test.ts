// The timeline's sample queries: tolerances in the lesson tests are counted in the samples the
// observer actually read, so these must count right.
import { describe, expect, test } from 'vitest';
import { Timeline, emptyTimeline, type ProcessRecord } from '../../lib/observe/timeline.js';

function record(pid: number, spans: ProcessRecord['spans']): ProcessRecord {
  return { id: `${pid}@1`, pid, startTicks: 1, firstSeen: spans[0]!.from, title: 'child', executable: 'node', pgid: 1, sid: 1, spans, events: [] };
}

// Samples at 0, 25, 50, 75, 200 (a late one), 225; a child Sl from 25, Zl at 75, Z from 200, gone at 225.
const data = emptyTimeline(1, 2, 25);
data.sampleTimes = [0, 25, 50, 75, 200, 225];
data.sampleCount = 6;
data.processes.push(
  record(7, [
    { from: 25, to: 75, stat: 'Sl', ppid: 1 },
    { from: 75, to: 200, stat: 'Zl', ppid: 1 },
    { from: 200, to: 225, stat: 'Z', ppid: 1 },
  ]),
);
const timeline = new Timeline(data);
const child = timeline.process(7)!;

describe('sample queries', () => {
  test('samplesBetween counts the samples that showed a span [from, to)', () => {
    expect(timeline.samplesBetween(25, 75)).toBe(2);
    expect(timeline.samplesBetween(75, 200)).toBe(1);
    expect(timeline.samplesBetween(0, 0)).toBe(0);
  });

  test('sampleBefore and sampleAfter are strict', () => {
    expect(timeline.sampleBefore(75)).toBe(50);
    expect(timeline.sampleBefore(0)).toBeUndefined();
    expect(timeline.sampleAfter(75)).toBe(200);
    expect(timeline.sampleAfter(225)).toBeUndefined();
  });

  test('longestGap finds the late sample, only where asked', () => {
    expect(timeline.longestGap()).toBe(125);
    expect(timeline.longestGap(0, 50)).toBe(25);
    expect(timeline.longestGap(100, 150)).toBe(125);
  });

  test('statAt reads the span a sample showed; samplesIn and reapableZombieSamples count them', () => {
    expect(child.statAt(50)).toBe('Sl');
    expect(child.statAt(75)).toBe('Zl');
    expect(child.statAt(200)).toBe('Z');
    expect(child.statAt(225)).toBeUndefined();
    expect(child.statAt(0)).toBeUndefined();
    expect(child.samplesIn('S')).toBe(2);
    expect(child.samplesIn('Z')).toBe(2);
    expect(child.samplesIn('Z', { ppid: 9 })).toBe(0);
    expect(child.reapableZombieSamples()).toBe(1);
  });

  test('a timeline recorded before sample times were kept has none', () => {
    const old = new Timeline({ ...emptyTimeline(1, 2, 25), sampleTimes: undefined });
    expect(old.sampleTimes()).toEqual([]);
    expect(old.samplesBetween(0, 100)).toBe(0);
  });
});
