#!/usr/bin/env node
// Makes `require("pulumi-yeastar-hotel-module")` resolve inside this repository the way it does
// in a user's stack (from node_modules, by name): the root Pulumi.yaml project, the examples and
// the dynamic-provider host all load the package by name, never through a relative import.
const fs = require("node:fs");
const path = require("node:path");
const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-yeastar-hotel-module");
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  if (fs.readlinkSync(link) === "..") process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch {
  fs.rmSync(link, { recursive: true, force: true });
}
fs.symlinkSync("..", link, "dir");
