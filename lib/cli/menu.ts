// The lesson menu (`npm run lesson` with no lesson named): one line per lesson, its number, title
// and summary, in the language the runner speaks.
//
// Every line must fit the terminal, measured in cells: a Chinese title takes two cells a
// character, and a line that wrapped would leave pieces behind when enquirer redraws the list
// (it counts the lines it has to clear by characters, not cells).
import { passedExercises } from '../exercises/progress.js';
import { availableExercises, availableLessons, describeChoices, findLesson, type AvailableLesson } from './catalogue.js';
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
    const message = `${String(lesson.number).padStart(2)}  ${lesson.title}${passed.has(lesson.number) ? ' ✓' : ''}`;
    const hint = `${says().hintDash}${lesson.summary}`;
    const space = room - cellWidth(message) - 1;
    return { name: String(lesson.number), message, hint: cellWidth(hint) <= space ? hint : space > 8 ? truncate(hint, space, true) : '' };
  });
}

export async function pickFromMenu(): Promise<AvailableLesson> {
  const lessons = availableLessons();
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UserError(says().noTerminalForMenu(describeChoices()));
  const { default: Enquirer } = await import('enquirer');
  const passed = passedExercises(availableExercises()); // ✓: the lesson's exercise passes (npm run check)
  const choices = menuChoices(lessons, passed, process.stdout.columns || 80);
  try {
    const answer = (await Enquirer.prompt({ type: 'select', name: 'lesson', message: says().whichLesson, choices })) as { lesson: string };
    const found = findLesson(answer.lesson);
    if (!found) throw new UserError(says().noLessonChosen);
    return found;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(says().noLessonChosen, 130); // Esc or Ctrl-C in the menu
  }
}
