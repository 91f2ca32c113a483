// The layout's promises (DESIGN.md), checked on the code itself:
//   - lib/proc is the one reader of /proc: no other module of lib/, test/ or bench/ opens a path under it;
//   - lib/observe is the one writer of a run's record;
//   - no import crosses a line the design forbids (the "nevers").
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { projectRoot } from './support/run-lesson.js';
import { LONG_FILES_FIRST, SHARED_WORKER_FILES } from './support/file-order.js';

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(join(projectRoot, dir))) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name === 'fixtures') continue;
    if (statSync(join(projectRoot, path)).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** The code of a file without its comments (a comment may name /proc; code may not open it). */
function code(file: string): string {
  return readFileSync(join(projectRoot, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

describe('lib/proc is the one reader of /proc', () => {
  test('no module outside lib/proc opens a path under /proc', () => {
    const readers = ['lib', 'test', 'bench']
      .flatMap(sourceFiles)
      .filter((file) => !file.startsWith('lib/proc/') && file !== 'test/architecture.test.ts')
      .filter((file) => /['"`]\/proc(?:\/|['"`])/.test(code(file)));
    expect(readers).toEqual([]);
  });

  test('the check above finds a reader (it can fail)', () => {
    expect(/['"`]\/proc(?:\/|['"`])/.test("readFileSync(`/proc/${pid}/stat`)")).toBe(true);
    expect(/['"`]\/proc(?:\/|['"`])/.test("readdirSync('/proc')")).toBe(true);
  });
});

/** Writes into a run's record: pushing into its lists, or setting its end, questions or exits. */
const RECORD_WRITE = /\.(?:output|checkpoints|facts|processes|questions|spans|events)\.push\(|\.(?:end|questions|exit|gone|reapedBy|sampleCount)\s*(?:=(?!=)|\+\+)|\bsampleCount\+\+/;

describe('lib/observe is the one writer of the run record', () => {
  test('nothing outside lib/observe writes it', () => {
    const writers = ['lib', 'bench', 'chatroom']
      .flatMap(sourceFiles)
      .filter((file) => !file.startsWith('lib/observe/'))
      .filter((file) => {
        // A module that never sees the record (it imports nothing from lib/observe) cannot write it.
        const text = code(file);
        return /observe\//.test(text) && RECORD_WRITE.test(text);
      });
    expect(writers).toEqual([]);
  });

  test('the check above finds a write (it can fail)', () => {
    expect(RECORD_WRITE.test('timeline.output.push({ t, stream, text })')).toBe(true);
    expect(RECORD_WRITE.test('record.exit = info')).toBe(true);
    expect(RECORD_WRITE.test('if (record.exit === undefined)')).toBe(false);
  });
});

/** The parts of the design, by folder (DESIGN.md, "Layout"). */
const PARTS: Array<[string, string]> = [
  ['lessons/', 'Lessons'],
  ['solutions/', 'Solutions'],
  ['chatroom/', 'Chatroom'],
  ['lib/cli/', 'CLI'],
  ['lib/present/', 'Present'],
  ['lib/exercises/', 'Exercises'],
  ['lib/words/', 'Words'],
  ['lib/lesson/', 'LessonAPI'],
  ['lib/run/', 'Run'],
  ['lib/observe/', 'Observe'],
  ['lib/proc/', 'Proc'],
  ['lib/posix/', 'Posix'],
];

/** The imports the design forbids, and why. */
const NEVERS: Array<[string, string, string]> = [
  ['Lessons', 'Run', 'a lesson knows no engine'],
  ['Lessons', 'Observe', 'lessons do, the observer sees'],
  ['Observe', 'Present', 'the record knows no view'],
  ['Observe', 'CLI', 'the record knows no command'],
  ['Run', 'Present', 'the engine knows no screen'],
  ['Run', 'CLI', 'the engine knows no command'],
  ['LessonAPI', 'Run', 'only through the control channel'],
  ['Exercises', 'CLI', 'checks know no command line'],
  ['Chatroom', 'Run', 'the chatroom runs alone'],
  ['Proc', 'Observe', 'imports point down'],
  ['Proc', 'Run', 'imports point down'],
  ['Words', 'CLI', 'sentences know no command'],
  ['Words', 'Present', 'sentences know no view'],
];

function partOf(file: string): string | undefined {
  return PARTS.find(([folder]) => file.startsWith(folder))?.[1];
}

function importsOf(file: string): string[] {
  const found: string[] = [];
  for (const match of code(file).matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    found.push(relative(projectRoot, resolve(projectRoot, dirname(file), match[1]!)));
  }
  return found;
}

describe('imports follow the design', () => {
  test('no import breaks a never of the design', () => {
    const broken: string[] = [];
    for (const file of ['lib', 'lessons', 'solutions', 'chatroom'].flatMap(sourceFiles)) {
      const from = partOf(file);
      for (const target of importsOf(file)) {
        const to = partOf(target);
        const never = NEVERS.find(([a, b]) => a === from && b === to);
        if (never) broken.push(`${file} imports ${target}: ${from} → ${to} is never (${never[2]})`);
      }
    }
    expect(broken).toEqual([]);
  });

  test('the import reader sees relative imports, and the parts are found', () => {
    expect(partOf('lib/run/engine.ts')).toBe('Run');
    expect(importsOf('lib/run/engine.ts')).toContain('lib/observe/observer.js');
  });
});

describe('the order the suite starts its files in', () => {
  test('names only test files that exist, each once', () => {
    for (const file of LONG_FILES_FIRST) expect(existsSync(join(projectRoot, file)), file).toBe(true);
    expect(new Set(LONG_FILES_FIRST).size).toBe(LONG_FILES_FIRST.length);
  });

  test('the files that share workers exist, and leave nothing behind in a process they share', () => {
    // What a file would leave in the process: mocks and spies, environment, signal handlers, a
    // subreaper, a config change; and a module it imports that registers hooks as it loads (they
    // would run for the first file that imported it only).
    const leaves = /\bvi\.(mock|doMock|spyOn|stubEnv|stubGlobal|setConfig|useFakeTimers)\b|becomeSubreaper|process\.(on|once|chdir)\(|process\.env(\.\w+|\[[^\]]+\])\s*=[^=]|delete process\.env|process\.(title|kill)\s*=[^=]/;
    const registersHooks = (file: string): boolean => /^(afterEach|beforeEach|beforeAll|afterAll)\(/m.test(readFileSync(join(projectRoot, file), 'utf8'));
    for (const file of SHARED_WORKER_FILES) {
      expect(existsSync(join(projectRoot, file)), file).toBe(true);
      expect(LONG_FILES_FIRST, file).not.toContain(file);
      const text = readFileSync(join(projectRoot, file), 'utf8');
      if (file !== 'test/architecture.test.ts') expect(leaves.exec(text)?.[0], file).toBeUndefined(); // this file names them, in the pattern above
      const imported = [...text.matchAll(/^import [^;]*? from '(\.[^']+)'/gm)].map((match) => relative(projectRoot, resolve(dirname(join(projectRoot, file)), match[1]!.replace(/\.js$/, '.ts'))));
      for (const module of imported) if (module.startsWith('test/') && existsSync(join(projectRoot, module))) expect(registersHooks(module), `${file} imports ${module}`).toBe(false);
    }
    expect(new Set(SHARED_WORKER_FILES).size).toBe(SHARED_WORKER_FILES.length);
  });
});
