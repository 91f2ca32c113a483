// The summary chart drawn as SVG, for the handout and the projector page: one bar per process,
// coloured by state, on a shared time axis, with the checkpoints marked and how each one ended.
//
//   0s        1s        2s        3s
//   ├──①──────┼─────②───┼─────────┼──③──
//   parent 7504   ████████████████████████████
//                 exit 0, reaped by 4711 (runner)
//   └─ child 7515   ██████████▒▒▒▒▒
//                   exit 3, reaped by 7504 (parent)
//
// It says what renderSummary says (rows nested under the parent each process was born to, the
// same ending words) but as shapes, so it prints crisply and scales on a projector. Live (during
// the run) the axis reaches `now` and a process still there is described by its state, not by an
// ending it has not had yet.
//
// Its words follow the runner's language: the state names and endings come from words.ts (as in
// the terminal), the chart's own from ../web/page-words.ts, shared with the page and the handout.
import type { ProcessRecord, TimelineData } from '../../observe/timeline.js';
import { pageWords } from '../../words/page.js';
import { escapeHtml } from './html.js';
import { endingOf, runLength } from './summary.js';
import { cellWidth } from './text.js';
import { birthTree, bornTo, titleOfPid } from './tree.js';
import { adoptedBy, words, type Family } from '../../words/views.js';

export interface TimelineSvgOptions {
  /** Width in SVG units (pixels at 100 %). */
  width: number;
  /** Font size of the labels; everything else is sized from it. */
  fontSize?: number;
  /** During the run: the axis reaches this time and live processes are not given an ending. */
  now?: number;
}

/**
 * One colour per state, as in the terminal's summary chart (palette.ts chartColor): R green,
 * S blue, D magenta, Z red, T yellow, anything else grey.
 */
export const STATE_FILL: Record<string, string> = {
  R: '#2f9e44',
  S: '#4263eb',
  D: '#ae3ec9',
  Z: '#e03131',
  T: '#f08c00',
  t: '#f08c00',
};
const OTHER_FILL = '#868e96';

export function stateFill(state: string): string {
  return STATE_FILL[state] ?? OTHER_FILL;
}

/** Tick spacings to choose from; the finest one whose labels stay apart is used. */
const TICK_STEPS_MS = [50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))}s`;
}

/** A bar shorter than this is widened: a zombie seen in one sample must still be seen. */
const MIN_BAR = 3;

/** The width a monospace text takes, in units of the font size (a wide character counts twice). */
function textWidth(text: string, fontSize: number): number {
  return cellWidth(text) * fontSize * 0.6;
}

function fitText(text: string, room: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= room) return text;
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}…`, fontSize) > room) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** What the caption under a live process's bar says: its state now, and an adoption if any. */
function liveCaption(record: ProcessRecord, family: Family): string {
  const last = record.spans.at(-1);
  if (!last) return '';
  const state = words().stateNames[last.stat[0] ?? ''] ?? last.stat;
  const parts = [pageWords().chart.stateNow(state, last.stat)];
  if (last.ppid !== family.bornTo) parts.push(adoptedBy(last.ppid, family));
  return parts.join(words().partSeparator);
}

export function renderTimelineSvg(timeline: TimelineData, options: TimelineSvgOptions): string {
  const said = pageWords().chart;
  const checkpointLabel = pageWords().picture.checkpoint;
  const stateNames = words().stateNames;
  const fontSize = options.fontSize ?? 14;
  const small = Math.round(fontSize * 0.8);
  const width = Math.max(300, options.width);
  const records = timeline.processes;
  const live = options.now !== undefined;
  const total = Math.max(runLength(timeline), options.now ?? 0, 100);

  const tree = birthTree(records);

  // Columns: labels on the left (at most a third), then the bars.
  const pad = Math.round(fontSize * 0.6);
  const labelTexts = tree.map(({ item, prefix }) => `${prefix}${item.title.replace(/[\x00-\x1f\x7f]/g, ' ')} ${item.pid}`);
  const labelRoom = Math.min(width / 3, Math.max(fontSize * 6, ...labelTexts.map((text) => textWidth(text, fontSize))));
  const left = pad + labelRoom + pad;
  const right = width - pad - fontSize; // room for the last tick label to overhang
  const track = Math.max(50, right - left);
  const x = (t: number): number => left + (Math.min(Math.max(t, 0), total) / total) * track;

  const axisTop = pad + fontSize; // tick labels sit above the axis line
  const axisY = axisTop + Math.round(fontSize * 0.5);
  const markerY = axisY + fontSize; // the numbered checkpoint circles
  const rowsTop = markerY + fontSize;
  const barHeight = Math.round(fontSize * 1.2);
  const rowHeight = barHeight + small + Math.round(fontSize * 0.9);
  const rowsBottom = rowsTop + Math.max(1, tree.length) * rowHeight;
  const legendY = rowsBottom + fontSize;
  const height = legendY + fontSize + pad;

  // Inline SVG in HTML needs no xmlns; leaving it out keeps a handout free of any URL at all.
  const out: string[] = [];
  out.push(
    `<svg class="timeline-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(said.label)}">`,
    `<style>.timeline-chart text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:#212529}` +
      `.timeline-chart .caption{fill:#495057}.timeline-chart .tick{fill:#495057}</style>`,
  );

  // The axis: a line, ticks far enough apart for their labels.
  const widest = Math.max(textWidth(seconds(total), fontSize), textWidth('0.25s', fontSize));
  const step = TICK_STEPS_MS.find((ms) => (ms / total) * track >= widest + fontSize) ?? TICK_STEPS_MS.at(-1)!;
  out.push(`<line x1="${left}" y1="${axisY}" x2="${left + track}" y2="${axisY}" stroke="#adb5bd" stroke-width="1.5"/>`);
  for (let t = 0; t <= total; t += step) {
    const at = x(t).toFixed(1);
    out.push(
      `<line x1="${at}" y1="${axisY - 4}" x2="${at}" y2="${rowsBottom}" stroke="#e9ecef" stroke-width="1"/>`,
      `<text class="tick" x="${at}" y="${axisTop}" font-size="${small}" text-anchor="start">${seconds(t)}</text>`,
    );
  }

  // Checkpoints: a dashed line down through every row, a numbered circle on the axis.
  timeline.checkpoints.forEach((checkpoint, index) => {
    const at = x(checkpoint.t).toFixed(1);
    const radius = Math.round(fontSize * 0.6);
    out.push(
      `<g class="checkpoint" data-name="${escapeHtml(checkpoint.name)}"><title>${index + 1}. ${escapeHtml(checkpointLabel(checkpoint.shown ?? checkpoint.name, seconds(checkpoint.t)))}</title>` +
        `<line x1="${at}" y1="${markerY}" x2="${at}" y2="${rowsBottom}" stroke="#1098ad" stroke-width="1.5" stroke-dasharray="4 3"/>` +
        `<circle cx="${at}" cy="${markerY}" r="${radius}" fill="#1098ad"/>` +
        `<text x="${at}" y="${markerY}" font-size="${small}" text-anchor="middle" dominant-baseline="central" style="fill:#fff;font-weight:bold">${index + 1}</text></g>`,
    );
  });

  // One row per process: its label, its bar (one rectangle per stretch of the same state), and
  // a caption under the bar saying how it ended.
  const statesSeen = new Set<string>();
  tree.forEach(({ item }, index) => {
    const top = rowsTop + index * rowHeight;
    const family: Family = {
      runnerPid: timeline.runnerPid,
      bornTo: bornTo(item),
      titleOf: (pid) => titleOfPid(records, pid),
    };
    const ending = live && item.gone === undefined ? liveCaption(item, family) : endingOf(item, timeline, family);
    out.push(`<g class="chart-row" data-pid="${item.pid}" data-id="${escapeHtml(item.id)}"><title>${escapeHtml(said.rowTip(item.title, item.pid, ending))}</title>`);
    out.push(
      `<text x="${pad}" y="${top + barHeight / 2}" font-size="${fontSize}" dominant-baseline="central">${escapeHtml(fitText(labelTexts[index]!, labelRoom, fontSize))}</text>`,
    );
    for (const span of item.spans) {
      const state = span.stat[0] ?? '?';
      statesSeen.add(state);
      const from = x(span.from);
      const barWidth = Math.max(MIN_BAR, x(span.to) - from);
      out.push(
        `<rect class="span state-${escapeHtml(state)}" x="${from.toFixed(1)}" y="${top}" width="${barWidth.toFixed(1)}" height="${barHeight}" fill="${stateFill(state)}"><title>${escapeHtml(said.spanTip(span.stat, seconds(span.from), seconds(span.to), span.ppid))}</title></rect>`,
      );
    }
    const start = x(item.spans[0]?.from ?? 0);
    out.push(
      `<text class="caption" x="${start.toFixed(1)}" y="${top + barHeight + small}" font-size="${small}">${escapeHtml(fitText(ending, left + track - start + fontSize, small))}</text></g>`,
    );
  });
  if (tree.length === 0) {
    out.push(`<text x="${pad}" y="${rowsTop + fontSize}" font-size="${fontSize}">${escapeHtml(said.nothingSeenYet)}</text>`);
  }

  // The key: what each colour means, for the states on this chart.
  let keyX = pad;
  const order = Object.keys(stateNames);
  for (const state of [...statesSeen].sort((a, b) => order.indexOf(a) - order.indexOf(b))) {
    const label = `${state} ${stateNames[state] ?? state}`;
    out.push(
      `<rect x="${keyX}" y="${legendY - small + 2}" width="${small}" height="${small}" fill="${stateFill(state)}"/>`,
      `<text x="${keyX + small + 4}" y="${legendY}" font-size="${small}">${escapeHtml(label)}</text>`,
    );
    keyX += small + 4 + textWidth(label, small) + fontSize;
  }
  out.push('</svg>');
  return out.join('\n');
}
