// Looking at the whole machine, not just the lesson: every process, as `ps -e` lists them.
// ps-list does the reading (it runs `ps` and reads /proc); fine for one look, too slow for the
// live table (which reads only the lesson's processes, see lib/observe).
export interface SystemProcess {
  pid: number;
  ppid: number;
  name: string;
  cmd?: string;
}

export async function listAllProcesses(): Promise<SystemProcess[]> {
  const { default: psList } = await import('ps-list');
  return (await psList()).map(({ pid, ppid, name, cmd }) => ({ pid, ppid, name, ...(cmd ? { cmd } : {}) }));
}

