// The output pane wraps a lesson's explanation as one paragraph: the author broke it into source
// lines of about 95 columns, and wrapped line by line into a narrower pane each would leave a stub.
import { expect, test } from 'vitest';
import type { OutputLine } from '../../../lib/observe/timeline.js';
import { OutputPane, explanationText } from '../../../lib/present/views/output-pane.js';
import { colors } from '../../../lib/present/views/palette.js';
import { cellWidth, stripAnsi } from '../../../lib/present/views/text.js';

/** As lib/lesson's explain() prints in colour. */
const explained = (text: string, t: number): OutputLine => ({ t, stream: 'stdout', text: `\x1b[2m  ${text}\x1b[0m` });

// Lesson 05's last paragraph, as its four explain() calls print it.
const PARAGRAPH = [
  'As soon as the loop ran, libuv saw the pending SIGCHLD and called waitpid(): the',
  'kernel handed over the exit status and dropped the last trace of the child: its row dims.',
  'In Python you must call os.wait() yourself; in Node, keep the event loop free and',
  "listen for 'exit': waiting is done for you.",
];

test('explain() lines are one paragraph, wrapped as a whole at every width: no stub line inside it', () => {
  const output: OutputLine[] = [
    { t: 0, stream: 'stdout', text: "parent 7504: 'exit' says: code 3, signal null." },
    ...PARAGRAPH.map((line, index) => explained(line, index + 1)),
    { t: 9, stream: 'stdout', text: 'parent 7504: done' },
  ];
  for (const width of [40, 55, 70, 100]) {
    const pane = new OutputPane(colors(true));
    const lines = pane.lastLines(output, width, 100).map(stripAnsi);
    const body = lines.slice(lines.findIndex((line) => line.startsWith('  As soon')), lines.findIndex((line) => line.startsWith('parent 7504: done')));
    // The words, in order, and nothing else.
    expect(body.map((line) => line.trim()).join(' ')).toBe(PARAGRAPH.join(' '));
    for (const line of body) {
      expect(cellWidth(line)).toBeLessThanOrEqual(width);
      expect(line.startsWith('  ')).toBe(true);
    }
    // Every line but the last is filled: the next word would not have fitted on it.
    body.slice(0, -1).forEach((line, index) => {
      const nextWord = body[index + 1]!.trim().split(' ')[0]!;
      expect(cellWidth(line) + 1 + cellWidth(nextWord), `width ${width}: "${line}"`).toBeGreaterThan(width);
    });
  }
});

test('the paragraph still growing at the end is wrapped again as its lines come; other lines close it', () => {
  const pane = new OutputPane(colors(false));
  const first = pane.lastLines([explained(PARAGRAPH[0]!, 1)], 60, 10).map(stripAnsi);
  expect(first.join(' ').replace(/\s+/g, ' ').trim()).toBe(PARAGRAPH[0]);
  const both = pane.lastLines([explained(PARAGRAPH[0]!, 1), explained(PARAGRAPH[1]!, 2)], 60, 10).map(stripAnsi);
  expect(both.map((line) => line.trim()).join(' ')).toBe(`${PARAGRAPH[0]} ${PARAGRAPH[1]}`);
  expect(explanationText('parent 7504: hello')).toBeUndefined();
  expect(explanationText('\x1b[2m  kernel\x1b[0m')).toBe('kernel');
});
