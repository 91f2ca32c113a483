// Compiles one exercise file for a check, with esbuild's API, into a private folder in dist/.
//
// Why compile each checked file here rather than run it through tsx? An exercise starts its own
// file again (forkSelf runs process.argv[1]); under tsx every such process would pay for tsx's
// loader (about 3x a plain start) and start an esbuild service process of its own, which would
// show up in the very process table the check reads ("two processes did the copy", "exactly
// three workers"). A compiled .mjs starts as fast as plain Node and adds nothing to the table.
// And a teacher's submission folder (--dir) is not among the build's entries at all.
//
// What is compiled is a private copy: the file and the source files beside it, copied (never
// through a link) into the build's folder, where the submission cannot change them between the
// copy and the build. Its imports may reach only its own folder, Node's own modules and the API
// an exercise is meant to use (lib/lesson, lib/posix, lib/exercises/kit, the chatroom's protocol):
// an import of a solution, a check, another student's file or anything else stops the build with
// one sentence that names it. Imports are resolved as if the copy stood where `resolveDir` says:
// for a file of the project, its own folder; for a submission, the lesson folder it stands for,
// so `../../lib/lesson/index.js` means this project's lib whatever folder the file sits in.
//
// The output goes under dist/, inside the project, so that Node finds the packages it imports
// (koffi …) in the project's node_modules when it runs outside a sandbox; in a sandbox, those
// packages (and only those) are bound in read-only.
import { copyFileSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Plugin } from 'esbuild';
import { projectRoot } from '../run/paths.js';
import { childrenOf, commandName } from '../proc/read.js';
import { CheckFailure } from './harness.js';

const buildsDir = join(projectRoot, 'dist', '.exercise-checks');
let sequence = 0;
let pruned = false;

interface EsbuildMessage {
  text: string;
  detail?: unknown;
  location: { file: string; line: number; column: number } | null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes folders left by check runs that were killed before they could clean up. */
function pruneAbandoned(): void {
  if (pruned) return;
  pruned = true;
  try {
    for (const name of readdirSync(buildsDir)) {
      const pid = Number(name.split('-')[0]);
      if (pid !== process.pid && !alive(pid)) rmSync(join(buildsDir, name), { recursive: true, force: true });
    }
  } catch {
    // no folder yet
  }
}

export interface Compiled {
  file: string;
  /** The folder holding only the compiled file, and the sandbox's keeper (keeper.mjs). */
  dir: string;
  /** The packages the compiled file loads at run time, as host folders. */
  packages: Array<{ name: string; dir: string }>;
  /** Removes the compiled file's folder. */
  remove(): void;
}

/** What a submission may import from the project (as paths from the project's root). */
const API_FOLDERS = ['lib/lesson/', 'lib/posix/'];
const API_FILES = ['lib/exercises/kit.ts', 'lib/exercises/env.ts', 'chatroom/protocol.ts', 'chatroom/shared-socket.ts'];
const ALLOWED = 'files in its own folder, node: modules, lib/lesson, lib/posix, lib/exercises/kit and chatroom/protocol';
/** The source files copied with an exercise: TypeScript and JavaScript, nothing that configures the build. */
const SOURCE = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function allowedInProject(path: string): boolean {
  const rel = relative(projectRoot, path).split(sep).join('/');
  return API_FILES.includes(rel) || API_FOLDERS.some((folder) => rel.startsWith(folder));
}

const builtins = new Set(builtinModules);

/**
 * The esbuild plugin that keeps a private copy's imports inside what it may reach. `copyRoot` stands
 * for the project's root: the copy of lessons/06-wait/ is copyRoot/lessons/06-wait/. `lessonDir`
 * is the exercise's lesson folder in the project: a module of it (13's process.ts) counts as a
 * file of the exercise's own folder, for a submission that did not bring its own copy and for the
 * reference solution; its exercise.ts never does (a teacher's may be solved).
 */
function confine(copyDir: string, copyRoot: string, lessonDir: string): Plugin {
  const ofLesson = (path: string): boolean => inside(lessonDir, path) && basename(path) !== 'exercise.ts';
  return {
    name: 'procbook-confine',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'confined') return undefined;
        // What the project's own API modules import is theirs to import.
        if (args.kind === 'entry-point' || !inside(copyRoot, args.importer)) return undefined;
        const refuse = { errors: [{ text: `it imports ${JSON.stringify(args.path)}, which a check does not allow: an exercise may import only ${ALLOWED}`, detail: 'confined' }] };
        const bare = !args.path.startsWith('.') && !isAbsolute(args.path);
        if (bare) {
          const name = args.path.startsWith('node:') ? args.path.slice(5) : args.path;
          return builtins.has(name) || builtins.has(name.split('/')[0]!) ? { path: args.path, external: true } : refuse;
        }
        const target = resolve(args.resolveDir, args.path);
        if (!inside(copyRoot, target)) return refuse;
        // Where the import points in the project, resolved as esbuild would (.js → .ts …).
        const inProject = join(projectRoot, relative(copyRoot, target));
        const inLesson = async (): Promise<string | undefined> => {
          const found = await build.resolve(`./${basename(inProject)}`, { resolveDir: dirname(inProject), kind: args.kind, pluginData: 'confined' });
          if (found.errors.length > 0 || !found.path) return undefined;
          try {
            return realpathSync(found.path);
          } catch {
            return undefined;
          }
        };
        if (inside(copyDir, target)) {
          // Its own folder (the private copy) …
          const own = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'confined' });
          if (own.errors.length === 0) return undefined;
          // … or, where the copy has no such file, the lesson folder's module it stands for.
          const real = ofLesson(inProject) ? await inLesson() : undefined;
          return real && ofLesson(real) ? { path: real } : undefined; // else esbuild says it cannot resolve it
        }
        const real = await inLesson();
        if (!real) return refuse;
        return allowedInProject(real) || ofLesson(real) ? { path: real } : refuse;
      });
    },
  };
}

/** Copies the regular source files of `from` (not links, not folders) into `to`. */
function copySources(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const path = join(from, name);
    if (SOURCE.has(extname(name)) && lstatSync(path).isFile()) copyFileSync(path, join(to, name));
  }
}

/** Package names the compiled file loads at run time, and the folders of those and their dependencies. */
function runtimePackages(imports: string[], bundled: string[]): Array<{ name: string; dir: string }> {
  const names = new Set(imports.filter((path) => !path.startsWith('node:') && !builtins.has(path.split('/')[0]!)).map((path) => (path.startsWith('@') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0]!)));
  // lib/posix loads koffi with require(), which esbuild does not see as an import.
  if (bundled.some((input) => input.startsWith('lib/posix/'))) names.add('koffi');
  const found: Array<{ name: string; dir: string }> = [];
  const queue = [...names];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    let dir: string;
    try {
      dir = realpathSync(join(projectRoot, 'node_modules', name));
    } catch {
      continue; // not installed: Node will say so when it is imported
    }
    found.push({ name, dir });
    try {
      // Its optional dependencies too, where installed: koffi 3 keeps its native module in one
      // (@koromix/koffi-linux-x64), and finds it beside its own folder.
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
      queue.push(...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {}));
    } catch {
      // no manifest: no dependencies
    }
  }
  return found;
}

/**
 * Compiles a private copy of `source` into a fresh .mjs file (`lessonDir`: its lesson's folder in
 * the project, whose modules it may import as its own). A file that does not compile fails
 * the check with esbuild's first error, as "file:line:column: message"; an import it may not
 * make fails it with the sentence that names the import.
 */
export async function compileExercise(source: string, resolveDir: string, lessonDir = resolveDir): Promise<Compiled> {
  pruneAbandoned();
  const dir = join(buildsDir, `${process.pid}-${++sequence}`);
  const outDir = join(dir, 'out');
  const copyRoot = join(dir, 'src');
  const copyDir = inside(projectRoot, resolveDir) ? join(copyRoot, relative(projectRoot, resolveDir)) : join(copyRoot, 'exercise');
  const entry = join(copyDir, basename(source).replace(/\.[cm]?[jt]s$/, '') + '.ts');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, 'exercise.mjs');
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  let link = false;
  try {
    link = lstatSync(source).isSymbolicLink();
    if (!link) {
      copySources(dirname(source), copyDir);
      copyFileSync(source, entry);
    }
  } catch {
    remove();
    throw new CheckFailure(`There is no file ${shortPath(source)} to check.`);
  }
  if (link) {
    remove();
    throw new CheckFailure(`${shortPath(source)} is a link: a check reads only a plain file, never what a link points to.`);
  }
  const { build } = await import('esbuild');
  let metafile;
  try {
    ({ metafile } = await build({
      absWorkingDir: projectRoot,
      entryPoints: [entry],
      outfile: file,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'silent',
      metafile: true,
      // The copy's own tsconfig.json or package.json, if it brought one, was not copied; this
      // says not to look for one above it either.
      tsconfigRaw: '{}',
      plugins: [confine(copyDir, copyRoot, lessonDir)],
    }));
  } catch (error) {
    remove();
    const first = ((error as { errors?: EsbuildMessage[] }).errors ?? [])[0];
    if (!first) throw error;
    const location = first.location;
    const file = location && location.file.endsWith(basename(entry)) ? shortPath(source) : location?.file;
    const where = location ? `${file}:${location.line}:${location.column + 1}` : '';
    if (first.detail === 'confined') {
      throw new CheckFailure(`It ${first.text.replace(/^it /, '')}${where ? ` (${where})` : ''}.`);
    }
    throw new CheckFailure(`It does not compile: ${where ? `${where}: ` : ''}${first.text.replace(/[.:]+$/, '')}.`);
  }
  // The sandbox's keeper (keeper.ts), beside it: a sandbox runs the exercise under it.
  const keeper = await build({
    absWorkingDir: projectRoot,
    entryPoints: [join(projectRoot, 'lib', 'exercises', 'keeper.ts')],
    outfile: join(outDir, 'keeper.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    metafile: true,
    tsconfigRaw: '{}',
  });
  const outputs = [...Object.values(metafile.outputs), ...Object.values(keeper.metafile.outputs)];
  const imports = outputs.flatMap((output) => output.imports.filter((each) => each.external).map((each) => each.path));
  const bundled = [...Object.keys(metafile.inputs), ...Object.keys(keeper.metafile.inputs)];
  rmSync(copyRoot, { recursive: true, force: true });
  return { file, dir: outDir, packages: runtimePackages(imports, bundled), remove };
}

/** Our children whose command name is `comm` (Linux: /proc/<pid>/task/<pid>/children). */
function childrenNamed(comm: string): number[] {
  return childrenOf(process.pid).filter((pid) => commandName(pid) === comm);
}

/**
 * Ends esbuild's service process and waits until it has been collected. esbuild's stop() only
 * signals it, and its child handle does not keep our event loop alive: a process that exits
 * right after would leave it behind, a zombie for init to collect.
 */
export async function stopCompiler(): Promise<void> {
  const { stop } = await import('esbuild');
  await stop();
  const deadline = Date.now() + 2000;
  while (childrenNamed('esbuild').length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

export function shortPath(path: string): string {
  const inside = relative(projectRoot, path);
  return inside.startsWith('..') ? path : inside;
}
