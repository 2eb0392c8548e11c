/**
 * Shared by the reliability suites (fault matrix, kill test): one stack project with the packed
 * tarball installed (once per mocha process), stacks on it, hooks that extend the emulator's
 * fault kinds, and readers for the state and for what `pulumi` showed the user.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Reply } from "../../emulator/envelope";
import type { DispatchHooks, RequestContext } from "../../emulator/dispatcher";
import type { RunningEmulator } from "../../emulator";
import { EMULATOR_CLIENT_ID } from "../../emulator";
import { PulumiStack, ensurePulumiCli, type RunResult } from "../../scripts/engine";
import { RESOURCE_TYPE } from "../../provider/resource";
import { packRepository, writeStackProject } from "./stack-project";

/** A client secret nobody could mistake for other text: every output is grepped for it. */
export const RECOGNISABLE_SECRET = "reliability-secret-Zq7X-41c9e0";

/** Orders that hold (or will hold, once paid) a licence. */
export const LIVE = new Set(["succeed", "pending"]);

export interface SharedProject {
  binDir: string;
  workDir: string;
  projectDir: string;
}

let shared: SharedProject | undefined;

/**
 * The stack project (examples/fleet with the package installed from its tarball), made once per
 * process and shared by every reliability suite; removed when the process exits (KEEP_E2E keeps it).
 */
export function sharedProject(): SharedProject {
  if (shared) return shared;
  const binDir = ensurePulumiCli();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "yeastar-reliability-"));
  const tarball = packRepository(workDir);
  const projectDir = path.join(workDir, "project");
  writeStackProject(projectDir, "hotel-reliability", "examples/fleet/index.ts", tarball);
  shared = { binDir, workDir, projectDir };
  process.on("exit", () => {
    if (!process.env.KEEP_E2E) fs.rmSync(workDir, { recursive: true, force: true });
  });
  return shared;
}

/** A stack of the shared project, configured for `emulatorUrl` with the recognisable secret. */
export async function newStack(name: string, emulatorUrl: string): Promise<PulumiStack> {
  const project = sharedProject();
  const stack = new PulumiStack({ binDir: project.binDir, cwd: project.projectDir, stack: name, workDir: path.join(project.workDir, `engine-${name}`) });
  await stack.init();
  await stack.run([
    "config",
    "set-all",
    ...stack.stackArgs(),
    "--plaintext",
    `yeastar:baseUrl=${emulatorUrl}`,
    "--plaintext",
    `yeastar:clientId=${EMULATOR_CLIENT_ID}`,
    "--secret",
    `yeastar:clientSecret=${RECOGNISABLE_SECRET}`,
    "--plaintext",
    "billingContactEmail=partnerexample@outlook.com",
  ]);
  return stack;
}

/** Sets the stack's `pbxs` list (resources are named `hotel-module-<SN>`) in one CLI call. */
export async function setPbxs(stack: PulumiStack, sns: string[], extra: Record<string, string> = {}): Promise<void> {
  const args = ["config", "set-all", ...stack.stackArgs(), "--path"];
  sns.forEach((sn, i) => args.push("--plaintext", `pbxs[${i}]=${sn}`));
  for (const [k, v] of Object.entries(extra)) args.push("--plaintext", `${k}=${v}`);
  await stack.run(args);
}

/** `count` fresh SNs (12 characters of [0-9A-Z]) for one row: e.g. `FM07PBX00002`. */
export function freshSns(prefix: string, row: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(row).padStart(2, "0")}PBX${String(i + 1).padStart(5, "0")}`);
}

export interface StateLicence {
  urn: string;
  id: string;
  productNo: string;
  orderStatus: string;
}

/** The HotelModuleLicense resources of the stack, from `pulumi stack export`. */
export async function stateLicences(stack: PulumiStack): Promise<{ licences: StateLicence[]; text: string; pendingOperations: number }> {
  const text = await stack.exportState();
  const exported = JSON.parse(text) as {
    deployment: { resources?: { urn: string; type: string; id?: string; outputs?: Record<string, unknown> }[]; pending_operations?: unknown[] };
  };
  const licences = (exported.deployment.resources ?? [])
    .filter((r) => r.type === RESOURCE_TYPE)
    .map((r) => ({ urn: r.urn, id: r.id ?? "", productNo: String(r.outputs?.productNo ?? ""), orderStatus: String(r.outputs?.orderStatus ?? "") }));
  return { licences, text, pendingOperations: (exported.deployment.pending_operations ?? []).length };
}

/** Lines every run prints that say nothing about the fault: generic engine errors, the preview's
 * "will buy" notice, and the delete warnings of the previous row's licences. */
const NOISE = [
  /^error: update failed$/,
  /^error: refresh failed$/,
  /^error: preview failed$/,
  /will buy the Hotel Module for SN/,
  /is removed from the stack only/,
];

/** Every `error:`/`warning:` line pulumi printed, without the engine's generic ones. */
export function diagnosticLines(res: RunResult): string[] {
  return (res.stdout + "\n" + res.stderr)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^(error|warning): /.test(l))
    .filter((l) => !NOISE.some((n) => n.test(l)));
}

/**
 * The diagnostics pulumi printed for one resource (`hotel-module-<SN>`): the lines under its
 * header in the Diagnostics section, plus any line that names the SN.
 */
export function diagnosticsFor(res: RunResult, sn: string): string {
  const lines = res.stdout.split("\n");
  const out: string[] = [];
  let inside = false;
  let depth = 0;
  for (const line of lines) {
    const header = /^(\s*)\S.*\((.+)\):\s*$/.exec(line);
    if (header) {
      inside = (header[2] ?? "").includes(`hotel-module-${sn}`);
      depth = (header[1] ?? "").length;
      continue;
    }
    if (inside) {
      const indent = /^(\s*)/.exec(line)?.[1]?.length ?? 0;
      if (line.trim() === "" || indent <= depth) {
        if (line.trim() !== "") inside = false;
        continue;
      }
      out.push(line.trim());
    } else if (line.includes(sn)) {
      out.push(line.trim());
    }
  }
  return out.join("\n");
}

/** The one line that tells the user what happened: the first error, else the first warning. */
export function keyLine(res: RunResult): string {
  const lines = diagnosticLines(res);
  const chosen = lines.find((l) => l.startsWith("error: ")) ?? lines.find((l) => l.startsWith("warning: "));
  return chosen ?? (res.code === 0 ? "(no error or warning)" : "(exit code only)");
}

/** One line, shortened for a table cell. */
export function cell(text: string, max = 150): string {
  const flat = text.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Fault kinds the emulator does not have, added through its documented hook points
 * (`launchEmulator(opts, hooks)`): answers that replace a *committed* order's reply.
 */
export type HookFault =
  /** The order is committed, then the answer is a 200 whose JSON is cut off (a proxy truncated it). */
  | "garbled-200-after-commit"
  /** The order is committed, then the answer is a 500 error envelope (a gateway failed after the backend). */
  | "error-500-after-commit"
  /** The order is committed as `pending` (awaiting payment), as `initialOrderStatus: "pending"` would. */
  | "pending-on-create";

export class TestHooks {
  private armed: { fault: HookFault; left: number } | undefined;
  /** Set once the emulator is started (`setOrderStatus`). */
  emulator: RunningEmulator | undefined;
  fired = 0;

  /** Arms a fault for the next `times` committed orders (-1: all). */
  arm(fault: HookFault, times = 1): void {
    this.armed = { fault, left: times };
  }

  clear(): void {
    this.armed = undefined;
    this.fired = 0;
  }

  readonly hooks: DispatchHooks = {
    afterCommit: (ctx: RequestContext, reply: Reply): Reply | undefined => {
      const armed = this.armed;
      if (!armed || armed.left === 0 || !ctx.committed) return undefined;
      if (armed.left > 0) armed.left--;
      this.fired++;
      switch (armed.fault) {
        case "garbled-200-after-commit":
          return {
            kind: "raw",
            status: 200,
            code: "test_garbled_after_commit",
            headers: { "Content-Type": "application/json;charset=UTF-8" },
            body: `{"code":"success","detailMessage":"","requestId":"${ctx.requestId}","result":{"instanceId":"${ctx.committed.instanceId}","orderId":"${ctx.committed.orderId}","ord`,
          };
        case "error-500-after-commit":
          return { kind: "envelope", status: 500, code: "internal_error", detailMessage: "upstream failed after the order was saved", result: null };
        case "pending-on-create": {
          this.emulator?.setOrderStatus(ctx.committed.orderId, "pending");
          if (reply.kind !== "envelope") return undefined;
          return { ...reply, result: { ...(reply.result as Record<string, unknown>), orderStatus: "pending" } };
        }
      }
    },
  };
}

/** Renders rows as a GitHub-flavoured Markdown table. */
export function markdownTable(headers: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}
