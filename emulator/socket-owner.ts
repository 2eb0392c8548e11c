/**
 * Finds the OS processes that own the client end of a loopback TCP connection (Linux only).
 *
 * The client end is the socket whose local port is the server-side `remotePort` and whose remote
 * port is the server-side `localPort`. Its inode comes from /proc/net/tcp and /proc/net/tcp6; the
 * owners are the processes with an fd linking to `socket:[inode]` in /proc/<pid>/fd.
 */
import { readFileSync, readdirSync, readlinkSync } from "node:fs";

export interface SocketOwners {
  /** Inode of the client socket, when found. */
  inode?: string;
  /** Processes holding it (usually one). */
  pids: number[];
  /** Why nothing was found, when `pids` is empty. */
  reason?: string;
}

/** One row of /proc/net/tcp{,6}: local and remote port, state (hex, "01" = ESTABLISHED) and inode. */
interface TcpRow {
  localPort: number;
  remotePort: number;
  state: string;
  inode: string;
}

export function parseProcNetTcp(text: string): TcpRow[] {
  const rows: TcpRow[] = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    const [local, remote, state, inode] = [f[1], f[2], f[3], f[9]];
    if (!local || !remote || !state || !inode) continue;
    rows.push({ localPort: hexPort(local), remotePort: hexPort(remote), state, inode });
  }
  return rows;
}

function hexPort(address: string): number {
  return parseInt(address.slice(address.lastIndexOf(":") + 1), 16);
}

export function findClientSocketInode(clientPort: number, serverPort: number, procRoot = "/proc"): string | undefined {
  const candidates: TcpRow[] = [];
  for (const table of ["tcp", "tcp6"]) {
    let text: string;
    try {
      text = readFileSync(`${procRoot}/net/${table}`, "utf8");
    } catch {
      continue;
    }
    for (const row of parseProcNetTcp(text)) {
      if (row.localPort === clientPort && row.remotePort === serverPort && row.inode !== "0") candidates.push(row);
    }
  }
  return (candidates.find((r) => r.state === "01") ?? candidates[0])?.inode;
}

export function findSocketOwners(clientPort: number, serverPort: number, procRoot = "/proc"): SocketOwners {
  const inode = findClientSocketInode(clientPort, serverPort, procRoot);
  if (inode === undefined) return { pids: [], reason: `no TCP socket with local port ${clientPort} and remote port ${serverPort} in ${procRoot}/net/tcp{,6}` };
  const link = `socket:[${inode}]`;
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch (e) {
    return { inode, pids, reason: `cannot list ${procRoot}: ${e instanceof Error ? e.message : String(e)}` };
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`${procRoot}/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to inspect
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`${procRoot}/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target === link) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids.length > 0 ? { inode, pids } : { inode, pids, reason: `no process has an fd on ${link}` };
}

/** Whether `pid` has exited (no /proc entry, or a zombie waiting to be reaped). */
export function hasExited(pid: number, procRoot = "/proc"): boolean {
  let stat: string;
  try {
    stat = readFileSync(`${procRoot}/${pid}/stat`, "utf8");
  } catch {
    return true;
  }
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state === "Z" || state === "X";
}

/** Polls until `pid` has exited; false if it is still running after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number, procRoot = "/proc"): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!hasExited(pid, procRoot)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}
