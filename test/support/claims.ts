// Claims as data. Each bullet of a lesson README's "What the table will show" section starts with
// a claim id in square brackets, e.g. `- [zombie-held] The child's row turns Z …`, and README.zh.md
// carries the same ids. The lesson's test asserts each id with `claim(id, …)`; `npm run claims`
// reports which ids are asserted, and test/claims.test.ts fails the suite on any gap.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'vitest';

export const projectRoot = join(import.meta.dirname, '..', '..');

/** The section that holds the claims, per README language. */
export const CLAIM_SECTIONS = { en: '## What the table will show', zh: '## 进程表里会看到什么' } as const;

/** A claim id: lowercase words joined by hyphens. */
export const CLAIM_ID = /^- \[([a-z0-9]+(?:-[a-z0-9]+)*)\]/;

/** Asserts one claim of the lesson's README. The test's name starts with the id in brackets. */
export function claim(id: string, body: () => void | Promise<void>, timeoutMs?: number): void {
  test(`[${id}]`, body, timeoutMs);
}

/** The claim ids of one README, in order (bullets of the claims section, nested bullets too). */
export function claimsIn(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) return [];
  const ids: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^## /.test(line)) break;
    const match = CLAIM_ID.exec(line.trimStart());
    if (match) ids.push(match[1]!);
  }
  return ids;
}

/** The ids a test file asserts: every `claim('id'` in it. */
export function claimsAsserted(source: string): string[] {
  return [...source.matchAll(/\bclaim\(\s*['"`]([^'"`]+)['"`]/g)].map((match) => match[1]!);
}

export interface LessonClaims {
  lesson: string;
  /** Ids in README.md, in order. */
  claims: string[];
  /** Ids in README.zh.md. */
  zh: string[];
  /** Ids the lesson's test asserts. */
  asserted: string[];
  /** Claims no test asserts. */
  unasserted: string[];
  /** Assertions that name no claim of the README. */
  unknown: string[];
  /** Ids missing from README.zh.md, or only there. */
  zhMismatch: string[];
}

/** Every lesson folder with its claims and what its test asserts. */
export function lessonClaims(root = projectRoot): LessonClaims[] {
  const lessonsDir = join(root, 'lessons');
  const result: LessonClaims[] = [];
  for (const folder of readdirSync(lessonsDir).filter((name) => /^\d\d-/.test(name)).sort()) {
    const readme = join(lessonsDir, folder, 'README.md');
    if (!existsSync(readme)) continue;
    const claims = claimsIn(readFileSync(readme, 'utf8'), CLAIM_SECTIONS.en);
    const zhPath = join(lessonsDir, folder, 'README.zh.md');
    const zh = existsSync(zhPath) ? claimsIn(readFileSync(zhPath, 'utf8'), CLAIM_SECTIONS.zh) : [];
    const testPath = join(root, 'test', 'lessons', `${folder}.test.ts`);
    const asserted = existsSync(testPath) ? [...new Set(claimsAsserted(readFileSync(testPath, 'utf8')))] : [];
    result.push({
      lesson: folder,
      claims,
      zh,
      asserted,
      unasserted: claims.filter((id) => !asserted.includes(id)),
      unknown: asserted.filter((id) => !claims.includes(id)),
      zhMismatch: [...claims.filter((id) => !zh.includes(id)), ...zh.filter((id) => !claims.includes(id))],
    });
  }
  return result;
}
