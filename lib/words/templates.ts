// Translating sentences that were written in English with values in them ("child 4242 exited
// with 3"), without turning the code that writes them into a bilingual page. A table maps each
// English sentence to its translation; a sentence built with values is a template: `{}` stands
// where a value goes, e.g.
//   "child {} exited with {}": "子进程 {} 以退出码 {} 结束"
// The translation takes the values in the same order with `{}`, or in any order with `{1}`, `{2}`.
// A value that is itself an entry of the table is put in translated. A key starting with "$" is
// a note for the tests, not a sentence. Used for a lesson's own lines (lib/lesson/translate.ts)
// and for the checks' failure sentences (check-sentences.ts).

export type Translations = Record<string, string>;

interface Template {
  pattern: RegExp;
  /** How many characters are not placeholders: the more, the more specific. */
  weight: number;
  chinese: string;
}

/** Turns a key with `{}` placeholders into an anchored pattern. */
export function templatePattern(key: string): RegExp {
  const pieces = key.split('{}').map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${pieces.join('([^]*?)')}$`);
}

/** Puts the values into a Chinese template: `{}` in order, `{N}` for the Nth value. */
export function fillTemplate(chinese: string, values: readonly string[]): string {
  let next = 0;
  return chinese.replace(/\{(\d*)\}/g, (_, index: string) => (index === '' ? (values[next++] ?? '') : (values[Number(index) - 1] ?? '')));
}

export class Translator {
  private readonly exact = new Map<string, string>();
  private readonly templates: Template[] = [];

  constructor(entries: Translations) {
    for (const [english, chinese] of Object.entries(entries)) {
      if (english.startsWith('$')) continue;
      if (english.includes('{}')) {
        this.templates.push({ pattern: templatePattern(english), weight: english.replaceAll('{}', '').length, chinese });
      } else {
        this.exact.set(english, chinese);
      }
    }
    this.templates.sort((a, b) => b.weight - a.weight);
  }

  /** A value put into a template: its Chinese if it is a sentence of the file, padding kept. */
  private value(text: string): string {
    const [, before = '', core = '', after = ''] = /^(\s*)([^]*?)(\s*)$/.exec(text) ?? [];
    const found = core ? this.lookUp(core) : undefined; // shorter than the line: the recursion ends
    return found === undefined ? text : `${before}${found}${after}`;
  }

  /** The Chinese of one sentence, or undefined when the file has none. */
  lookUp(text: string): string | undefined {
    const exact = this.exact.get(text);
    if (exact !== undefined) return exact;
    for (const template of this.templates) {
      const match = template.pattern.exec(text);
      // A value that is itself a sentence of the file (a label, an error the lesson wrote) is translated too.
      if (match) return fillTemplate(template.chinese, match.slice(1).map((value) => this.value(value)));
    }
    return undefined;
  }
}

