// How the results are shown: a table for people, JSON and JUnit XML for grading scripts.
import wrapAnsi from 'wrap-ansi';
import pc from 'picocolors';
import type { CheckResult } from './run-check.js';

export interface TableOptions {
  color: boolean;
  width: number;
  /** The table's own words, in the student's language (default English). */
  words?: { pass: string; fail: string; passedOf(passed: number, total: number): string; seed(seed: number): string };
}

const ENGLISH = { pass: 'pass', fail: 'FAIL', passedOf: (passed: number, total: number): string => `${passed} of ${total} passed.`, seed: (seed: number): string => `(seed ${seed})` };

const secondsOf = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** A character a terminal draws two columns wide (Chinese, Japanese, Korean, full-width forms). */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** How many terminal columns a text takes. */
function columnsOf(text: string): number {
  let columns = 0;
  for (const character of text) columns += WIDE.test(character) ? 2 : 1;
  return columns;
}

/** The text in exactly `width` columns: cut with … if longer, padded with spaces if shorter. */
function fitColumns(text: string, width: number): string {
  if (columnsOf(text) <= width) return text + ' '.repeat(width - columnsOf(text));
  let cut = '';
  for (const character of text) {
    if (columnsOf(cut + character) > width - 1) break;
    cut += character;
  }
  return `${cut}…${' '.repeat(width - 1 - columnsOf(cut))}`;
}

/** Each exercise on one line, pass or FAIL; under a failure, its first failing claim. */
export function table(results: CheckResult[], { color, width, words = ENGLISH }: TableOptions): string {
  const paint = pc.createColors(color);
  const slugWidth = Math.max(...results.map((result) => result.slug.length), 4);
  const titleWidth = Math.max(20, Math.min(Math.max(...results.map((result) => columnsOf(result.title))), width - slugWidth - 26));
  const lines: string[] = [];
  for (const result of results) {
    const title = fitColumns(result.title, titleWidth);
    const verdict = result.passed ? paint.green(words.pass) : paint.red(paint.bold(words.fail));
    lines.push(`${String(result.number).padStart(3)}  ${result.slug.padEnd(slugWidth)}  ${title}  ${verdict}  ${paint.dim(secondsOf(result.ms).padStart(6))}`);
    if (!result.passed && result.message) {
      const indent = ' '.repeat(5);
      const message = result.seed === undefined ? result.message : `${result.message} ${paint.dim(words.seed(result.seed))}`;
      lines.push(wrapAnsi(message, Math.max(30, width - indent.length), { hard: true }).split('\n').map((line) => `${indent}${line}`).join('\n'));
    }
  }
  const passed = results.filter((result) => result.passed).length;
  lines.push('', words.passedOf(passed, results.length));
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

/** One student's results in a class. */
export interface StudentResults {
  student: string;
  results: CheckResult[];
}

/** A class as a table: one row per student, one column per exercise, and each student's count. */
export function classTable(students: StudentResults[], options: TableOptions & { studentWord: string }): string {
  const paint = pc.createColors(options.color);
  const words = options.words ?? ENGLISH;
  const columns = students[0]?.results.map((result) => String(result.number).padStart(2, '0')) ?? [];
  const nameWidth = Math.min(24, Math.max(options.studentWord.length, ...students.map((each) => each.student.length)));
  const cell = (passed: boolean): string => (passed ? paint.green(' ✓ ') : paint.red(paint.bold(' ✗ ')));
  const lines = [`${options.studentWord.padEnd(nameWidth)}  ${columns.map((column) => ` ${column}`).join('')}   ${words.pass}`];
  for (const { student, results } of students) {
    const name = student.length > nameWidth ? `${student.slice(0, nameWidth - 1)}…` : student.padEnd(nameWidth);
    const passed = results.filter((result) => result.passed).length;
    lines.push(`${name}  ${results.map((result) => cell(result.passed)).join('')}   ${passed}/${results.length}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A class as JSON: every student, every exercise. */
export function classJson(students: StudentResults[]): { passed: number; failed: number; students: Array<{ student: string } & JsonReport> } {
  const reports = students.map(({ student, results }) => ({ student, ...json(results) }));
  return {
    passed: reports.reduce((sum, report) => sum + report.passed, 0),
    failed: reports.reduce((sum, report) => sum + report.failed, 0),
    students: reports,
  };
}

/** JUnit XML for a class: one <testsuite> per student. */
export function classJunit(students: StudentResults[]): string {
  const suites = students.map(({ student, results }) => junit(results, student).split('\n').filter((line) => line.startsWith('  ')).join('\n'));
  const all = students.flatMap((each) => each.results);
  const failed = all.filter((result) => !result.passed).length;
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="procbook class" tests="${all.length}" failures="${failed}">`, ...suites, '</testsuites>', ''].join('\n');
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV, one line per student and exercise: student,exercise,passed,seconds,message. */
export function csv(students: StudentResults[]): string {
  const lines = ['student,exercise,passed,seconds,message'];
  for (const { student, results } of students) {
    for (const result of results) {
      const id = `${String(result.number).padStart(2, '0')}-${result.slug}`;
      lines.push([csvField(student), id, result.passed ? 'true' : 'false', (result.ms / 1000).toFixed(1), csvField(result.message ?? '')].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Gradescope's autograder results.json for one submission: a test per exercise, one point each.
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/)
 */
export function gradescope(results: CheckResult[]): string {
  const tests = results.map((result) => ({
    name: `${String(result.number).padStart(2, '0')}-${result.slug}: ${result.title}`,
    score: result.passed ? 1 : 0,
    max_score: 1,
    status: result.passed ? 'passed' : 'failed',
    ...(result.message ? { output: result.message } : {}),
  }));
  return `${JSON.stringify({ score: tests.reduce((sum, test) => sum + test.score, 0), output: `${tests.filter((test) => test.score === 1).length} of ${tests.length} exercises pass.`, tests }, null, 2)}\n`;
}
