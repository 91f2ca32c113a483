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

/** A Chinese character or a Chinese punctuation mark: no space is written beside one. */
const HAN = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

/**
 * fillTemplate, for values some of which were put in Chinese: a template spaces its `{}` for a
 * value such as "pid 12" ("子进程 {} 是被 {} 回收的"); where the value came in as Chinese
 * ("检查程序"), the space between it and the template's Chinese goes ("是被检查程序回收的").
 */
function fillTranslated(chinese: string, values: readonly string[], translated: readonly boolean[]): string {
  const pieces = chinese.split(/\{\d*\}/);
  const indexes: number[] = [];
  let next = 0;
  for (const match of chinese.matchAll(/\{(\d*)\}/g)) indexes.push(match[1] === '' ? next++ : Number(match[1]) - 1);
  let text = pieces[0]!;
  indexes.forEach((index, at) => {
    const value = values[index] ?? '';
    let after = pieces[at + 1]!;
    if (translated[index]) {
      if (HAN.test(value.charAt(0)) && / $/.test(text) && HAN.test(text.charAt(text.length - 2))) text = text.slice(0, -1);
      if (HAN.test(value.charAt(value.length - 1)) && /^ /.test(after) && HAN.test(after.charAt(1))) after = after.slice(1);
    }
    text += value + after;
  });
  return text;
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
      if (match) {
        const values = match.slice(1);
        const chinese = values.map((value) => this.value(value));
        return fillTranslated(template.chinese, chinese, chinese.map((each, index) => each !== values[index]));
      }
    }
    return undefined;
  }
}

