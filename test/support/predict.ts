// Runs a lesson under `--predict --plain` as a student would from a pipe: each time the runner
// asks for an answer on stdout, the test's answerer gives one line on stdin.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Timeline, type QuestionRecord } from '../../lib/observe/timeline.js';
import { runnerCli, until } from './run-lesson.js';

export const PREDICT_PACE = 0.3;

export interface Asked {
  number: number;
  prompt: string;
  choices: Array<{ value: string; label: string }>;
}

/** How a test answers a question; `undefined` leaves it unanswered (then stdin is closed). */
export type Answerer = (question: Asked) => string | undefined;

export interface PredictRun {
  timeline: Timeline;
  questions: QuestionRecord[];
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * What ends every request for an answer, in each language: a question's own ("answer with one
 * line: …") and the one after a line that is not a choice ("… is not one of them: answer with …").
 */
const ASKS = { en: 'answer with ', zh: '输入一行作答：' } as const;

/** Reads the question whose choices were printed last: "? N. prompt", then one line per choice. */
function lastQuestion(stdout: string, asks: string): Asked {
  const lines = stdout.split('\n');
  const lastIndex = (before: number, test: (line: string) => boolean): number => {
    for (let index = before - 1; index >= 0; index--) if (test(lines[index]!)) return index;
    return -1;
  };
  const end = lastIndex(lines.length, (line) => /^ {6}\S/.test(line) && line.includes(asks));
  const start = lastIndex(end, (line) => /^\? \d+\. /.test(line));
  const [, number = '0', prompt = ''] = /^\? (\d+)\. (.*)$/.exec(lines[start]!) ?? [];
  const choices = lines.slice(start + 1, end).flatMap((line) => {
    const match = /^ {6}(\S.*?) {2,}\S/.exec(line);
    return match && !line.includes(asks) ? [{ value: match[1]!, label: line.trim() }] : [];
  });
  return { number: Number(number), prompt, choices };
}

export interface PredictOptions {
  lang?: 'en' | 'zh';
  /**
   * Stop the run (Ctrl-C, SIGINT to the runner) once its output contains this text, e.g. the
   * last reveal's mark "✓ 1." or "✗ 1.": a lesson whose questions come early need not run to its end.
   */
  stopAfter?: string | RegExp;
}

export async function runPredicting(lesson: string, answer: Answerer, options: PredictOptions = {}): Promise<PredictRun> {
  const lang = options.lang ?? 'en';
  const dir = mkdtempSync(join(tmpdir(), 'procbook-predict-'));
  const jsonPath = join(dir, 'timeline.json');
  const args = [runnerCli, 'lesson', lesson, '--predict', '--plain', '--pace', String(PREDICT_PACE), '--interval', '25', '--json', jsonPath];
  if (options.lang) args.push('--lang', options.lang);
  const runner = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env } });
  let stdout = '';
  let stderr = '';
  let stopped = false;
  runner.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const { stopAfter } = options;
    if (stopAfter !== undefined && !stopped && (typeof stopAfter === 'string' ? stdout.includes(stopAfter) : stopAfter.test(stdout))) {
      stopped = true;
      runner.kill('SIGINT');
    }
  });
  runner.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => runner.once('exit', (code) => resolve(code)));
  const finished = (): boolean => runner.exitCode !== null || runner.signalCode !== null;
  try {
    const asked = (): number => stdout.split(ASKS[lang]).length - 1;
    for (let answered = 0; ; ) {
      await until(() => asked() > answered || finished(), 20_000, `question ${answered + 1} or the end`);
      if (asked() === answered) break; // the run is over
      const reply = answer(lastQuestion(stdout, ASKS[lang]));
      answered++;
      if (reply === undefined) {
        runner.stdin.end();
        break;
      }
      runner.stdin.write(`${reply}\n`);
    }
    const code = await exited;
    let timeline: Timeline;
    try {
      timeline = Timeline.fromJSON(readFileSync(jsonPath, 'utf8'));
    } catch {
      throw new Error(`no timeline (exit ${code}).\nstdout:\n${stdout}\nstderr:\n${stderr}`);
    }
    return { timeline, questions: timeline.data.questions ?? [], code, stdout, stderr };
  } finally {
    runner.kill('SIGKILL');
    runner.stdin.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
