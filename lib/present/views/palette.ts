// One colour per process state, shared by the table, the legend and the summary chart, so a
// zombie is the same red everywhere.
import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;
export type Formatter = Colors['red'];

/** Colours on or off: with `false` every formatter returns its text unchanged. */
export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}

/**
 * The colour of a STAT, by its state letter: R green (on a CPU), Z red and bold (the thing to
 * notice), T/t yellow (stopped), anything else (S, D …) the terminal's own colour, because a
 * sleeping process is the normal case and should not draw the eye.
 */
export function statColor(c: Colors, stat: string): Formatter {
  switch (stat[0]) {
    case 'R':
      return c.green;
    case 'Z':
      return (text) => c.bold(c.red(text));
    case 'T':
    case 't':
      return c.yellow;
    default:
      return (text) => String(text ?? '');
  }
}

/**
 * The colour of a state in the summary chart, where every state is a block and needs a colour
 * of its own to be told apart (sleeping blue rather than default).
 */
export function chartColor(c: Colors, state: string): Formatter {
  switch (state) {
    case 'R':
      return c.green;
    case 'S':
      return c.blue;
    case 'D':
      return c.magenta;
    case 'Z':
      return c.red;
    case 'T':
    case 't':
      return c.yellow;
    default:
      return c.gray;
  }
}
