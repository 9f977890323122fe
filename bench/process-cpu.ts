import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second (USER_HZ), for /proc/<pid>/stat's utime and stime. */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** The pid listening on a loopback TCP port (serverless offline's), from `ss`. */
export function listenerPid(port: number): number {
  const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`]).toString();
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (!pid) throw new Error(`no process found listening on port ${port}`);
  return Number(pid);
}

/** User + system CPU milliseconds from /proc stat fields (after the name): utime(11), stime(12). */
function cpuMsOf(fields: string[]): number {
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

function stat(pid: string): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: the fields after it follow its ')'.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * CPU milliseconds (user + system, threads included) of every process in `pid`'s process
 * group: serverless offline runs handlers in worker threads of its own process, and the stack
 * starts it in a group of its own. Linux only (/proc).
 */
export function processGroupCpuMs(pid: number): number {
  const group = stat(String(pid))?.[2];
  if (!group) throw new Error(`process ${pid} is gone`);
  let ms = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = stat(entry);
    // After the name: state(0) ppid(1) pgrp(2) ...
    if (fields?.[2] === group) ms += cpuMsOf(fields);
  }
  return ms;
}

/**
 * CPU milliseconds of one process, split between its main thread (serverless offline's HTTP
 * server, its event building, the messages to and from workers, the log lines it relays) and
 * all its other threads (the function's worker threads, V8's and libuv's helpers). Linux only
 * (/proc/<pid>/task). A thread that ended between two readings drops out of the second one.
 */
export function threadSplitCpuMs(pid: number): { mainThread: number; otherThreads: number } {
  let mainThread = 0;
  let otherThreads = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const fields = stat(`${pid}/task/${tid}`);
    if (!fields) continue;
    const ms = cpuMsOf(fields);
    if (tid === String(pid)) mainThread += ms;
    else otherThreads += ms;
  }
  return { mainThread, otherThreads };
}
