// What a lesson says. Every line is tagged with the process that said it, because in a lesson
// several processes write to the same terminal and their lines interleave.
import { ENV } from './protocol.js';
import { goAhead, hasRunner, send } from './channel.js';

const useColor = process.env[ENV.color] === '1' || (process.env[ENV.color] === undefined && process.stdout.isTTY === true);
const paint = (code: string, text: string): string => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
const ROLE_COLORS = ['36', '35', '33', '34', '32', '31'];

let stepNumber = 0;

function who(): string {
  const title = process.title.length <= 16 ? process.title : process.title.slice(0, 16);
  const color = ROLE_COLORS[[...title].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % ROLE_COLORS.length]!;
  return paint(color, `${title} ${process.pid}`);
}

/** Prints a line, tagged with this process's name and pid. */
export function say(...parts: unknown[]): void {
  const text = parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
  for (const line of text.split('\n')) process.stdout.write(`${who()}: ${line}\n`);
}

/** Prints an explanation: the systems idea behind what just happened. */
export function explain(text: string): void {
  for (const line of text.split('\n')) process.stdout.write(`${paint('2', `  ${line}`)}\n`);
}

/**
 * A named moment of the lesson, recorded in the timeline. In step mode (a teacher's `--step`)
 * the lesson waits here until a key is pressed. Only the lesson's first process waits; a
 * checkpoint in a child is recorded and passes.
 */
export async function checkpoint(name: string): Promise<void> {
  const waits = process.env[ENV.step] === '1' && process.env[ENV.role] === undefined && hasRunner();
  send({ type: 'checkpoint', name, pid: process.pid, waits });
  if (waits) await goAhead();
}

/** A heading for the next part of the lesson; also a checkpoint. */
export async function step(title: string): Promise<void> {
  stepNumber++;
  process.stdout.write(`\n${paint('1', `── ${stepNumber}. ${title}`)}\n`);
  await checkpoint(title);
}

/** Records a value for the tests and the summary (what the lesson measured or saw). */
export function fact(name: string, value: unknown): void {
  send({ type: 'fact', name, value, pid: process.pid });
}
