// The lesson menu (`npm run lesson` with no lesson named): one line per lesson, its number, title
// and summary, in the language the runner speaks.
//
// Every line must fit the terminal, measured in cells: a Chinese title takes two cells a
// character, and a line that wrapped would leave pieces behind when enquirer redraws the list
// (it counts the lines it has to clear by characters, not cells).
//
// A lesson is chosen with the arrows or by its number: enquirer's own number keys count from 0
// (typing 5 would focus the sixth entry, 1 then 2 the third), so the select below reads the
// digits typed as the lesson's number ("1", "2" → lesson 12). Esc, q or Ctrl-C leaves the menu.
import { passedExercises } from '../exercises/progress.js';
import { availableLessons, describeChoices, findLesson, type AvailableLesson } from './catalogue.js';
import { availableExercises } from './exercise-catalogue.js';
import { UserError } from '../words/user-error.js';
import { says } from '../words/cli.js';
import { cellWidth, truncate } from '../present/views/text.js';

export interface MenuChoice {
  name: string;
  message: string;
  hint: string;
}

/**
 * The menu's entries for a terminal `columns` wide: "NN  title ✓" and, as far as it fits,
 * "— summary" (cut with '…', or left out when fewer than 8 cells remain).
 */
export function menuChoices(lessons: readonly AvailableLesson[], passed: ReadonlySet<number>, columns: number): MenuChoice[] {
  const room = columns - 8; // enquirer's pointer and margins
  return lessons.map((lesson) => {
    const mark = passed.has(lesson.number) ? ' ✓' : '';
    const number = `${String(lesson.number).padStart(2)}  `;
    // A title too long for a narrow terminal is cut (its number and ✓ never are): a wrapped entry would break the redraw.
    const title = truncate(lesson.title, room - cellWidth(number) - cellWidth(mark), true);
    const message = `${number}${title}${mark}`;
    const hint = `${says().hintDash}${lesson.summary}`;
    const space = room - cellWidth(message) - 1;
    return { name: String(lesson.number), message, hint: cellWidth(hint) <= space ? hint : space > 8 ? truncate(hint, space, true) : '' };
  });
}

/** Digits typed within this long of each other make one number ("1", "2" → 12). */
export const DIGIT_PAUSE_MS = 1500;

/**
 * The lesson a run of typed digits means: the number they make if there is such a lesson, else
 * the last digit alone (a fresh start), else none. `typed` is the digits so far, newest last.
 */
export function lessonForDigits(typed: string, numbers: readonly number[]): { number: number; typed: string } | undefined {
  for (const candidate of [typed, typed.slice(-1)]) {
    const number = Number(candidate);
    if (candidate !== '' && numbers.includes(number)) return { number, typed: candidate };
  }
  return undefined;
}

/** The parts of enquirer's select prompt the lesson menu uses (its own typings do not list them). */
interface SelectPrompt {
  choices: Array<{ name: string; index: number }>;
  visible: Array<{ name: string; index: number }>;
  limit: number;
  index: number;
  options: { choices: MenuChoice[] };
  render(): unknown;
  alert(): unknown;
  cancel(error?: unknown): unknown;
}
type SelectClass = new (options: object) => SelectPrompt & { run(): Promise<string> };

/** A select whose number keys pick a lesson by its number, and where q leaves as Esc does. */
function lessonSelect(Select: SelectClass): SelectClass {
  return class LessonSelect extends Select {
    private typed = '';
    private typedAt = 0;

    number(digit: string): unknown {
      const now = Date.now();
      const typed = (now - this.typedAt <= DIGIT_PAUSE_MS ? this.typed : '') + digit;
      this.typedAt = now;
      const found = lessonForDigits(typed, this.choices.map((choice) => Number(choice.name)));
      if (!found) {
        this.typed = '';
        return this.alert();
      }
      this.typed = found.typed;
      return this.focus(String(found.number));
    }

    /** Focuses the entry named `name`, scrolling the list if it is out of sight (as enquirer does). */
    focus(name: string): unknown {
      const ordered = [...this.choices].sort((a, b) => a.index - b.index);
      const choice = ordered.find((each) => each.name === name)!;
      if (!this.visible.includes(choice)) {
        const at = ordered.indexOf(choice);
        const start = Math.max(0, Math.min(at, ordered.length - this.limit));
        this.choices = [...ordered.slice(start), ...ordered.slice(0, start)];
      }
      this.index = this.choices.indexOf(choice);
      return this.render();
    }

    dispatch(key: string): unknown {
      if (key === 'q' || key === 'Q') return this.cancel();
      return this.alert();
    }
  };
}

/** The next lesson the student picks; undefined when they leave the menu (Esc, q, Ctrl-C). */
export async function pickFromMenu(): Promise<AvailableLesson | undefined> {
  const lessons = availableLessons();
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UserError(says().noTerminalForMenu(describeChoices()));
  const { default: Enquirer } = await import('enquirer');
  const passed = passedExercises(availableExercises()); // ✓: the lesson's exercise passes (npm run check)
  const choices = menuChoices(lessons, passed, process.stdout.columns || 80);
  const Select = (Enquirer as unknown as { Select: SelectClass }).Select;
  const LessonSelect = lessonSelect(Select);
  try {
    const columns = process.stdout.columns || 80;
    const footer = `\x1b[2m${truncate(says().menuKeys, columns - 1, true)}\x1b[22m`;
    const answer = await new LessonSelect({ name: 'lesson', message: says().whichLesson, footer, choices }).run();
    const found = findLesson(answer);
    if (!found) throw new UserError(says().noLessonChosen);
    return found;
  } catch (error) {
    if (error instanceof UserError) throw error;
    return undefined; // Esc, q or Ctrl-C in the menu
  }
}
