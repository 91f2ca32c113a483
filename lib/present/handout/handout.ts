// The handout (`--record FILE`): one HTML file a student keeps after the class. It holds what the
// lesson printed and what the kernel showed (the timeline chart, the processes, the checkpoints),
// and it is self-contained: styles and the chart inline, no script, no link to fetch, so it
// opens the same offline, years later, or printed.
//
// It is written in the runner's language (`--lang zh`: the course's terms, <html lang="zh-CN">);
// what the lesson printed and its checkpoints' names are the lesson's own (in the student's language:
// lib/lesson/translate.ts; a checkpoint keeps its English name for the tests and shows `shown`).
import type { ProcessRecord, TimelineData } from '../../observe/timeline.js';
import { currentLanguage } from '../../words/language.js';
import { escapeHtml, plainLine } from '../views/html.js';
import { endingOf, runLength } from '../views/summary.js';
import { renderTimelineSvg, stateFill } from '../views/timeline-svg.js';
import { birthTree } from '../views/tree.js';
import type { LessonLabel } from '../views/types.js';
import { describeExit, words } from '../../words/views.js';
import { HTML_LANG, pageWords } from '../../words/page.js';

export interface HandoutInput {
  lesson: LessonLabel;
  timeline: TimelineData;
  /** The run was stopped (q, Ctrl-C) before the lesson finished by itself. */
  interrupted: boolean;
}

const CSS = `
  body { font: 16px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif;
         color: #212529; max-width: 1040px; margin: 2rem auto; padding: 0 1rem; }
  h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
  h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #dee2e6; padding-bottom: 0.2rem; }
  .meta { color: #495057; margin-top: 0; }
  .chart svg { max-width: 100%; height: auto; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 0.25rem 0.6rem; border-bottom: 1px solid #e9ecef; vertical-align: top; }
  th { font-weight: 600; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
  .stat { font-weight: 600; }
  .swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em; vertical-align: -0.05em; }
  pre.output { background: #f8f9fa; border: 1px solid #e9ecef; padding: 0.8rem; overflow-x: auto;
               white-space: pre-wrap; font-size: 0.9rem; }
  pre.output .heading { font-weight: 700; color: #0b7285; }
  pre.output .stderr { color: #c92a2a; }
  pre.output .runner { color: #1864ab; font-style: italic; }
  ol.checkpoints li { margin: 0.15rem 0; }
  dl.key { display: grid; grid-template-columns: 3em 1fr; gap: 0.1rem 0.5rem; }
  dl.key dt { font-weight: 700; font-family: ui-monospace, monospace; }
  dl.key dd { margin: 0; }
  footer { margin-top: 2.5rem; color: #868e96; font-size: 0.85rem; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } .chart { break-inside: avoid; } }
`;

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))}s`;
}

/** Each process once, in the order of the chart: nested under the parent it was born to. */
function processesInTreeOrder(timeline: TimelineData): Array<{ record: ProcessRecord; prefix: string }> {
  return birthTree(timeline.processes).map(({ item, prefix }) => ({ record: item, prefix }));
}

/** Every STAT it had, in order, without repeats: "Sl → Z". */
function statSequence(record: ProcessRecord): string {
  const sequence: string[] = [];
  for (const span of record.spans) if (sequence.at(-1) !== span.stat) sequence.push(span.stat);
  return sequence
    .map((stat) => `<span class="stat" style="color:${stateFill(stat[0] ?? '?')}">${escapeHtml(stat)}</span>`)
    .join(' → ');
}

function processTable(timeline: TimelineData): string {
  const said = pageWords().handout.columns;
  const rows = processesInTreeOrder(timeline).map(({ record, prefix }) => {
    const bornTo = record.spans[0]?.ppid ?? 0;
    const ending = endingOf(record, timeline, {
      runnerPid: timeline.runnerPid,
      bornTo,
      titleOf: (pid) => timeline.processes.filter((other) => other.pid === pid).at(-1)?.title,
    });
    return (
      `<tr class="process" data-pid="${record.pid}"><td class="num mono">${record.pid}</td>` +
      `<td class="mono">${escapeHtml(prefix)}${escapeHtml(record.title)}</td><td class="num mono">${bornTo}</td>` +
      `<td class="num">${seconds(record.firstSeen)}</td><td class="mono">${statSequence(record)}</td><td>${escapeHtml(ending)}</td></tr>`
    );
  });
  return (
    `<table class="processes"><thead><tr><th class="num">${escapeHtml(words().columns.pid)}</th><th>${escapeHtml(said.process)}</th>` +
    `<th class="num">${escapeHtml(said.bornTo)}</th><th class="num">${escapeHtml(said.seenAt)}</th>` +
    `<th>${escapeHtml(said.statOverTime)}</th><th>${escapeHtml(said.howItEnded)}</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`
  );
}

function checkpointList(timeline: TimelineData): string {
  const said = pageWords().handout;
  if (timeline.checkpoints.length === 0) return `<p>${escapeHtml(said.noCheckpoints)}</p>`;
  const items = timeline.checkpoints.map(
    (checkpoint) =>
      `<li class="checkpoint"><b>${escapeHtml(checkpoint.shown ?? checkpoint.name)}</b>${escapeHtml(said.checkpointAt(seconds(checkpoint.t)))}` +
      `<span class="mono">${escapeHtml(said.checkpointPid(checkpoint.pid))}</span></li>`,
  );
  return `<ol class="checkpoints">\n${items.join('\n')}\n</ol>`;
}

function outputBlock(timeline: TimelineData): string {
  if (timeline.output.length === 0) return `<p>${escapeHtml(pageWords().handout.printedNothing)}</p>`;
  const lines = timeline.output.map((line) => {
    const text = plainLine(line.text);
    // A step's heading ("── 2. The parent exits first") reads as a heading on paper too.
    const kind = line.stream !== 'stdout' ? line.stream : /^── \d+\./.test(text) ? 'heading' : '';
    return kind ? `<span class="${kind}">${escapeHtml(text)}</span>` : escapeHtml(text);
  });
  return `<pre class="output">${lines.join('\n')}</pre>`;
}

/** What the STAT letters of this run mean: only the letters that appear. */
function statKey(timeline: TimelineData): string {
  const used = new Set<string>();
  for (const record of timeline.processes) for (const span of record.spans) for (const letter of span.stat) used.add(letter);
  const entries = Object.entries(words().statMeanings).filter(([letter]) => used.has(letter));
  if (entries.length === 0) return '';
  return `<dl class="key">${entries.map(([letter, meaning]) => `<dt>${escapeHtml(letter)}</dt><dd>${escapeHtml(meaning)}</dd>`).join('')}</dl>`;
}

export function renderHandout(input: HandoutInput): string {
  const { lesson, timeline } = input;
  const said = pageWords().handout;
  const title = said.title(lesson.number, lesson.title);
  const recordedAt = new Date(timeline.startedAt).toISOString().replace('T', ' ').slice(0, 16);
  const exit = describeExit(timeline.end ? { ...timeline.end, source: 'runner' } : undefined);
  const ending = input.interrupted ? said.lessonStopped : said.lessonEnded(exit);
  const kernelShowed = words().kernelShowed(timeline.processes.length, seconds(runLength(timeline)));
  return `<!doctype html>
<html lang="${HTML_LANG[currentLanguage()]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(said.recorded(recordedAt, timeline.sampleIntervalMs))}
${escapeHtml(said.outcome(ending, kernelShowed))}</p>

<h2>${escapeHtml(said.timeline)}</h2>
<p>${escapeHtml(said.timelineHelp)}</p>
<div class="chart">
${renderTimelineSvg(timeline, { width: 1000, fontSize: 14 })}
</div>

<h2>${escapeHtml(said.checkpoints)}</h2>
${checkpointList(timeline)}

<h2>${escapeHtml(said.processes)}</h2>
${processTable(timeline)}
${statKey(timeline)}

<h2>${escapeHtml(said.printed)}</h2>
${outputBlock(timeline)}

<footer>${escapeHtml(said.footer(lesson.slug, timeline.lessonPid, timeline.runnerPid))}</footer>
</body>
</html>
`;
}
