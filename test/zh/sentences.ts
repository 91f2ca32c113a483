// Every sentence a lesson prints, read from its source: the English side of lesson.zh.json.
//
// The lesson's files are parsed with the TypeScript compiler. A call to say, explain, warn, step,
// checkpoint, sentence, or question({ prompt }) gives its sentence: a string as written, a template literal
// with `{}` for each value, a choice (`a ? 'x' : 'y'`) or a const holding one as each of its
// variants. An argument that is none of these (a variable, a call) is "dynamic": the translation
// file must name it under "$dynamic", where a person says why it needs no entry of its own.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export const PRINTING = new Set(['say', 'explain', 'warn', 'step', 'checkpoint', 'sentence']);

export interface LessonSentences {
  /** Every template, with the file and line where it is printed. */
  sentences: Map<string, string>;
  /** Arguments that are not written-out sentences: their source text, with where they are. */
  dynamic: Map<string, string>;
  /** Every string and template literal in the folder's files (sentences passed in as data). */
  literals: Set<string>;
  /** Printing the lesson does besides lib/lesson's calls (process.stdout.write, console.log): source text, where. */
  otherPrinting: Map<string, string>;
  /**
   * The words that can reach a sentence as one of its values (a phrase in a const or a helper's
   * return, a word inside a sentence's argument, `plural`'s nouns): each template, where. Only
   * read when asked for (`{ parts: true }`).
   */
  parts: Map<string, string>;
}

const MAX_VARIANTS = 64;

/**
 * The literal nodes an expression's sentences are made of (the expression succeeded in
 * `variants`): their words are in the sentence, so none of them is a value of its own.
 */
function markText(node: ts.Expression, consts: Map<string, ts.Expression>, marked: Set<ts.Node>, depth = 0): void {
  if (depth > 8) return;
  if (ts.isParenthesizedExpression(node)) return markText(node.expression, consts, marked, depth + 1);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) marked.add(node);
  else if (ts.isTemplateExpression(node)) {
    marked.add(node);
    for (const span of node.templateSpans) {
      if (choice(span.expression, consts, depth + 1)) markText(span.expression, consts, marked, depth + 1);
    }
  } else if (ts.isConditionalExpression(node)) {
    markText(node.whenTrue, consts, marked, depth + 1);
    markText(node.whenFalse, consts, marked, depth + 1);
  } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    markText(node.left, consts, marked, depth + 1);
    markText(node.right, consts, marked, depth + 1);
  } else if (ts.isIdentifier(node) && consts.has(node.text)) markText(consts.get(node.text)!, consts, marked, depth + 1);
}

/** The sentences an expression can be, or undefined when they cannot be read from the source. */
function variants(node: ts.Expression, consts: Map<string, ts.Expression>, depth = 0): string[] | undefined {
  if (depth > 8) return undefined;
  if (ts.isParenthesizedExpression(node)) return variants(node.expression, consts, depth + 1);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) {
    let results = [node.head.text];
    for (const span of node.templateSpans) {
      const inner = choice(span.expression, consts, depth + 1) ?? ['{}'];
      const next: string[] = [];
      for (const before of results) for (const value of inner) next.push(before + value + span.literal.text);
      if (next.length > MAX_VARIANTS) return undefined;
      results = next;
    }
    return results;
  }
  if (ts.isConditionalExpression(node)) {
    const yes = variants(node.whenTrue, consts, depth + 1);
    const no = variants(node.whenFalse, consts, depth + 1);
    return yes && no ? [...yes, ...no] : undefined;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = variants(node.left, consts, depth + 1);
    const right = variants(node.right, consts, depth + 1);
    if (!left || !right) return undefined;
    return left.flatMap((a) => right.map((b) => a + b));
  }
  if (ts.isIdentifier(node) && consts.has(node.text)) return variants(consts.get(node.text)!, consts, depth + 1);
  return undefined;
}

/** Inside a template: a choice between written strings stays words; anything else is a value. */
function choice(node: ts.Expression, consts: Map<string, ts.Expression>, depth: number): string[] | undefined {
  const inner = ts.isParenthesizedExpression(node) ? node.expression : node;
  if (ts.isConditionalExpression(inner) || (ts.isIdentifier(inner) && consts.has(inner.text) && isChoice(consts.get(inner.text)!))) {
    return variants(inner, consts, depth);
  }
  return undefined;
}

function isChoice(node: ts.Expression): boolean {
  const inner = ts.isParenthesizedExpression(node) ? node.expression : node;
  return ts.isConditionalExpression(inner);
}

function calleeName(call: ts.CallExpression): string | undefined {
  return ts.isIdentifier(call.expression) ? call.expression.text : undefined;
}

function promptOf(call: ts.CallExpression): ts.Expression | undefined {
  const arg = call.arguments[0];
  if (!arg || !ts.isObjectLiteralExpression(arg)) return undefined;
  for (const property of arg.properties) {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'prompt') return property.initializer;
  }
  return undefined;
}

/** Reads every .ts file of a lesson folder (lesson.ts and the helpers beside it). */
export function lessonSentences(folder: string): LessonSentences {
  return sentencesIn(
    readdirSync(folder)
      .filter((name) => name.endsWith('.ts') && name !== 'exercise.ts')
      .map((name) => join(folder, name)),
    PRINTING,
  );
}

/**
 * The sentences passed to calls of `callees` in these files (and `new CheckFailure(…)` when
 * 'fail' is among them): the English side of a translation table.
 */
export function sentencesIn(files: string[], callees: ReadonlySet<string>, options: { parts?: boolean } = {}): LessonSentences {
  const found: LessonSentences = { sentences: new Map(), dynamic: new Map(), literals: new Set(), otherPrinting: new Map(), parts: new Map() };
  for (const path of files) {
    const file = path.split('/').slice(-2).join('/');
    const source = ts.createSourceFile(file, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
    const consts = new Map<string, ts.Expression>();
    const where = (node: ts.Node): string => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const collectConsts = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && node.parent.flags & ts.NodeFlags.Const) {
        consts.set(node.name.text, node.initializer);
      }
      ts.forEachChild(node, collectConsts);
    };
    collectConsts(source);
    // The literals whose words are a sentence's own, and the arguments the sentences are made from.
    const marked = new Set<ts.Node>();
    const arguments_: ts.Expression[] = [];
    const add = (expression: ts.Expression): void => {
      arguments_.push(expression);
      const all = variants(expression, consts);
      if (all) {
        for (const sentence of all) found.sentences.set(sentence, where(expression));
        markText(expression, consts, marked);
      } else found.dynamic.set(expression.getText(source), where(expression));
    };
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.literals.add(node.text);
      if (ts.isTemplateExpression(node)) for (const each of variants(node, consts) ?? []) found.literals.add(each);
      if (ts.isNewExpression(node) && callees.has('fail') && ts.isIdentifier(node.expression) && node.expression.text === 'CheckFailure' && node.arguments?.[0]) add(node.arguments[0]);
      if (ts.isCallExpression(node)) {
        const callee = calleeName(node);
        if (callee && callees.has(callee)) {
          // say() joins its parts with a space; the others take one sentence.
          if (callee === 'say' && node.arguments.length > 1) found.dynamic.set(node.getText(source), where(node));
          else if (node.arguments[0]) add(node.arguments[0]);
        } else if (callee === 'question') {
          const prompt = promptOf(node);
          if (prompt) add(prompt);
        }
        const text = node.expression.getText(source);
        if (/^(process\.(stdout|stderr)\.write|console\.(log|error|warn|info))$/.test(text)) found.otherPrinting.set(node.getText(source).replace(/\s+/g, ' ').slice(0, 60), where(node));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    if (options.parts) collectParts(source, consts, marked, arguments_, where, found.parts);
  }
  return found;
}

/** Two words side by side: a phrase someone reads, not a name or a piece of code. */
const PHRASE = /[A-Za-z]+ [A-Za-z]+|[A-Za-z]{2,} \{\}|\{\} [A-Za-z]{2,}/;
const WORD = /[A-Za-z]{2,}/;
const EQUALITY = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);

/**
 * The parts of sentences (see LessonSentences.parts): every phrase of the file that is not a
 * sentence's own words, every word inside a sentence's argument that is not (a value the sentence
 * is given), and for `plural(n, 'child', 'children')` the values it makes, "{} child" and
 * "{} children". A literal compared with `===` is a value looked for, not one shown.
 */
function collectParts(
  source: ts.SourceFile,
  consts: Map<string, ts.Expression>,
  marked: Set<ts.Node>,
  sentenceArguments: ts.Expression[],
  where: (node: ts.Node) => string,
  parts: Map<string, string>,
): void {
  const inside = (node: ts.Node): boolean => sentenceArguments.some((argument) => node.pos >= argument.pos && node.end <= argument.end);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isCallExpression(node) && calleeName(node) === 'plural') {
      const [, one, many] = node.arguments;
      if (one && ts.isStringLiteral(one)) {
        marked.add(one);
        parts.set(`{} ${one.text}`, where(one));
        if (many && ts.isStringLiteral(many)) marked.add(many);
        parts.set(`{} ${many && ts.isStringLiteral(many) ? many.text : `${one.text}s`}`, where(one));
      }
    }
    const literal = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
    const compared = node.parent !== undefined && ts.isBinaryExpression(node.parent) && EQUALITY.has(node.parent.operatorToken.kind);
    if (literal && !marked.has(node) && !compared) {
      const texts = variants(node as ts.Expression, consts);
      if (texts) {
        markText(node as ts.Expression, consts, marked);
        for (const text of texts) if (PHRASE.test(text) || (inside(node) && WORD.test(text))) parts.set(text, where(node));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

export const lessonsRoot = join(import.meta.dirname, '..', '..', 'lessons');

export function lessonFolders(): string[] {
  return readdirSync(lessonsRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d\d-/.test(entry.name))
    .map((entry) => join(lessonsRoot, entry.name))
    .sort();
}
