/**
 * Runs the real Pulumi CLI offline: a local file backend, passphrase secrets, no update checks,
 * no plugin downloads. Shared by the demo and the end-to-end tests.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Finds or builds the Pulumi CLI (scripts/ensure-pulumi.sh) and returns its folder. */
export function ensurePulumiCli(): string {
  const out = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "ensure-pulumi.sh")], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = out.trim().split("\n");
  const dir = lines[lines.length - 1]?.trim();
  if (!dir || !fs.existsSync(path.join(dir, "pulumi")))
    throw new Error(`scripts/ensure-pulumi.sh did not name a folder holding pulumi (printed ${JSON.stringify(out)})`);
  return dir;
}

export interface EngineOptions {
  /** Folder holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
  binDir: string;
  /** The project folder (holds Pulumi.yaml). */
  cwd: string;
  stack: string;
  /** Scratch folder for the backend, PULUMI_HOME and the stack config file. */
  workDir: string;
  passphrase?: string;
  env?: Record<string, string>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
}

/** One stack of one project, driven through the CLI. */
export class PulumiStack {
  readonly backendDir: string;
  readonly configFile: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: EngineOptions) {
    this.backendDir = path.join(options.workDir, "backend");
    this.configFile = path.join(options.workDir, `Pulumi.${options.stack}.yaml`);
    fs.mkdirSync(this.backendDir, { recursive: true });
    fs.mkdirSync(path.join(options.workDir, "home"), { recursive: true });
    this.env = {
      ...process.env,
      PATH: `${options.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_BACKEND_URL: `file://${this.backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: options.passphrase ?? "offline-test-passphrase",
      PULUMI_HOME: path.join(options.workDir, "home"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      ...options.env,
    };
    delete this.env.PULUMI_ACCESS_TOKEN;
  }

  /** Runs `pulumi <args>`; rejects on a non-zero exit unless `allowFailure`. */
  async run(args: string[], opts: { allowFailure?: boolean; input?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
    const started = Date.now();
    const child = spawn(path.join(this.options.binDir, "pulumi"), ["--non-interactive", "--color", "never", ...args], {
      cwd: this.options.cwd,
      env: { ...this.env, ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(opts.input ?? "");
    const code = await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (c) => resolve(c ?? 1));
    });
    const result = { code, stdout, stderr, ms: Date.now() - started };
    if (code !== 0 && !opts.allowFailure) {
      throw new Error(`pulumi ${args.join(" ")} exited ${code}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`);
    }
    return result;
  }

  /** `pulumi stack init` (or select, when it exists). */
  async init(): Promise<void> {
    const res = await this.run(["stack", "init", this.options.stack], { allowFailure: true });
    if (res.code !== 0) await this.run(["stack", "select", this.options.stack]);
    // `stack init` writes the stack file (with the passphrase salt) into the project folder:
    // move it beside the backend, where every later command finds it through --config-file.
    const written = path.join(this.options.cwd, `Pulumi.${this.options.stack}.yaml`);
    if (fs.existsSync(written)) fs.renameSync(written, this.configFile);
  }

  async setConfig(key: string, value: string, opts: { secret?: boolean; path?: boolean } = {}): Promise<void> {
    const args = ["config", "set", "--stack", this.options.stack, "--config-file", this.configFile];
    if (opts.secret) args.push("--secret");
    if (opts.path) args.push("--path");
    args.push(key, "--", value);
    await this.run(args);
  }

  /** Arguments shared by the commands that act on the stack. */
  stackArgs(): string[] {
    return ["--stack", this.options.stack, "--config-file", this.configFile];
  }

  up(extra: string[] = [], opts: { allowFailure?: boolean; env?: Record<string, string> } = {}): Promise<RunResult> {
    return this.run(["up", "--yes", "--skip-preview", ...this.stackArgs(), ...extra], opts);
  }

  preview(extra: string[] = [], opts: { allowFailure?: boolean; env?: Record<string, string> } = {}): Promise<RunResult> {
    return this.run(["preview", "--diff", ...this.stackArgs(), ...extra], opts);
  }

  refresh(extra: string[] = [], opts: { allowFailure?: boolean; env?: Record<string, string> } = {}): Promise<RunResult> {
    return this.run(["refresh", "--yes", "--skip-preview", ...this.stackArgs(), ...extra], opts);
  }

  destroy(extra: string[] = [], opts: { allowFailure?: boolean; env?: Record<string, string> } = {}): Promise<RunResult> {
    return this.run(["destroy", "--yes", "--skip-preview", ...this.stackArgs(), ...extra], opts);
  }

  async outputs(): Promise<Record<string, unknown>> {
    const res = await this.run(["stack", "output", "--json", "--show-secrets", "--stack", this.options.stack]);
    return JSON.parse(res.stdout) as Record<string, unknown>;
  }

  /** `pulumi stack export` as text (the deployment, secrets still encrypted). */
  async exportState(): Promise<string> {
    return (await this.run(["stack", "export", "--stack", this.options.stack])).stdout;
  }

  /** Every file of the backend on disk, concatenated (to grep for leaked secrets). */
  backendFilesText(): string {
    const texts: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else texts.push(fs.readFileSync(p, "utf8"));
      }
    };
    walk(this.backendDir);
    return texts.join("\n");
  }
}
