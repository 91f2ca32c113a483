// Translating sentences that were written in English with values in them ("Ticket 28 was sold 4
// times"), without turning the code that writes them into a bilingual page. A table maps each
// English template, its values written {0}, {1} …, to the translation, which may put the values in
// another order. A sentence with no entry stays English: the tests list every template the code can
// say and fail on one without a translation.

export type TemplateTable = Readonly<Record<string, string>>;

interface Compiled {
  pattern: RegExp;
  translation: string;
  /** The placeholder number each capture group holds, in the order they appear in English. */
  order: number[];
}

const cache = new WeakMap<TemplateTable, { exact: Map<string, string>; patterns: Compiled[] }>();

function compile(table: TemplateTable): { exact: Map<string, string>; patterns: Compiled[] } {
  const known = cache.get(table);
  if (known) return known;
  const exact = new Map<string, string>();
  const patterns: Compiled[] = [];
  for (const [english, translation] of Object.entries(table)) {
    if (!/\{\d+\}/.test(english)) {
      exact.set(english, translation);
      continue;
    }
    const order: number[] = [];
    const source = english
      .split(/(\{\d+\})/)
      .map((part) => {
        const placeholder = /^\{(\d+)\}$/.exec(part);
        if (placeholder) {
          order.push(Number(placeholder[1]));
          return '([\\s\\S]+?)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    patterns.push({ pattern: new RegExp(`^${source}$`), translation, order });
  }
  // The most specific templates first: the ones with the most fixed text.
  patterns.sort((a, b) => b.pattern.source.length - a.pattern.source.length);
  const compiled = { exact, patterns };
  cache.set(table, compiled);
  return compiled;
}

/** The translation of `text` by the table, or undefined when no template matches it. */
export function translateWith(table: TemplateTable, text: string): string | undefined {
  const { exact, patterns } = compile(table);
  const found = exact.get(text);
  if (found !== undefined) return found;
  for (const { pattern, translation, order } of patterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    const values = new Map<number, string>();
    order.forEach((index, position) => values.set(index, match[position + 1]!));
    return translation.replace(/\{(\d+)\}/g, (whole, index: string) => values.get(Number(index)) ?? whole);
  }
  return undefined;
}

/** The English templates a piece of code can say: each string or template literal, values as {0}, {1} … */
export function templateOf(literal: string): string {
  let index = 0;
  let depth = 0;
  let out = '';
  for (let at = 0; at < literal.length; at++) {
    if (depth === 0 && literal[at] === '$' && literal[at + 1] === '{') {
      depth = 1;
      at++;
      out += `{${index++}}`;
      continue;
    }
    if (depth > 0) {
      if (literal[at] === '{') depth++;
      else if (literal[at] === '}') depth--;
      continue;
    }
    out += literal[at];
  }
  return out;
}
