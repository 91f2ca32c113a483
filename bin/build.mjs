// Compiles the workbook's TypeScript ahead of time, once, with esbuild.
//
// Why not run the .ts files through tsx every time? A lesson forks processes; each one would pay
// for tsx's loader (about 3x the start of a plain `node`) and start an esbuild service process of
// its own that would show up in the process table. A bundled .mjs file starts as fast as plain
// Node. `npx tsx lessons/01-fork/lesson.ts` still works for a student who wants it.
//
// The build is incremental in the cheapest way: a manifest lists every input file esbuild read;
// when none is newer than the build and no entry point was added or removed, nothing is done.
import { readdirSync, statSync, readFileSync, writeFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = dirname(dirname(fileURLToPath(import.meta.url)));
export const distDir = join(root, 'dist');
const manifestPath = join(distDir, '.manifest.json');

/** Every TypeScript entry point: lessons, exercises, solutions, the runner, the chatroom, benches. */
export function entryPoints() {
  /** @type {string[]} */
  const entries = [];
  /** @param {string} dir @param {(name: string) => boolean} keep @param {number} depth */
  const walk = (dir, keep, depth) => {
    const abs = join(root, dir);
    if (!existsSync(abs)) return;
    for (const item of readdirSync(abs, { withFileTypes: true })) {
      const rel = join(dir, item.name);
      if (item.isDirectory() && depth > 0) walk(rel, keep, depth - 1);
      else if (item.isFile() && keep(item.name)) entries.push(rel);
    }
  };
  const ts = (/** @type {string} */ name) => name.endsWith('.ts') && !name.endsWith('.d.ts');
  // Not exercise.ts: it is the student's work in progress, and a syntax error there must not stop
  // every lesson from running. `npm run check` compiles each exercise by itself.
  walk('lessons', (name) => name === 'lesson.ts' || name === 'index.ts', 1);
  walk('solutions', ts, 1);
  walk('chatroom', ts, 0);
  walk('bench', ts, 0);
  walk('lib/cli', (name) => name === 'main.ts', 0);
  walk('test/fixtures', ts, 1);
  return entries.sort();
}

/** The folders entryPoints() reads: adding or removing an entry changes one of their times. */
function entryFolders() {
  const folders = ['lessons', 'solutions', 'chatroom', 'bench', 'lib/cli', 'test/fixtures'];
  for (const parent of ['lessons', 'solutions', 'test/fixtures']) {
    const abs = join(root, parent);
    if (!existsSync(abs)) continue;
    for (const item of readdirSync(abs, { withFileTypes: true })) if (item.isDirectory()) folders.push(join(parent, item.name));
  }
  return folders;
}

/**
 * @returns {boolean} true when dist/ is older than a source or the set of entries changed.
 * It runs before every command, so it is kept to one stat per input and per entry folder (no
 * walk of the tree unless a folder changed since the build).
 */
export function isStale() {
  /** @type {{ builtAt: number, entries: string[], inputs: string[], folders?: string[] }} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return true;
  }
  const newer = (/** @type {string} */ path) => {
    const stat = statSync(join(root, path), { throwIfNoEntry: false });
    return stat === undefined || stat.mtimeMs > manifest.builtAt;
  };
  if (!manifest.folders || manifest.folders.some(newer)) {
    if (manifest.entries.join('\n') !== entryPoints().join('\n')) return true;
  }
  return manifest.inputs.some(newer);
}

/**
 * Packages esbuild leaves as imports (native code, large, or loaded only on demand); every other
 * package (small pure-JS ones: picocolors, wrap-ansi, string-width …) is bundled into each entry,
 * which spares Node's module resolution at each start (measured in `npm run bench`).
 */
const EXTERNAL = [
  'koffi', 'esbuild', 'enquirer', 'playwright-core', 'chokidar', '@xterm/*', 'ps-list', 'pidtree',
  'cli-progress', 'confusables', 'didyoumean2', 'vitest', 'vitest/*', '@stryker-mutator/*', 'tsx',
];

/** The entries built as one self-contained file each (see build()). */
const STANDALONE = /^(lessons\/[^/]+\/lesson\.ts|solutions\/|test\/fixtures\/|chatroom\/|bench\/forked\.ts$)/;

/** Builds every entry into dist/<same path>.mjs. Returns the number of files written. */
export async function build() {
  const { build: esbuild } = await import('esbuild');
  const entries = entryPoints();
  const startedAt = Date.now();
  // Chunks are named by their content: the previous build's would pile up.
  rmSync(join(distDir, 'chunks'), { recursive: true, force: true });
  /** @type {import('esbuild').BuildOptions} */
  const shared = {
    absWorkingDir: root,
    outdir: distDir,
    outbase: '.',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    external: EXTERNAL,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'error',
  };
  // What runs as many processes (a lesson and every process it forks, the chat's, a solution, a
  // test's fixture) is one file each: Node then reads and compiles one small file as it starts,
  // not a dozen shared chunks (a forked lesson process starts as fast as a plain `node`).
  const standalone = entries.filter((entry) => STANDALONE.test(entry));
  const [results, single] = await Promise.all([
    esbuild({
      ...shared,
      entryPoints: entries.filter((entry) => !STANDALONE.test(entry)),
      // What an entry imports on demand (`await import(…)`) goes into a chunk of its own, loaded
      // only when asked for (the exercise checker, the web page, the handout).
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
    }),
    standalone.length > 0 ? esbuild({ ...shared, entryPoints: standalone }) : undefined,
  ]);
  const result = { metafile: { inputs: { ...results.metafile?.inputs, ...single?.metafile?.inputs } } };
  const inputs = Object.keys(result.metafile.inputs).filter((path) => !path.includes('node_modules'));
  mkdirSync(distDir, { recursive: true });
  writeFileSync(manifestPath, JSON.stringify({ builtAt: startedAt, entries, folders: entryFolders(), inputs: [...inputs, ...entries] }));
  keepStarters();
  return entries.length;
}

/** Builds only when something changed; prints nothing unless it builds. */
export async function ensureBuilt() {
  if (!isStale()) return;
  try {
    await build();
  } catch (error) {
    // esbuild has already printed the compile error with file and line: one sentence more.
    process.stderr.write(`procbook: the TypeScript sources do not compile (see above); fix that and run again.\n`);
    process.exit(1);
  }
}

export { relative };

/**
 * Keeps a copy of each exercise starter the first time the build sees it (dist/starters/…), before
 * a student could have changed it: `npm run reset` restores it from there where there is no git.
 */
function keepStarters() {
  const lessons = join(root, 'lessons');
  for (const folder of readdirSync(lessons)) {
    const file = join(lessons, folder, 'exercise.ts');
    const copy = join(distDir, 'starters', 'lessons', folder, 'exercise.ts');
    if (!existsSync(file) || existsSync(copy)) continue;
    mkdirSync(dirname(copy), { recursive: true });
    writeFileSync(copy, readFileSync(file));
  }
}
