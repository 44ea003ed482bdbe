// CPU time of processes from /proc (Linux), so a bench can say where the machine's time went
// during a phase: utime + stime, in clock ticks of 10 ms.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0; // gone (or not Linux)
  }
}

/** CPU seconds each named group of processes used between the call and `stop()`. */
export function cpuMeter(groups: Record<string, () => number[]>) {
  const read = () => Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, pids().reduce((s, p) => s + cpuSeconds(p), 0)]));
  const start = read();
  return {
    stop(): Record<string, number> {
      const end = read();
      return Object.fromEntries(Object.keys(groups).map((k) => [k, end[k] - (start[k] ?? 0)]));
    },
  };
}

/** MariaDB's (or MySQL's) server processes on this machine; none when the database runs elsewhere. */
export function databasePids(): number[] {
  try {
    return execFileSync('pidof', ['mariadbd', 'mysqld'], { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
