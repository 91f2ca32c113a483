// What is still English in a Chinese line, once everything that reads the same in every language
// is taken out: code and commands (`kill -9`, waitpid(), 'exit'), paths, units, the STAT letters,
// the process titles, and the names of programs, calls, signals and values.

/** Names and code that read the same in every language (programs, C and Node calls, signals, values). */
const CODE_WORDS = new Set([
  // programs ('node' is also a row's title for an instant: a process just forked or exec'd, whose
  // command line the kernel does not show yet, is named by its executable)
  ...['procbook', 'Node', 'node', 'Python', 'libuv'],
  ...['PID', 'PPID', 'STAT', 'kill', 'null'], // ps's columns, a command, a value
  ...['SIGCHLD', 'SIGKILL', 'SIGTERM'], // signals
  'subreaper', // the kernel's name (PR_SET_CHILD_SUBREAPER); the course has no Chinese word for it
]);

/** The English words left in a line once code, commands, paths, STAT letters and titles are taken out. */
export function englishWords(line: string, titles: readonly string[]): string[] {
  let text = line
    .replace(/\x1b\[[0-9;]*m/g, '')
    .replace(/`[^`]*`/g, ' ') // code
    .replace(/'[^'\s][^']*'/g, ' ') // 'exit': an event's name
    .replace(/[\w.]+\(\)/g, ' ') // calls: waitpid(), os.wait()
    .replace(/\S*\/\S*/g, ' ') // paths and commands run by path
    .replace(/\b\d+(\.\d+)?\s?(ms|s|MB|MiB|KiB)\b/g, ' ') // units
    .replace(/(^|\s)([RSDTtZXI][slLN<+]*|[RSDTZXI]+)(?=\s|$)/g, ' '); // STAT letters, and a process's row of them in the chart
  for (const title of [...titles].sort((a, b) => b.length - a.length)) text = text.split(title).join(' ');
  return (text.match(/[A-Za-z]{2,}/g) ?? []).filter((word) => !CODE_WORDS.has(word));
}
