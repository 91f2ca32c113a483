// The glossary's rules (lessons/GLOSSARY.zh.md) and the Chinese texts they apply to.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
const glossaryFile = join(root, 'lessons', 'GLOSSARY.zh.md');

export interface Rule {
  term: string;
  chinese: string;
  forbidden: string[];
  allowed: string[];
}

const ticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);

/** The rows of the glossary's table. */
export function glossaryRules(text = readFileSync(glossaryFile, 'utf8')): Rule[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*(term|---)/.test(line))
    .map((line) => {
      const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
      return { term: cells[0]!, chinese: cells[1]!, forbidden: ticked(cells[2] ?? ''), allowed: ticked(cells[3] ?? '') };
    });
}

function walk(dir: string, keep: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? walk(path, keep) : keep(path) ? [path] : [];
  });
}

/** Every file that holds Chinese a reader sees. Whole files: a forbidden variant is Chinese, so English code never matches. */
export function chineseTexts(): string[] {
  const lessons = walk(join(root, 'lessons'), (path) => /\.zh\.(md|json)$/.test(path) && !path.endsWith('GLOSSARY.zh.md'));
  const words = walk(join(root, 'lib'), (path) => /\.(ts|js|html)$/.test(path));
  const chat = walk(join(root, 'chatroom'), (path) => /\.(ts|md)$/.test(path) && !path.endsWith('README.md'));
  const rootReadme = join(root, 'README.zh.md');
  return [...lessons, join(root, 'lessons', 'index.ts'), ...words, ...chat, ...(existsSync(rootReadme) ? [rootReadme] : [])];
}

export interface Finding {
  where: string;
  variant: string;
  use: string;
  line: string;
}

/** Forbidden variants in one text, except inside an allowed context. */
export function findVariants(text: string, rules: readonly Rule[], where: string): Finding[] {
  const findings: Finding[] = [];
  text.split('\n').forEach((line, index) => {
    for (const rule of rules) {
      for (const variant of rule.forbidden) {
        let at = line.indexOf(variant);
        while (at >= 0) {
          const covered = rule.allowed.some((allowed) => {
            const start = line.indexOf(allowed);
            const offset = allowed.indexOf(variant);
            return start >= 0 && offset >= 0 && line.slice(at - offset, at - offset + allowed.length) === allowed;
          });
          if (!covered) findings.push({ where: `${where}:${index + 1}`, variant, use: rule.chinese, line: line.trim().slice(0, 80) });
          at = line.indexOf(variant, at + variant.length);
        }
      }
    }
  });
  return findings;
}
