/**
 * A user's stack project outside the repository, with this package installed the way users
 * install it: from the tarball `npm pack` makes.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/engine";

const SDK_VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies[
  "@pulumi/pulumi"
] as string;

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel", "error"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

/** Packs the repository (already built) into `dir`; returns the tarball's path. */
export function packRepository(dir: string): string {
  const out = npm(["pack", "--ignore-scripts", "--pack-destination", dir], REPO_ROOT);
  const name = out.trim().split("\n").pop() as string;
  return path.join(dir, name);
}

/** A copy of the tarball whose package.json has another version (an upgrade of the provider). */
export function repackWithVersion(tarball: string, version: string, dir: string): string {
  const unpack = fs.mkdtempSync(path.join(dir, "repack-"));
  execFileSync("tar", ["-xzf", tarball, "-C", unpack]);
  const pkgDir = path.join(unpack, "package");
  const pkgFile = path.join(pkgDir, "package.json");
  const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { version: string };
  pkg.version = version;
  fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
  const out = npm(["pack", "--ignore-scripts", "--pack-destination", dir], pkgDir);
  return path.join(dir, out.trim().split("\n").pop() as string);
}

/** Writes a TypeScript stack project running `program` (a file under examples/) into `dir`. */
export function writeStackProject(dir: string, name: string, program: string, tarball: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
  fs.copyFileSync(path.join(REPO_ROOT, program), path.join(dir, "index.ts"));
  const pkg = {
    name,
    private: true,
    main: "index.ts",
    dependencies: { "@pulumi/pulumi": SDK_VERSION, "pulumi-yeastar-hotel-module": `file:${tarball}` },
    devDependencies: { typescript: "~5.6.3", "@types/node": "^20.17.0" },
  };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node", esModuleInterop: true, skipLibCheck: true },
        files: ["index.ts"],
      },
      null,
      2,
    ),
  );
  npm(["install", "--prefer-offline"], dir);
}

/** Installs another tarball of the package into the project (an upgrade). */
export function installTarball(dir: string, tarball: string): void {
  npm(["install", "--prefer-offline", `pulumi-yeastar-hotel-module@file:${tarball}`], dir);
}
