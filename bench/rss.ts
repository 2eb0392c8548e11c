/**
 * Peak resident memory of the dynamic-provider process (`node …/@pulumi/pulumi/cmd/dynamic-provider`)
 * that one Pulumi command starts. Linux only: every 100 ms (by default) the sampler lists /proc, keeps
 * the processes whose command line names `cmd/dynamic-provider` and whose environment carries this
 * run's `PULUMI_HOME` (so providers of other stacks on the machine are ignored), and reads
 * `VmHWM` (the kernel's high-water mark of the resident set) and `VmRSS` from
 * /proc/<pid>/status. The peak is the largest value seen. VmHWM is monotonic, so a sample taken
 * at any time before the process exits already holds its peak up to then; only growth in the
 * last interval before exit can be missed.
 */
import * as fs from "node:fs";

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** kB values of `VmHWM` and `VmRSS` in /proc/<pid>/status, or undefined once the process is gone. */
function memoryOf(pid: number): number | undefined {
  const status = readText(`/proc/${pid}/status`);
  if (status === undefined) return undefined;
  let peak = 0;
  for (const key of ["VmHWM", "VmRSS"]) {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status);
    if (m) peak = Math.max(peak, Number(m[1]));
  }
  return peak;
}

export class ProviderRssSampler {
  private readonly matched = new Set<number>();
  private readonly rejected = new Set<number>();
  private peakKb = 0;
  private timer: NodeJS.Timeout | undefined;

  /** @param pulumiHome the `PULUMI_HOME` of the stack whose provider to watch */
  constructor(
    private readonly pulumiHome: string,
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Stops sampling; returns the peak in MiB (0 if no provider process was seen). */
  stop(): { peakMiB: number; processes: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return { peakMiB: this.peakKb / 1024, processes: this.matched.size };
  }

  private sample(): void {
    let entries: string[];
    try {
      entries = fs.readdirSync("/proc");
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      if (this.rejected.has(pid)) continue;
      if (!this.matched.has(pid)) {
        const cmdline = readText(`/proc/${pid}/cmdline`);
        if (cmdline === undefined) continue;
        if (!cmdline.includes("cmd/dynamic-provider")) {
          // The provider starts as `sh pulumi-resource-pulumi-nodejs`, which then execs node in
          // the same pid: keep looking at anything Pulumi's until it shows the provider script.
          if (cmdline.length > 0 && !cmdline.includes("pulumi")) this.rejected.add(pid);
          continue;
        }
        const environ = readText(`/proc/${pid}/environ`);
        if (environ === undefined) continue;
        if (!environ.split("\0").includes(`PULUMI_HOME=${this.pulumiHome}`)) {
          this.rejected.add(pid);
          continue;
        }
        this.matched.add(pid);
      }
      const kb = memoryOf(pid);
      if (kb !== undefined) this.peakKb = Math.max(this.peakKb, kb);
    }
  }
}
