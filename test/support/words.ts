// For the tests of the runner's words in each language (predict quiz, projector page, handout).

/**
 * Chinese: an ideograph, or the full-width punctuation Chinese text is written with. Some entries
 * are only a format around what they are given ("name（1.2s）"): their punctuation makes them Chinese.
 */
export const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

/**
 * Every word of a words object, by its path ("page.title"): strings as they are, functions called
 * with `sample` as their arguments, so the words they put around them show.
 */
export function wordLeaves(words: object, sample: (parameters: number) => unknown[], path = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(words)) {
    const at = path ? `${path}.${key}` : key;
    if (typeof value === 'function') found.set(at, String((value as (...args: unknown[]) => unknown)(...sample(value.length))));
    else if (typeof value === 'object' && value !== null) for (const [inner, text] of wordLeaves(value as object, sample, at)) found.set(inner, text);
    else found.set(at, String(value));
  }
  return found;
}
