/**
 * The benchmark's stack projects, outside the repository: one workspace whose `node_modules`
 * holds the packed tarball of this package, `@pulumi/pulumi` and TypeScript (installed once),
 * and one folder per variant (Pulumi.yaml, package.json, tsconfig.json, index.ts) below it, so
 * that every variant resolves the same installed modules.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../scripts/engine";
import { packRepository } from "../test/e2e/stack-project";
import { PROGRAMS, VARIANTS, type Variant } from "./programs";

const SDK_VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies[
  "@pulumi/pulumi"
] as string;

const TSCONFIG = {
  compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true },
  files: ["index.ts"],
};

export interface BenchWorkspace {
  root: string;
  tarball: string;
  /** The project folder of each variant. */
  dirs: Record<Variant, string>;
}

/** Packs the (built) repository, installs it once into `root`, writes the three programs. */
export function createWorkspace(root: string): BenchWorkspace {
  fs.mkdirSync(root, { recursive: true });
  const tarball = packRepository(root);
  const pkg = {
    name: "yeastar-fleet-bench",
    private: true,
    dependencies: { "@pulumi/pulumi": SDK_VERSION, "pulumi-yeastar-hotel-module": `file:${tarball}` },
    devDependencies: { typescript: "~5.6.3", "@types/node": "^20.17.0" },
  };
  fs.writeFileSync(path.join(root, "package.json"), JSON.stringify(pkg, null, 2));
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel", "error"], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });

  const dirs = {} as Record<Variant, string>;
  for (const variant of VARIANTS) {
    const dir = path.join(root, variant);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: fleet-bench-${variant}\nruntime: nodejs\n`);
    // `typescript` in devDependencies makes the Node.js runtime load the program through ts-node,
    // as in a user's TypeScript project; the modules themselves resolve from the workspace.
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: `fleet-bench-${variant}`, private: true, main: "index.ts", devDependencies: { typescript: "~5.6.3" } }, null, 2),
    );
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
    fs.writeFileSync(path.join(dir, "index.ts"), PROGRAMS[variant]);
    dirs[variant] = dir;
  }
  return { root, tarball, dirs };
}
