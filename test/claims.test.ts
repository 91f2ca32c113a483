// The promise of the README: every claim a lesson makes about the table is asserted by its test.
import { describe, expect, test } from 'vitest';
import { claimsIn, lessonClaims } from './support/claims.js';

describe('claims as data', () => {
  const lessons = lessonClaims();

  test('the parser reads ids from the claims section only', () => {
    const markdown = ['## Before', '- [not-this] no', '## What the table will show', '- [one] a', '  - [two] b', 'text', '## After', '- [three] no'].join('\n');
    expect(claimsIn(markdown, '## What the table will show')).toEqual(['one', 'two']);
  });

  test.each(lessons.map((lesson) => [lesson.lesson, lesson] as const))('%s: every claim asserted, every assertion a claim, zh ids the same', (_name, lesson) => {
    expect(lesson.claims.length).toBeGreaterThan(0);
    expect(new Set(lesson.claims).size).toBe(lesson.claims.length);
    expect(lesson.unasserted).toEqual([]);
    expect(lesson.unknown).toEqual([]);
    expect(lesson.zhMismatch).toEqual([]);
  });
});
