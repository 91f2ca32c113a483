import type { ProcessRecord } from '../../observe/timeline.js';
// Laying processes out as a tree, the way `ps --forest` and `pstree` draw it.
//
// The live table nests a process under its current parent, the summary chart under the parent it
// was born to; both give this module a way to find a parent and an order for siblings.

export interface TreeLine<T> {
  item: T;
  /** 0 for a top-level process. */
  depth: number;
  /** What to draw before the title: '', '├─ ', '│  └─ ' … */
  prefix: string;
  /** The item it is drawn under, if any. */
  parent?: T;
}

export interface TreeShape<T> {
  /** The item this one is drawn under, or undefined to draw it at the top level. */
  parentOf(item: T): T | undefined;
  /** The order of siblings (and of top-level items). */
  compare(a: T, b: T): number;
}

export function layOutTree<T>(items: readonly T[], shape: TreeShape<T>): Array<TreeLine<T>> {
  const children = new Map<T, T[]>();
  const roots: T[] = [];
  for (const item of items) {
    const parent = shape.parentOf(item);
    if (parent === undefined || parent === item) roots.push(item);
    else {
      const siblings = children.get(parent) ?? [];
      siblings.push(item);
      children.set(parent, siblings);
    }
  }
  for (const siblings of children.values()) siblings.sort(shape.compare);
  roots.sort(shape.compare);

  const lines: Array<TreeLine<T>> = [];
  const placed = new Set<T>();
  const visit = (item: T, depth: number, lead: string, last: boolean, parent: T | undefined): void => {
    if (placed.has(item)) return;
    placed.add(item);
    const prefix = depth === 0 ? '' : `${lead}${last ? '└─ ' : '├─ '}`;
    lines.push(parent === undefined ? { item, depth, prefix } : { item, depth, prefix, parent });
    const below = children.get(item) ?? [];
    const nextLead = depth === 0 ? '' : `${lead}${last ? '   ' : '│  '}`;
    below.forEach((child, index) => visit(child, depth + 1, nextLead, index === below.length - 1, item));
  };
  for (const root of roots) visit(root, 0, '', true, undefined);
  // Parents that point at each other in a loop can only come from inconsistent samples; show
  // such items anyway rather than lose them.
  for (const item of [...items].sort(shape.compare)) visit(item, 0, '', true, undefined);
  return lines;
}

/**
 * Among the items with the wanted pid, the one that can be the parent of a process started at
 * `startedAt`: the latest one started no later than it (a pid is reused, a parent is older than
 * its child); failing that, the latest one.
 */
export function pickParent<T>(candidates: readonly T[], startedAt: number, startOf: (item: T) => number): T | undefined {
  let best: T | undefined;
  for (const candidate of candidates) {
    if (startOf(candidate) > startedAt) continue;
    if (best === undefined || startOf(candidate) >= startOf(best)) best = candidate;
  }
  return best ?? candidates.at(-1);
}

/**
 * A run's processes as a family tree: each under the parent it was BORN to (its first PPID),
 * siblings by start. Where a pid was reused, the parent is the process that had that pid when
 * the child started. The summary chart, its SVG and the handout draw this tree; the live table
 * nests by the CURRENT parent instead (an orphan moves to its adopter).
 */
export function birthTree(records: readonly ProcessRecord[]): Array<TreeLine<ProcessRecord>> {
  const byPid = new Map<number, ProcessRecord[]>();
  for (const record of records) byPid.set(record.pid, [...(byPid.get(record.pid) ?? []), record]);
  return layOutTree(records, {
    parentOf: (record) =>
      pickParent(
        (byPid.get(bornTo(record)) ?? []).filter((candidate) => candidate !== record),
        record.startTicks,
        (candidate) => candidate.startTicks,
      ),
    compare: (a, b) => a.startTicks - b.startTicks || a.pid - b.pid,
  });
}

/** The parent a process was born to: its first PPID. */
export function bornTo(record: ProcessRecord): number {
  return record.spans[0]?.ppid ?? 0;
}

/** The title of the latest process that had this pid in the run. */
export function titleOfPid(records: readonly ProcessRecord[], pid: number): string | undefined {
  return records.filter((record) => record.pid === pid).at(-1)?.title;
}
