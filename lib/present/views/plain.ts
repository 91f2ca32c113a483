// The plain view, for pipes, CI and recordings: a log that only ever appends.
//
// The lesson's lines are printed as they come. The process table is printed again whenever it
// changed, stamped with the run time:
//
//   [1.20s]  PID  PPID STAT  AGE TITLE
//           7504  4711 Ssl  1.1s parent
//           7515  7504 Sl   0.2s └─ child
//
// "Changed" is judged on the table without its AGE column, since age changes at every sample
// and would reprint the table five times a second. At the end, the summary chart.
import type { TimelineData } from '../../observe/timeline.js';
import { colors } from './palette.js';
import { renderSummary } from './summary.js';
import { renderTable, tableSignature } from './table.js';
import { padEnd } from './text.js';
import type { View, ViewState } from './types.js';
import { describeExit, formatStamp, words } from '../../words/views.js';

export interface PlainViewOptions {
  write: (text: string) => void;
  color: boolean;
  width: number;
}

export function createPlainView(options: PlainViewOptions): View {
  const c = colors(options.color);
  let printed = 0;
  let lastTable = '';
  let lastSignature = '';
  let lastPause: string | undefined;
  let finishedTold = false;

  const printNewOutput = (output: ViewState['output']): void => {
    for (const line of output.slice(printed)) options.write(`${line.text}\n`);
    printed = output.length;
  };

  return {
    update(state: ViewState) {
      printNewOutput(state.output);

      const stamp = formatStamp(state.now);
      const tableOptions = {
        width: Math.max(20, options.width - stamp.length - 1),
        color: options.color,
        now: state.now,
        lessonPid: state.lessonPid,
        runnerPid: state.runnerPid,
      };
      // Drawn (without its age) only when what it shows may have changed: the samples in between
      // change nothing but age.
      const signature = `${tableOptions.width} ${tableSignature(state.rows)}`;
      const compared = signature === lastSignature ? lastTable : renderTable(state.rows, { ...tableOptions, color: false, showAge: false }).join('\n');
      lastSignature = signature;
      if (state.rows.length > 0 && compared !== lastTable) {
        lastTable = compared;
        const [header = '', ...rows] = renderTable(state.rows, tableOptions);
        options.write(`${c.dim(stamp)} ${header}\n`);
        for (const row of rows) options.write(`${padEnd('', stamp.length)} ${row}\n`);
      }

      // In step mode the lesson waits for a key: say so once, or a log reader thinks it hangs.
      if (state.pausedAt !== undefined && state.pausedAt !== lastPause) {
        options.write(`${c.dim(stamp)} ${c.yellow(words().plainPausedAt(state.pausedAt))}\n`);
      }
      lastPause = state.pausedAt;
      if (state.finished && !finishedTold) {
        finishedTold = true;
        const how = describeExit({ t: state.now, source: 'runner', ...state.finished }) ?? words().ended;
        options.write(`${c.dim(stamp)} ${words().lessonFinished(how)}\n`);
      }
    },
    close(timeline: TimelineData) {
      // Lines that arrived after the last update (the runner flushes the pipes at the end).
      printNewOutput(timeline.output);
      options.write(`\n${renderSummary(timeline, { width: options.width, color: options.color })}\n`);
    },
  };
}
