/**
 * `npm run demo`: the README's main job. Starts the emulator, runs `pulumi up` of the root
 * Pulumi.yaml project (examples/fleet) against it with a local backend, prints the orders, shows
 * that a second `up` places no order, and stops the emulator.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET, startEmulator } from "../emulator";
import { PulumiStack, REPO_ROOT, ensurePulumiCli } from "./engine";

const PBXS: Record<string, string> = { lobby: "3631E0997265", spa: "3631E3418911" };

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  say("== finding or building the Pulumi CLI");
  const binDir = ensurePulumiCli();
  const emulator = await startEmulator({ devices: Object.values(PBXS) });
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "yeastar-demo-"));
  try {
    say(`== Yeastar Partner API emulator on ${emulator.url}`);
    const stack = new PulumiStack({ binDir, cwd: REPO_ROOT, stack: "demo", workDir });
    await stack.init();
    await stack.setConfig("yeastar:baseUrl", emulator.url);
    await stack.setConfig("yeastar:clientId", EMULATOR_CLIENT_ID);
    await stack.setConfig("yeastar:clientSecret", EMULATOR_CLIENT_SECRET, { secret: true });
    for (const [name, sn] of Object.entries(PBXS)) await stack.setConfig(`pbxs.${name}`, sn, { path: true });
    await stack.setConfig("billingContactEmail", "partnerexample@outlook.com");

    say("== pulumi up");
    const first = await stack.up();
    process.stdout.write(first.stdout);
    const outputs = await stack.outputs();
    say("== stack outputs");
    say(JSON.stringify(outputs, null, 2));

    const ordersBefore = emulator.orders.length;
    say("== second pulumi up (must change nothing)");
    const second = await stack.up();
    process.stdout.write(second.stdout);
    const newOrders = emulator.orders.length - ordersBefore;
    if (newOrders !== 0) throw new Error(`the second pulumi up placed ${newOrders} order(s)`);
    if (!/unchanged/.test(second.stdout) || /\bcreated\b|\bupdated\b|\breplaced\b/.test(second.stdout.replace(/\d+ unchanged/, ""))) {
      throw new Error("the second pulumi up was not a no-op");
    }
    say(`== done: ${emulator.orders.length} order(s) in the emulator's ledger, one per PBX; the second up placed none`);
  } finally {
    await emulator.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
