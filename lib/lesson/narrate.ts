// What a lesson says. Every line is tagged with the process that said it, because in a lesson
// several processes write to the same terminal and their lines interleave.
import { ENV } from './protocol.js';
import { goAhead, hasRunner, send } from './channel.js';
import { translate } from './translate.js';

const useColor = process.env[ENV.color] === '1' || (process.env[ENV.color] === undefined && process.stdout.isTTY === true);
const paint = (code: string, text: string): string => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
const ROLE_COLORS = ['36', '35', '33', '34', '32', '31'];

let stepNumber = 0;

function who(): string {
  const title = process.title.length <= 16 ? process.title : process.title.slice(0, 16);
  const color = ROLE_COLORS[[...title].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % ROLE_COLORS.length]!;
  return paint(color, `${title} ${process.pid}`);
}

// Every sentence below goes through translate(): English as written, Chinese under `--lang zh`
// from the lesson's lesson.zh.json (see translate.ts).

/** Prints a line, tagged with this process's name and pid. */
export function say(...parts: unknown[]): void {
  const text = translate(parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' '));
  for (const line of text.split('\n')) process.stdout.write(`${who()}: ${line}\n`);
}

/**
 * A sentence as the student reads it, for a line that something other than say() prints: a child
 * that is not a lesson process (`node -e`), given its line as an argument.
 */
export function sentence(text: string): string {
  return translate(text);
}

/** Prints what another program printed (ps, a child's output) as it printed it: never translated. */
export function quote(text: string): void {
  for (const line of text.split('\n')) process.stdout.write(`${who()}: ${line}\n`);
}

/** Prints an explanation: the systems idea behind what just happened. */
export function explain(text: string): void {
  for (const line of translate(text).split('\n')) process.stdout.write(`${paint('2', `  ${line}`)}\n`);
}

/** Prints a sentence about a problem on stderr (a port in use, a missing build), translated like say(). */
export function warn(text: string): void {
  process.stderr.write(`${translate(text)}\n`);
}

/**
 * A named moment of the lesson, recorded in the timeline. In step mode (a teacher's `--step`)
 * the lesson waits here until a key is pressed. Only the lesson's first process waits; a
 * checkpoint in a child is recorded and passes.
 */
export async function checkpoint(name: string): Promise<void> {
  const waits = process.env[ENV.step] === '1' && process.env[ENV.role] === undefined && hasRunner();
  // The timeline keys the checkpoint by its English name (the tests look it up by that); the
  // chart, the handout and the page show it as the student reads it.
  const shown = translate(name);
  send({ type: 'checkpoint', name, pid: process.pid, waits, ...(shown === name ? {} : { shown }) });
  if (waits) await goAhead();
}

/** A heading for the next part of the lesson; also a checkpoint. */
export async function step(title: string): Promise<void> {
  stepNumber++;
  process.stdout.write(`\n${paint('1', `── ${stepNumber}. ${translate(title)}`)}\n`);
  await checkpoint(title);
}

/** Records a value for the tests and the summary (what the lesson measured or saw). */
export function fact(name: string, value: unknown): void {
  send({ type: 'fact', name, value, pid: process.pid });
}
