// How the results are shown: a table for people, JSON and JUnit XML for grading scripts.
import wrapAnsi from 'wrap-ansi';
import pc from 'picocolors';
import type { CheckResult } from './run-check.js';

export interface TableOptions {
  color: boolean;
  width: number;
}

const secondsOf = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Each exercise on one line, pass or FAIL; under a failure, its first failing claim. */
export function table(results: CheckResult[], { color, width }: TableOptions): string {
  const paint = pc.createColors(color);
  const slugWidth = Math.max(...results.map((result) => result.slug.length), 4);
  const titleWidth = Math.max(20, Math.min(Math.max(...results.map((result) => result.title.length)), width - slugWidth - 26));
  const lines: string[] = [];
  for (const result of results) {
    const title = result.title.length > titleWidth ? `${result.title.slice(0, titleWidth - 1)}…` : result.title.padEnd(titleWidth);
    const verdict = result.passed ? paint.green('pass') : paint.red(paint.bold('FAIL'));
    lines.push(`${String(result.number).padStart(3)}  ${result.slug.padEnd(slugWidth)}  ${title}  ${verdict}  ${paint.dim(secondsOf(result.ms).padStart(6))}`);
    if (!result.passed && result.message) {
      const indent = ' '.repeat(5);
      const message = result.seed === undefined ? result.message : `${result.message} ${paint.dim(`(seed ${result.seed})`)}`;
      lines.push(wrapAnsi(message, Math.max(30, width - indent.length), { hard: true }).split('\n').map((line) => `${indent}${line}`).join('\n'));
    }
  }
  const passed = results.filter((result) => result.passed).length;
  lines.push('', `${passed} of ${results.length} passed.`);
  return `${lines.join('\n')}\n`;
}

export interface JsonReport {
  passed: number;
  failed: number;
  exercises: Array<{ number: number; slug: string; title: string; file: string; passed: boolean; message: string | null; seed: number | null; seconds: number }>;
}

export function json(results: CheckResult[]): JsonReport {
  return {
    passed: results.filter((result) => result.passed).length,
    failed: results.filter((result) => !result.passed).length,
    exercises: results.map((result) => ({
      number: result.number,
      slug: result.slug,
      title: result.title,
      file: result.file,
      passed: result.passed,
      message: result.message ?? null,
      seed: result.seed ?? null,
      seconds: Math.round(result.ms) / 1000,
    })),
  };
}

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 cannot hold at all.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}

/** One <testsuite> ("procbook exercises"), one <testcase> per exercise, <failure> with the sentence. */
export function junit(results: CheckResult[], suite = 'procbook exercises'): string {
  const failed = results.filter((result) => !result.passed).length;
  const total = results.reduce((sum, result) => sum + result.ms, 0) / 1000;
  const cases = results.map((result) => {
    const name = `${String(result.number).padStart(2, '0')}-${result.slug}: ${result.title}`;
    const head = `    <testcase classname="exercises" name="${xml(name)}" file="${xml(result.file)}" time="${(result.ms / 1000).toFixed(3)}"`;
    if (result.passed) return `${head}/>`;
    const message = result.message ?? 'failed';
    return `${head}>\n      <failure message="${xml(message)}" type="check">${xml(message)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(suite)}" tests="${results.length}" failures="${failed}" time="${total.toFixed(3)}">`,
    `  <testsuite name="${xml(suite)}" tests="${results.length}" failures="${failed}" errors="0" skipped="0" time="${total.toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
