// `npm run watch -- [options] <command> [args…]`: any program — the course's Python, a shell
// script, a C binary, a student's own Node file — under the same live table as a lesson, without
// the narration. The run lasts until the last process the program started has ended (an orphaned
// grandchild is followed, adopted, to its end); q or Ctrl-C ends the rest at once. The runner
// exits with the program's own exit status.
import { basename } from 'node:path';
import { UserError } from '../words/user-error.js';
import { says } from '../words/cli.js';
import { checkProgram } from './programs.js';
import { parseInterval, parseOptions, parsePace, show, SHOW_OPTIONS } from './show.js';

export const WATCH_USAGE = `usage: npm run watch -- [--plain] [--json FILE] [--web [--web-port N] [--web-host ADDR]] [--record FILE] [--interval MS] [--lang en|zh] <command> [args…]`;

/** Options end at the first word that is not an option (or after `--`): the rest is the command. */
export function splitAtCommand(args: string[]): { options: string[]; command: string[] } {
  const takesValue = new Set(Object.entries(SHOW_OPTIONS).filter(([, spec]) => spec.type === 'string').map(([name]) => `--${name}`));
  let index = 0;
  while (index < args.length) {
    const arg = args[index]!;
    if (arg === '--') return { options: args.slice(0, index), command: args.slice(index + 1) };
    if (!arg.startsWith('-') || arg === '-') break;
    index += takesValue.has(arg) ? 2 : 1;
  }
  return { options: args.slice(0, index), command: args.slice(index) };
}

export async function watchCommand(args: string[]): Promise<number> {
  const { options, command } = splitAtCommand(args);
  const { values } = parseOptions(options, SHOW_OPTIONS, WATCH_USAGE);
  if (values.help) {
    process.stdout.write(`${says().usage(WATCH_USAGE)}\n`);
    return 0;
  }
  if (command.length === 0) throw new UserError(says().watchWhat(WATCH_USAGE));
  const intervalMs = parseInterval(values, 50);
  const pace = parsePace(values);
  checkProgram(command[0]!);
  const result = await show({
    values,
    // A program that wants to follow --slow/--fast (the course's Python programs here do) reads it.
    ...(values.pace !== undefined || values.slow || values.fast ? { env: { PROCBOOK_PACE: String(pace) } } : {}),
    label: { slug: basename(command[0]!), title: command.map((word) => (/\s/.test(word) ? JSON.stringify(word) : word)).join(' ') },
    command,
    graceMs: Infinity,
    intervalMs,
  });
  return result.exitStatus;
}
