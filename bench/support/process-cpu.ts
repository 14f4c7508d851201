/**
 * CPU seconds of processes on this machine (Linux /proc; clock ticks are 100 Hz there), so a bench can
 * say where the cores went during its measurement.
 */
import { readdir, readFile } from "node:fs/promises";

/** User + system CPU seconds of a process; 0 when there is none. */
export async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  const fields = await statFields(pid);
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
}

/** /proc/<pid>/stat after the command name (which may contain spaces): fields[1] is the parent pid. */
async function statFields(pid: number): Promise<string[]> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/**
 * CPU seconds of a whole Postgres instance: the postmaster, its live backends and the ones that
 * exited (their time is added to the postmaster's cutime/cstime when it reaps them).
 */
export async function postgresCpuSeconds(postmaster: number): Promise<number> {
  const own = await statFields(postmaster);
  let ticks = Number(own[11] ?? 0) + Number(own[12] ?? 0) + Number(own[13] ?? 0) + Number(own[14] ?? 0);
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = await statFields(Number(entry));
    if (Number(fields[1]) === postmaster) ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / 100;
}

/** A process's parent: for a Postgres backend (`SELECT pg_backend_pid()`), its postmaster. */
export async function parentPid(pid: number): Promise<number> {
  return Number((await statFields(pid))[1]);
}
