// The room's answers (`--predict --web`) over raw HTTP: a class of 60 pages, each with the cookie
// the server gave its browser, answers one question (some change their minds); the teacher's
// stream shows one histogram with the right counts; what a page sends is bounded and is never
// anything but one of the choices offered. Only loopback addresses: the server listens on 127.0.0.2.
import { afterEach, describe, expect, test } from 'vitest';
import { choicesFor } from '../../../lib/present/answers.js';
import { emptyTimeline } from '../../../lib/observe/timeline.js';
import { LIMITS } from '../../../lib/present/web/server.js';
import { createWebView, type WebView } from '../../../lib/present/web/web-view.js';
import type { RoomView } from '../../../lib/present/web/room.js';
import { until } from '../../support/run-lesson.js';
import { openRawPage, send, type RawPage } from './sse-client.js';

const ROOM = 60;
const HOST = '127.0.0.2';

let web: WebView | undefined;
let pages: RawPage[] = [];
afterEach(async () => {
  for (const page of pages) page.close();
  pages = [];
  web?.close(emptyTimeline(1, process.pid, 200));
  await web?.closed;
  web = undefined;
});

const last = (page: RawPage): RoomView | undefined => page.of<RoomView>('room').at(-1);

describe('the room answers one question', () => {
  test(`${ROOM} pages answering one question show up as one histogram with the right counts`, async () => {
    web = await createWebView({ host: HOST, closeWaitMs: 200 });
    expect(new URL(web.url).hostname).toBe(HOST);
    const teacherQuery = new URL(web.teacherUrl).search;
    expect(teacherQuery).toMatch(/^\?teacher=[\w-]{20,}$/);

    const teacher = await openRawPage(web.url, `?teacher=${new URL(web.teacherUrl).searchParams.get('teacher')}`);
    const guessing = await openRawPage(web.url, '?teacher=not-the-token');
    const students = await Promise.all(Array.from({ length: ROOM }, () => openRawPage(web!.url)));
    pages = [teacher, guessing, ...students];
    // Each browser got a cookie of its own.
    expect(new Set(students.map((page) => page.cookie)).size).toBe(ROOM);

    const choices = choicesFor('stat', { about: 1, rows: [], runnerPid: process.pid });
    const values = choices.map((choice) => choice.value);
    web.room.ask(1, 'What will the STAT be?', choices);
    await until(() => [teacher, guessing, ...students].every((page) => last(page)?.number === 1), 10_000, 'every page to get the question');
    // A student's page is offered the choices and sees no counts; the teacher's page sees the counts.
    expect(last(students[0]!)!.choices.map((choice) => choice.value)).toEqual(values);
    expect(last(students[0]!)!.counts).toBeUndefined();
    expect(last(guessing)!.counts).toBeUndefined(); // a wrong token is a student's page
    expect(last(teacher)!.counts).toEqual(values.map(() => 0));

    // Student i answers values[i % n]; every fifth first answered something else, then changed it.
    const finalAnswer = (index: number): string => values[index % values.length]!;
    const statuses = await Promise.all(
      students.map(async (page, index) => {
        const first = index % 5 === 0 ? [await page.answer(1, values[(index + 1) % values.length])] : [];
        return [...first, await page.answer(1, finalAnswer(index))];
      }),
    );
    expect(statuses.flat().every((status) => status === 204)).toBe(true);
    const expected = values.map((value) => students.filter((_, index) => finalAnswer(index) === value).length);

    await until(() => last(teacher)?.total === ROOM && JSON.stringify(last(teacher)?.counts) === JSON.stringify(expected), 10_000, 'the histogram of the whole room');
    expect(last(teacher)!.counts).toEqual(expected);
    expect(last(teacher)!.totalText).toBe(`${ROOM} answers`);
    // Each student's page shows its own (last) answer.
    await until(() => students.every((page, index) => last(page)?.mine === finalAnswer(index)), 10_000, "each page's own answer");

    // What a page may send is bounded, and only a choice is ever taken.
    const one = students[0]!;
    const base = web.url;
    expect(await one.answer(1, '<img src=x onerror=alert(1)>')).toBe(409);
    expect(await one.answer(2, finalAnswer(0))).toBe(409); // not the question open now
    expect(await one.answer(1, undefined, { body: JSON.stringify({ question: 1, answer: 'x'.repeat(LIMITS.bodyBytes) }) })).toBe(413);
    expect(await one.answer(1, undefined, { body: '{not json' })).toBe(400);
    expect(await one.answer(1, finalAnswer(0), { headers: { 'content-type': 'text/plain' } })).toBe(415);
    expect(await one.answer(1, finalAnswer(0), { headers: { origin: 'http://evil.example' } })).toBe(403);
    expect(await one.answer(1, finalAnswer(0), { headers: { cookie: 'procbook-voter=made-up' } })).toBe(403);
    expect((await send(base, { headers: { host: `evil.example:${new URL(base).port}` } })).status).toBe(403);
    // Too many answers from one browser: refused for a while (the same answer, so the counts hold).
    const burst = await Promise.all(Array.from({ length: LIMITS.answerBurst + 5 }, () => one.answer(1, finalAnswer(0))));
    expect(burst).toContain(429);
    expect(burst.filter((status) => status !== 204 && status !== 429)).toEqual([]);

    // The terminal answers: the room is closed and counted once.
    expect(web.room.close(1, 'Z')).toEqual(Object.fromEntries(values.map((value, index) => [value, expected[index]])));
    await until(() => last(teacher)?.open === false && students.every((page) => last(page)?.open === false), 10_000, 'every page to see the answers closed');
    expect(last(teacher)!.teacher).toBe('Z');
    expect(await students[1]!.answer(1, finalAnswer(1))).toBe(409);
    expect(last(teacher)!.counts).toEqual(expected);

    // The reveal: every page learns what the table showed, each student whether they were right.
    web.room.reveal(1, 'Z');
    await until(() => students.every((page) => last(page)?.actual === 'Z'), 10_000, 'the reveal on every page');
    students.forEach((page, index) => expect(last(page)!.verdict).toBe(finalAnswer(index) === 'Z' ? 'You were right.' : 'Not this time.'));
    // Nothing a page sent was ever sent back to another page but the offered values.
    for (const page of pages) expect(page.events.map((each) => each.data).join('\n')).not.toContain('<img');
  }, 60_000);

  test('without the token a page is a student\'s: it sees no counts', async () => {
    web = await createWebView({ host: HOST, closeWaitMs: 200 });
    const page = await openRawPage(web.url);
    pages = [page];
    web.room.ask(1, 'Alive?', choicesFor('alive', { about: 1, rows: [], runnerPid: process.pid }));
    await until(() => last(page)?.number === 1, 5000, 'the question');
    expect(last(page)!.counts).toBeUndefined();
    expect(last(page)!.total).toBeUndefined();
  });
});
