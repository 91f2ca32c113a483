// The room's answers to predict mode's questions (`--predict --web`): peer instruction.
//
// While the lesson waits at a question, each student's page offers the question's choices; the
// teacher's page shows how the room answered, as a histogram, until the teacher answers in the
// terminal (the terminal's answer still drives the lesson). Then the room's answers are closed and
// counted, and at the reveal every page learns what the table showed.
//
// What a student sends is only ever a choice's value that the runner offered (anything else is
// refused), one per browser per question (a new one replaces the old), so nothing a student types
// is stored, counted or drawn.
import type { Choice } from '../answers.js';
import { pageWords } from '../../words/page.js';

export interface RoomChoice {
  value: string;
  meaning: string;
}

/** What one page is told about the question open now (the 'room' event). */
export interface RoomView {
  number: number;
  prompt: string;
  heading: string;
  choices: RoomChoice[];
  open: boolean;
  /** The line under the heading: "The room is answering." … */
  status: string;
  /** A student's page: its own answer, and what to say about it. */
  mine?: string;
  mineText?: string;
  /** The teacher's page: the histogram, in the order of the choices. */
  counts?: number[];
  total?: number;
  totalText?: string;
  /** The terminal's answer, once given. */
  teacher?: string;
  teacherText?: string;
  /** After the reveal. */
  actual?: string;
  actualText?: string;
  /** A student's page after the reveal: right, wrong, or no answer. */
  verdict?: string;
}

export type VoteResult = 'taken' | 'closed' | 'not-a-choice' | 'not-this-question';

interface OpenQuestion {
  number: number;
  prompt: string;
  choices: RoomChoice[];
  votes: Map<string, string>;
  open: boolean;
  teacher?: string;
  actual?: string;
}

/**
 * The pages show one question at a time: the one last asked, or last revealed (a lesson may ask a
 * second question before the first one's answer is due; its reveal then brings the first back).
 */
export class Room {
  private readonly questions = new Map<number, OpenQuestion>();
  private focus: number | undefined;

  private get question(): OpenQuestion | undefined {
    return this.focus === undefined ? undefined : this.questions.get(this.focus);
  }

  /** A new question: the ones before it take no more answers. */
  ask(number: number, prompt: string, choices: readonly Choice[]): void {
    for (const earlier of this.questions.values()) earlier.open = false;
    this.questions.set(number, { number, prompt, choices: choices.map(({ value, meaning }) => ({ value, meaning })), votes: new Map(), open: true });
    this.focus = number;
  }

  /** A student's answer to the question open now; their earlier answer to it is replaced. */
  vote(voter: string, number: unknown, value: unknown): VoteResult {
    const question = this.question;
    if (!question || number !== question.number) return 'not-this-question';
    if (!question.open) return 'closed';
    const choice = question.choices.find((each) => each.value === value);
    if (!choice) return 'not-a-choice';
    question.votes.set(voter, choice.value);
    return 'taken';
  }

  /** The terminal answered: no more answers from the room. The counts, by value, in the order offered. */
  close(number: number, teacher: string | undefined): Record<string, number> {
    const question = this.questions.get(number);
    if (!question) return {};
    question.open = false;
    if (teacher !== undefined) question.teacher = teacher;
    return this.counts(question);
  }

  /** What the table showed. */
  reveal(number: number, actual: string): void {
    const question = this.questions.get(number);
    if (!question) return;
    question.open = false;
    question.actual = actual;
    this.focus = number;
  }

  private counts(question: OpenQuestion): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const choice of question.choices) counts[choice.value] = 0;
    for (const value of question.votes.values()) counts[value] = (counts[value] ?? 0) + 1;
    return counts;
  }

  /** What a page is told: the teacher's page gets the histogram, a student's page its own answer. */
  viewFor(page: { teacher: boolean; voter?: string | undefined }): RoomView | undefined {
    const question = this.question;
    if (!question) return undefined;
    const said = pageWords().room;
    const view: RoomView = {
      number: question.number,
      prompt: question.prompt,
      heading: said.heading(question.number),
      choices: question.choices,
      open: question.open,
      status: question.open ? said.open : said.closed,
    };
    if (question.actual !== undefined) {
      view.actual = question.actual;
      view.actualText = said.tableShowed(question.actual);
    }
    if (page.teacher) {
      const counts = this.counts(question);
      view.counts = question.choices.map((choice) => counts[choice.value] ?? 0);
      view.total = question.votes.size;
      view.totalText = said.answers(question.votes.size);
      if (question.teacher !== undefined) {
        view.teacher = question.teacher;
        view.teacherText = said.teacherAnswer(question.teacher);
      }
      return view;
    }
    const mine = page.voter === undefined ? undefined : question.votes.get(page.voter);
    if (mine !== undefined) {
      view.mine = mine;
      view.mineText = said.yourAnswer(mine);
    }
    if (question.actual !== undefined) view.verdict = mine === undefined ? said.noAnswer : mine === question.actual ? said.right : said.wrong;
    return view;
  }
}
