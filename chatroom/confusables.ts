// Names that look alike: the skeletons of UTS #39 (Unicode Security Mechanisms, section 4).
//
// "аdmin" with a Cyrillic а prints exactly like "admin". Unicode publishes, for every character
// that can be mistaken for another, its prototype (а → a, 0 → O, 1 → l, m → rn, ...). The
// skeleton of a string is: decompose it (NFD), replace each character by its prototype, decompose
// again. Two strings with the same skeleton are confusable.
//
// The npm package `confusables` was considered: it maps look-alikes to English letters for
// profanity filters (its own table, not Unicode's; "ΑDΜΙΝ" becomes "ADMlN", "r00t" stays), which
// is not UTS #39, so the table here is generated from Unicode's own data (confusables-data.ts).
import { CONFUSABLE_PAIRS } from './confusables-data.js';

let table: Map<string, string> | undefined;

function prototypes(): Map<string, string> {
  if (table) return table;
  table = new Map();
  for (const line of CONFUSABLE_PAIRS.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) table.set(line.slice(0, space), line.slice(space + 1));
  }
  return table;
}

/** The UTS #39 skeleton of a string. */
export function skeleton(text: string): string {
  const map = prototypes();
  let mapped = '';
  for (const char of text.normalize('NFD')) mapped += map.get(char) ?? char;
  return mapped.normalize('NFD');
}

/**
 * The keys a name is compared by: the skeletons of the name as written (after NFKC, which folds
 * full-width letters), in lower case and in upper case. Case matters to the eye only a little
 * ("Admin" reads as "admin"), and some look-alikes exist in one case only (Greek capital Ι looks
 * like I, not like i), so two names are confusable when any of their keys agree.
 */
export function confusableKeys(name: string): string[] {
  const folded = name.normalize('NFKC');
  return [...new Set([skeleton(folded), skeleton(folded.toLowerCase()), skeleton(folded.toUpperCase())])];
}

/** Do these two names look alike (or are they the same)? */
export function confusable(a: string, b: string): boolean {
  const keys = new Set(confusableKeys(a));
  return confusableKeys(b).some((key) => keys.has(key));
}
