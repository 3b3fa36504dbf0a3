// Jest's global teardown: a process a test started and never stopped would keep jest, and a CI
// runner reading its output, waiting for ever. Each one is named, so the test can be mended, and
// stopped, so the run ends. Linux only: it reads the process table from /proc.
const { readdirSync, readFileSync } = require('node:fs');

function parentPid(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // "pid (command) state ppid …": the command may hold spaces and parentheses.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '(exited)';
  }
}

function descendantsOf(rootPid) {
  const childrenByParent = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = parentPid(entry);
      childrenByParent.set(parent, [...(childrenByParent.get(parent) ?? []), Number(entry)]);
    } catch {
      // The process exited while the table was read.
    }
  }
  const found = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    for (const child of childrenByParent.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

module.exports = async function stopStrayProcesses() {
  if (process.platform !== 'linux') return;
  const strays = descendantsOf(process.pid)
    .map((pid) => ({ pid, command: commandLine(pid) }))
    .filter(({ command }) => !command.includes('jest-worker'));
  for (const { pid, command } of strays) {
    console.warn(`a test left this process running; stopping it: pid ${pid}: ${command}`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // It exited meanwhile.
    }
  }
};
