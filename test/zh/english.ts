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

/** Code in a check's sentences that reads the same in Chinese (calls, codes, units, protocol words). */
const CHECK_CODE = new Set(['pid', 'fork', 'Process', 'map', 'write', 'EXIT', 'OK', 'UDP', 'FIFO', 'TCP', 'exitcode', 'kB', 'setsid', 'forkSelf', 'ECONNREFUSED', 'EADDRINUSE', 'ENOENT']);

/**
 * The English words left in a check's Chinese sentence once code, pids with their titles, quoted
 * data, the chat's names (letters and digits) and calls are taken out: none, unless a sentence was
 * left untranslated.
 */
export function untranslatedInCheck(sentence: string): string[] {
  const text = sentence
    .replace(/pids? \d+ \([^)]*\)/g, ' ') // a pid with its process's title: pid 12 (child 1)
    .replace(/[\w.]+\([^)]*\)/g, ' ') // calls with their arguments: report(child, code, signal)
    .replace(/"[^"]*"/g, ' ') // quoted data: a datagram, a message
    .replace(/\b(?=\w*[A-Za-z])(?=\w*\d)\w+\b/g, ' '); // names with digits: a chat name, a signal (SIGUSR2), a person (egon45)
  return englishWords(text, []).filter((word) => !CHECK_CODE.has(word));
}

/** Whether a check's sentence has a Chinese translation (the translator gives the English back when it has none). */
export function hasChinese(english: string, chinese: string): boolean {
  return chinese !== english && /[\u4e00-\u9fff]/.test(chinese.replace(/"[^"]*"/g, ''));
}
