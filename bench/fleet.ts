/**
 * `npm run bench`: the fleet benchmark (docs/BENCHMARKS.md). For each N and each variant (this
 * provider, a naive dynamic provider, the engine floor) it runs `pulumi up` then `pulumi refresh`
 * through the real Pulumi CLI against the emulator with 100 ms of latency per API request, and
 * reports medians over several runs of: API requests, wall time per command, state bytes per
 * licence and the peak RSS of the dynamic-provider process, with the ratios naive/ours and
 * ours/floor and a check of each target.
 *
 *   node dist/bench/fleet.js [--sizes 10,100,500] [--runs R] [--variants ours,naive,floor]
 *                            [--parallel 8] [--max-concurrency n] [--latency 100] [--svg docs/bench-wall-time.svg|none]
 *                            [--json results.json] [--keep] [--no-warmup] [--skip-checkpoints]
 *
 * --skip-checkpoints (PULUMI_SKIP_CHECKPOINTS=true: no state write after each step, one at the
 * end) is for diagnosis only: it shows how much of a variant's time is the engine rewriting the
 * whole state file after every step, which grows with state bytes per resource.
 *
 * Without --runs: 3 runs for N ≤ 100, 2 for larger N. Runs are interleaved (ours, naive, floor,
 * ours, …) so that a slow spell of a shared machine hits all variants alike, after one unrecorded
 * warm-up run of each variant at N = 10 (disk and module caches).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, startEmulator } from "../emulator";
import { PulumiStack, REPO_ROOT, ensurePulumiCli } from "../scripts/engine";
import { wallTimeChart, type Series } from "./chart";
import { createWorkspace, type BenchWorkspace } from "./project";
import { RESOURCE_TYPES, VARIANTS, type Variant } from "./programs";
import { ProviderRssSampler } from "./rss";
import { describeTally, median, tally } from "./stats";

/** The order list page size the provider asks for (the emulator's maximum). */
const PAGE_SIZE = 100;
const BILLING_EMAIL = "partnerexample@outlook.com";

interface Options {
  sizes: number[];
  runs: number | undefined;
  variants: Variant[];
  parallel: number;
  /** yeastar:maxConcurrency for this provider; undefined keeps the provider's default (8). */
  maxConcurrency: number | undefined;
  latencyMs: number;
  svg: string | undefined;
  json: string | undefined;
  keep: boolean;
  warmup: boolean;
  /** PULUMI_SKIP_CHECKPOINTS=true: the engine writes the state once at the end (diagnosis only). */
  skipCheckpoints: boolean;
}

/** A bad command line: reported by its message alone. */
class UsageError extends Error {}

/** The usage text: the comment at the top of this file. */
function usage(): string {
  const text = fs.readFileSync(__filename, "utf8");
  const start = text.indexOf("/**");
  return `${text.slice(start, text.indexOf("*/", start) + 2)}\n`;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    sizes: [10, 100, 500],
    runs: undefined,
    variants: [...VARIANTS],
    parallel: 8,
    maxConcurrency: undefined,
    latencyMs: 100,
    svg: path.join(REPO_ROOT, "docs", "bench-wall-time.svg"),
    json: undefined,
    keep: false,
    warmup: true,
    skipCheckpoints: false,
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const whole = (text: string, flag: string, min: number): number => {
    if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${flag} ${JSON.stringify(text)}: expected a whole number ≥ ${min}`);
    return Number(text);
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    switch (flag) {
      case "--sizes":
        opts.sizes = value(i, flag)
          .split(",")
          .map((s) => whole(s.trim(), flag, 1));
        i++;
        break;
      case "--runs":
        opts.runs = whole(value(i, flag), flag, 1);
        i++;
        break;
      case "--variants": {
        const names = value(i, flag)
          .split(",")
          .map((s) => s.trim());
        for (const n of names)
          if (!(VARIANTS as readonly string[]).includes(n))
            throw new UsageError(`--variants: unknown variant ${JSON.stringify(n)} (known: ${VARIANTS.join(", ")})`);
        opts.variants = VARIANTS.filter((v) => names.includes(v));
        i++;
        break;
      }
      case "--parallel":
        opts.parallel = whole(value(i, flag), flag, 1);
        i++;
        break;
      case "--max-concurrency":
        opts.maxConcurrency = whole(value(i, flag), flag, 1);
        i++;
        break;
      case "--latency":
        opts.latencyMs = whole(value(i, flag), flag, 0);
        i++;
        break;
      case "--svg": {
        const v = value(i, flag);
        opts.svg = v === "none" ? undefined : path.resolve(v);
        i++;
        break;
      }
      case "--json":
        opts.json = path.resolve(value(i, flag));
        i++;
        break;
      case "--keep":
        opts.keep = true;
        break;
      case "--skip-checkpoints":
        opts.skipCheckpoints = true;
        break;
      case "--no-warmup":
        opts.warmup = false;
        break;
      case "--help":
      case "-h":
        process.stdout.write(usage());
        process.exit(0);
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(flag)}; see --help`);
    }
  }
  return opts;
}

function runsFor(opts: Options, n: number): number {
  return opts.runs ?? (n <= 100 ? 3 : 2);
}

interface CommandSample {
  ms: number;
  requests: number;
  byKind: Record<string, number>;
  rssMiB: number;
}

interface Sample {
  variant: Variant;
  n: number;
  run: number;
  up: CommandSample;
  refresh: CommandSample;
  /** `JSON.stringify` of one licence's resource in `pulumi stack export`, in bytes. */
  stateBytesPerLicence: number;
  /** The whole exported deployment divided by N. */
  deploymentBytesPerLicence: number;
  /** Bytes of `__provider` in that resource's inputs (stored again in its outputs). */
  providerBytes: number;
  /** 1-minute load average when the run started (the machine is shared). */
  load: number;
}

function say(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** One run: a fresh emulator and backend, `up` then `refresh`, each measured. */
async function runOnce(binDir: string, ws: BenchWorkspace, variant: Variant, n: number, run: number, opts: Options): Promise<Sample> {
  const load = os.loadavg()[0] ?? 0;
  const emulator = await startEmulator({ latencyMs: opts.latencyMs, devices: "any" });
  const workDir = fs.mkdtempSync(path.join(ws.root, `run-${variant}-${n}-`));
  try {
    const stack = new PulumiStack({
      binDir,
      cwd: ws.dirs[variant],
      stack: "bench",
      workDir,
      ...(opts.skipCheckpoints && { env: { PULUMI_SKIP_CHECKPOINTS: "true" } }),
    });
    await stack.init();
    await stack.setConfig("yeastar:baseUrl", emulator.url);
    await stack.setConfig("yeastar:clientId", EMULATOR_CLIENT_ID);
    await stack.setConfig("yeastar:clientSecret", EMULATOR_CLIENT_SECRET, { secret: true });
    // The provider's spend guard allows 20 orders per run by default; the fleet needs N.
    await stack.setConfig("yeastar:maxOrdersPerRun", String(n));
    if (opts.maxConcurrency !== undefined) await stack.setConfig("yeastar:maxConcurrency", String(opts.maxConcurrency));
    await stack.setConfig("licences", String(n));
    await stack.setConfig("billingContactEmail", BILLING_EMAIL);
    const parallel = ["--parallel", String(opts.parallel)];
    const home = path.join(workDir, "home");

    const measure = async (command: "up" | "refresh"): Promise<CommandSample> => {
      emulator.clearRequests();
      const sampler = new ProviderRssSampler(home);
      sampler.start();
      const res = await (command === "up" ? stack.up(parallel) : stack.refresh(parallel)).finally(() => sampler.stop());
      const rss = sampler.stop();
      const requests = [...emulator.requests];
      if (variant !== "floor" && rss.processes === 0) throw new Error(`${variant} N=${n}: no dynamic-provider process was seen during ${command}`);
      return { ms: res.ms, requests: requests.length, byKind: tally(requests), rssMiB: rss.peakMiB };
    };

    const up = await measure("up");
    const expectedOrders = variant === "floor" ? 0 : n;
    if (emulator.orders.length !== expectedOrders) throw new Error(`${variant} N=${n}: up placed ${emulator.orders.length} orders, expected ${expectedOrders}`);
    const refresh = await measure("refresh");
    if (emulator.orders.length !== expectedOrders) throw new Error(`${variant} N=${n}: refresh placed an order`);

    const exported = await stack.exportState();
    const deployment = JSON.parse(exported) as { deployment: { resources?: { type: string; inputs?: Record<string, unknown> }[] } };
    const licences = (deployment.deployment.resources ?? []).filter((r) => r.type === RESOURCE_TYPES[variant]);
    if (licences.length !== n) throw new Error(`${variant} N=${n}: ${licences.length} licences in state, expected ${n}`);
    const one = licences[0] as { inputs?: Record<string, unknown> };
    const providerText = one.inputs?.__provider;
    return {
      variant,
      n,
      run,
      up,
      refresh,
      stateBytesPerLicence: Buffer.byteLength(JSON.stringify(one)),
      deploymentBytesPerLicence: Math.round(Buffer.byteLength(exported) / n),
      providerBytes: typeof providerText === "string" ? Buffer.byteLength(providerText) : 0,
      load,
    };
  } finally {
    await emulator.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

interface Summary {
  n: number;
  runs: number;
  upS: number;
  refreshS: number;
  upRequests: number;
  refreshRequests: number;
  upKinds: Record<string, number>;
  refreshKinds: Record<string, number>;
  stateBytes: number;
  deploymentBytes: number;
  providerBytes: number;
  rssMiB: number;
  /** True when every run made the same number of requests (they are deterministic). */
  requestsStable: boolean;
  upRangeS: [number, number];
  refreshRangeS: [number, number];
}

function summarise(samples: Sample[]): Summary {
  const first = samples[0] as Sample;
  const ups = samples.map((s) => s.up.ms / 1000);
  const refreshes = samples.map((s) => s.refresh.ms / 1000);
  return {
    n: first.n,
    runs: samples.length,
    upS: median(ups),
    refreshS: median(refreshes),
    upRequests: median(samples.map((s) => s.up.requests)),
    refreshRequests: median(samples.map((s) => s.refresh.requests)),
    upKinds: first.up.byKind,
    refreshKinds: first.refresh.byKind,
    stateBytes: median(samples.map((s) => s.stateBytesPerLicence)),
    deploymentBytes: median(samples.map((s) => s.deploymentBytesPerLicence)),
    providerBytes: first.providerBytes,
    rssMiB: median(samples.map((s) => Math.max(s.up.rssMiB, s.refresh.rssMiB))),
    requestsStable: samples.every((s) => s.up.requests === first.up.requests && s.refresh.requests === first.refresh.requests),
    upRangeS: [Math.min(...ups), Math.max(...ups)],
    refreshRangeS: [Math.min(...refreshes), Math.max(...refreshes)],
  };
}

const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined || b === 0 ? "—" : (a / b).toFixed(2));
const secs = (v: number | undefined): string => (v === undefined ? "—" : v.toFixed(2));
const int = (v: number | undefined): string => (v === undefined ? "—" : String(Math.round(v)));
const mib = (v: number | undefined): string => (v === undefined || v === 0 ? "—" : v.toFixed(0));

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ");
}

function table(n: number, s: Partial<Record<Variant, Summary>>): string[] {
  const o = s.ours;
  const v = s.naive;
  const f = s.floor;
  const rows: [string, string, string, string, string, string][] = [
    ["up: wall time (s)", secs(o?.upS), secs(v?.upS), secs(f?.upS), ratio(v?.upS, o?.upS), ratio(o?.upS, f?.upS)],
    ["up: time above floor (s)", secs(o && f && o.upS - f.upS), secs(v && f && v.upS - f.upS), "", ratio(v && f && v.upS - f.upS, o && f && o.upS - f.upS), ""],
    ["up: API requests", int(o?.upRequests), int(v?.upRequests), int(f?.upRequests), ratio(v?.upRequests, o?.upRequests), "—"],
    ["refresh: wall time (s)", secs(o?.refreshS), secs(v?.refreshS), secs(f?.refreshS), ratio(v?.refreshS, o?.refreshS), ratio(o?.refreshS, f?.refreshS)],
    ["refresh: API requests", int(o?.refreshRequests), int(v?.refreshRequests), int(f?.refreshRequests), ratio(v?.refreshRequests, o?.refreshRequests), "—"],
    [
      "state bytes per licence",
      int(o?.stateBytes),
      int(v?.stateBytes),
      int(f?.stateBytes),
      ratio(v?.stateBytes, o?.stateBytes),
      ratio(o?.stateBytes, f?.stateBytes),
    ],
    ["  of which __provider (x2)", int(o && o.providerBytes * 2), int(v && v.providerBytes * 2), int(f && f.providerBytes * 2), "", ""],
    ["provider peak RSS (MiB)", mib(o?.rssMiB), mib(v?.rssMiB), mib(f?.rssMiB), ratio(v?.rssMiB, o?.rssMiB), ratio(o?.rssMiB, f?.rssMiB)],
  ];
  const runs = VARIANTS.map((k) => s[k]?.runs).filter((r) => r !== undefined);
  const head = [`N = ${n} (median of ${[...new Set(runs)].join("/")} runs)`, "ours", "naive", "floor", "naive/ours", "ours/floor"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const lines = [
    pad(head, widths),
    pad(
      widths.map((w) => "-".repeat(w)),
      widths,
    ),
    ...rows.map((r) => pad(r, widths)),
  ];
  const spread = (label: string, x: Summary | undefined) =>
    x ? `${label} up ${x.upRangeS.map((t) => t.toFixed(2)).join("–")} s, refresh ${x.refreshRangeS.map((t) => t.toFixed(2)).join("–")} s` : undefined;
  lines.push(`range over runs: ${[spread("ours", o), spread("naive", v), spread("floor", f)].filter(Boolean).join("; ")}`);
  if (o) lines.push(`ours requests: up ${describeTally(o.upKinds)}; refresh ${describeTally(o.refreshKinds)}`);
  if (v) lines.push(`naive requests: up ${describeTally(v.upKinds)}; refresh ${describeTally(v.refreshKinds)}`);
  for (const [k, x] of Object.entries(s)) if (x && !x.requestsStable) lines.push(`note: ${k}'s request counts differed between runs`);
  return lines;
}

interface TargetCheck {
  name: string;
  value: string;
  limit: string;
  met: boolean | undefined;
}

function targets(all: Map<number, Partial<Record<Variant, Summary>>>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const at = (n: number) => all.get(n);
  const s100 = at(100);
  if (s100?.ours) {
    // An empty history still costs the one page that says it is empty.
    const limit = 100 + 3 + Math.max(1, Math.ceil(0 / PAGE_SIZE));
    checks.push({
      name: "up requests, N=100",
      value: int(s100.ours.upRequests),
      limit: `≤ 100 + 3 + max(1, ⌈0 existing orders/${PAGE_SIZE}⌉) = ${limit}`,
      met: s100.ours.upRequests <= limit,
    });
    const rlimit = Math.ceil(100 / PAGE_SIZE) + 2;
    checks.push({
      name: "refresh requests, N=100",
      value: int(s100.ours.refreshRequests),
      limit: `≤ ⌈100/${PAGE_SIZE}⌉ + 2 = ${rlimit}`,
      met: s100.ours.refreshRequests <= rlimit,
    });
  }
  for (const [n, s] of all) {
    if (s.ours && s.naive)
      checks.push({ name: `up wall time naive/ours, N=${n}`, value: ratio(s.naive.upS, s.ours.upS), limit: "≥ 3", met: s.naive.upS / s.ours.upS >= 3 });
    if (s.ours && s.floor)
      checks.push({ name: `up wall time ours/floor, N=${n}`, value: ratio(s.ours.upS, s.floor.upS), limit: "≤ 1.3", met: s.ours.upS / s.floor.upS <= 1.3 });
    if (s.ours && s.floor)
      checks.push({
        name: `refresh wall time ours/floor, N=${n}`,
        value: ratio(s.ours.refreshS, s.floor.refreshS),
        limit: "≤ 1.3",
        met: s.ours.refreshS / s.floor.refreshS <= 1.3,
      });
  }
  for (const [n, s] of all) {
    if (s.ours && s.naive && s.floor) {
      const above = (s.naive.upS - s.floor.upS) / (s.ours.upS - s.floor.upS);
      checks.push({
        name: `(info) up time above the floor, naive/ours, N=${n}`,
        value: s.ours.upS > s.floor.upS ? above.toFixed(2) : "ours within noise of the floor",
        limit: "not a target: the provider's own share of the wall time",
        met: undefined,
      });
    }
  }
  for (const [n, s] of all)
    if (s.ours) checks.push({ name: `state per licence, N=${n}`, value: `${int(s.ours.stateBytes)} B`, limit: "≤ 2048 B", met: s.ours.stateBytes <= 2048 });
  const s500 = at(500);
  if (s500?.ours)
    checks.push({ name: "provider peak RSS, N=500", value: `${mib(s500.ours.rssMiB)} MiB`, limit: "≤ 200 MB", met: s500.ours.rssMiB * 1.048576 <= 200 });
  return checks;
}

function machineFacts(binDir: string, opts: Options): string[] {
  const sh = (cmd: string, args: string[]): string => {
    try {
      return execFileSync(cmd, args, { encoding: "utf8", cwd: REPO_ROOT, stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return "?";
    }
  };
  const mem =
    sh("free", ["-h"])
      .split("\n")
      .find((l) => l.startsWith("Mem:"))
      ?.split(/\s+/)[1] ?? "?";
  const dirty = sh("git", ["status", "--porcelain", "--untracked-files=no"]) !== "";
  return [
    `machine: ${sh("nproc", [])} cores (nproc), ${mem} memory (free -h), ${os.cpus()[0]?.model ?? "?"}; node ${process.version}; ${sh(path.join(binDir, "pulumi"), ["version"])}`,
    `repository: ${sh("git", ["rev-parse", "--short", "HEAD"])}${dirty ? " + uncommitted changes" : ""}`,
    `settings: emulator latency ${opts.latencyMs} ms per request, devices "any"; pulumi up/refresh --parallel ${opts.parallel}; provider yeastar:maxConcurrency ${opts.maxConcurrency ?? "default (8)"}${opts.skipCheckpoints ? "; PULUMI_SKIP_CHECKPOINTS=true" : ""}`,
  ];
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const binDir = ensurePulumiCli();
  const started = Date.now();
  for (const line of machineFacts(binDir, opts)) say(line);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "yeastar-bench-"));
  say(`workspace: ${root} (packing the package and installing it once)`);
  const ws = createWorkspace(root);
  const samples: Sample[] = [];
  const all = new Map<number, Partial<Record<Variant, Summary>>>();
  try {
    if (opts.warmup) {
      for (const variant of opts.variants) await runOnce(binDir, ws, variant, 10, 0, opts);
      say("  (warm-up: one unrecorded run of each variant at N=10)");
    }
    for (const n of opts.sizes) {
      const runs = runsFor(opts, n);
      for (let run = 1; run <= runs; run++) {
        for (const variant of opts.variants) {
          const s = await runOnce(binDir, ws, variant, n, run, opts);
          samples.push(s);
          say(
            `  N=${n} run ${run}/${runs} ${variant.padEnd(5)}: up ${(s.up.ms / 1000).toFixed(2)} s (${s.up.requests} requests), refresh ${(s.refresh.ms / 1000).toFixed(2)} s (${s.refresh.requests} requests), ${s.stateBytesPerLicence} B/licence, provider RSS ${Math.max(s.up.rssMiB, s.refresh.rssMiB).toFixed(0)} MiB, load ${s.load.toFixed(1)}`,
          );
        }
      }
      const byVariant: Partial<Record<Variant, Summary>> = {};
      for (const variant of opts.variants) byVariant[variant] = summarise(samples.filter((s) => s.n === n && s.variant === variant));
      all.set(n, byVariant);
      say();
      for (const line of table(n, byVariant)) say(line);
      say();
    }
  } finally {
    if (!opts.keep) fs.rmSync(root, { recursive: true, force: true });
  }

  say("targets:");
  for (const t of targets(all))
    say(`  ${t.met === undefined ? "       " : t.met ? "met    " : "NOT MET"}  ${t.name}: ${t.value} (${t.met === undefined ? "" : "target "}${t.limit})`);
  say(`total benchmark time: ${((Date.now() - started) / 60000).toFixed(1)} min`);

  const xs = [...all.keys()];
  const colors: Record<Variant, [string, string]> = { ours: ["#1f77b4", ""], naive: ["#d62728", "6 4"], floor: ["#555555", "2 3"] };
  const labels: Record<Variant, string> = { ours: "this provider", naive: "naive baseline", floor: "engine floor" };
  const series = (pick: (s: Summary) => number): Series[] =>
    opts.variants.map((v) => ({
      label: labels[v],
      color: colors[v][0],
      dash: colors[v][1],
      points: xs.flatMap((n): [number, number][] => {
        const s = all.get(n)?.[v];
        return s ? [[n, pick(s)]] : [];
      }),
    }));
  if (opts.svg) {
    const caption = `median of ${[...new Set(xs.map((n) => runsFor(opts, n)))].join("/")} runs; emulator latency ${opts.latencyMs} ms/request; --parallel ${opts.parallel}; ${os.cpus().length} cores`;
    fs.writeFileSync(
      opts.svg,
      wallTimeChart(
        [
          { title: "pulumi up", series: series((s) => s.upS) },
          { title: "pulumi refresh", series: series((s) => s.refreshS) },
        ],
        xs,
        caption,
      ),
    );
    say(`chart: ${path.relative(process.cwd(), opts.svg)}`);
  }
  if (opts.json) {
    fs.writeFileSync(opts.json, JSON.stringify({ options: opts, samples, summaries: Object.fromEntries(all) }, null, 2));
    say(`raw results: ${opts.json}`);
  }
}

main().catch((err: unknown) => {
  const text = err instanceof UsageError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`bench failed: ${text}\n`);
  process.exit(1);
});
