/**
 * The whole lifecycle through the real Pulumi engine: the CLI built from its Go modules, the
 * package installed from its tarball into a stack project outside the repository, the emulator
 * over real HTTP. Assertions read the emulator's request log and ledger and the state on disk.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EMULATOR_CLIENT_ID, TUTORIAL_BILLING_CONTACT_ID, HOTEL_MODULE_SERVICE_ID, startEmulator, type RunningEmulator } from "../../emulator";
import { PulumiStack, ensurePulumiCli } from "../../scripts/engine";
import { SERIALIZED_PROVIDER } from "../../provider/resource";
import { installTarball, packRepository, repackWithVersion, writeStackProject } from "./stack-project";

const SAVE = "/order/openapi/order/v1/save";
const PBXS = { lobby: "3631E0997265", spa: "3631E3418911", bar: "3631E1205487" };

interface StackOrders {
  orders: Record<string, { productNo: string; orderId: string; instanceId: string; orderNo: string; orderStatus: string }>;
}

describe("end to end through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);
  let emulator: RunningEmulator;
  let stack: PulumiStack;
  let workDir: string;
  let projectDir: string;
  let tarball: string;
  const orderPosts = () => emulator.requests.filter((r) => r.method === "POST" && r.path === SAVE).length;

  before(async () => {
    const binDir = ensurePulumiCli();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "yeastar-e2e-"));
    tarball = packRepository(workDir);
    projectDir = path.join(workDir, "project");
    writeStackProject(projectDir, "hotel-e2e", "examples/fleet/index.ts", tarball);
    emulator = await startEmulator({ clientSecret: "e2e-recognisable-secret-7f3a9c" });
    stack = new PulumiStack({ binDir, cwd: projectDir, stack: "e2e", workDir: path.join(workDir, "engine") });
    await stack.init();
    await stack.setConfig("yeastar:baseUrl", emulator.url);
    await stack.setConfig("yeastar:clientId", EMULATOR_CLIENT_ID);
    await stack.setConfig("yeastar:clientSecret", "e2e-recognisable-secret-7f3a9c", { secret: true });
    await stack.setConfig("billingContactEmail", "partnerexample@outlook.com");
    for (const [name, sn] of Object.entries(PBXS)) await stack.setConfig(`pbxs.${name}`, sn, { path: true });
  });

  after(async () => {
    await emulator?.close();
    if (workDir && !process.env.KEEP_E2E) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("preview plans one create per PBX and places no order", async () => {
    const res = await stack.preview();
    assert.match(res.stdout, /\+ 4 to create/, res.stdout);
    assert.equal((res.stdout.match(/\+ pulumi-nodejs:dynamic\/yeastar:HotelModuleLicense/g) ?? []).length, 3, res.stdout);
    assert.equal(orderPosts(), 0);
  });

  it("up places exactly one order per SN with exact IDs, and the stack outputs carry orderId and instanceId", async () => {
    await stack.up();
    assert.equal(orderPosts(), 3);
    for (const sn of Object.values(PBXS)) assert.equal(emulator.ordersFor(sn).length, 1, sn);
    for (const req of emulator.requests.filter((r) => r.path === SAVE)) {
      assert.ok(req.body.includes(`"billingId":${TUTORIAL_BILLING_CONTACT_ID},`), req.body);
      assert.ok(req.body.includes(`"serviceId":${HOTEL_MODULE_SERVICE_ID},`), req.body);
    }
    const { orders } = (await stack.outputs()) as unknown as StackOrders;
    for (const [name, sn] of Object.entries(PBXS)) {
      const ledger = emulator.ordersFor(sn)[0];
      assert.equal(orders[name]?.orderId, ledger?.orderId);
      assert.equal(orders[name]?.instanceId, ledger?.instanceId);
      assert.equal(orders[name]?.orderStatus, "succeed");
    }
  });

  it("a second up changes nothing and sends no order", async () => {
    const res = await stack.up();
    assert.equal(orderPosts(), 3);
    assert.match(res.stdout, /4 unchanged/);
  });

  it("changing one SN previews a replacement of that resource only, and up places one new order", async () => {
    await stack.setConfig("pbxs.bar", "3632E2750033", { path: true });
    const preview = await stack.preview();
    assert.match(
      preview.stdout,
      /\+-pulumi-nodejs:dynamic\/yeastar:HotelModuleLicense: \(replace\)\s+\[id=\d+\]\s+\[urn=[^\]]*::hotel-module-bar\]/,
      preview.stdout,
    );
    assert.equal((preview.stdout.match(/\+-pulumi-nodejs/g) ?? []).length, 1, preview.stdout);
    assert.match(preview.stdout, /\+-1 to replace\s+3 unchanged/);
    assert.equal(orderPosts(), 3);
    const up = await stack.up();
    assert.equal(orderPosts(), 4);
    assert.equal(emulator.ordersFor("3632E2750033").length, 1);
    assert.match(up.stdout + up.stderr, /licence stays on the PBX/);
  });

  it("refresh keeps every output and places no order", async () => {
    const before = (await stack.outputs()) as unknown as StackOrders;
    await stack.refresh();
    const after = (await stack.outputs()) as unknown as StackOrders;
    assert.deepEqual(after, before);
    assert.equal(orderPosts(), 4);
  });

  it("a new version of the package neither wipes outputs nor orders again", async () => {
    const before = (await stack.outputs()) as unknown as StackOrders;
    installTarball(projectDir, repackWithVersion(tarball, "0.1.1", workDir));
    const installed = JSON.parse(fs.readFileSync(path.join(projectDir, "node_modules", "pulumi-yeastar-hotel-module", "package.json"), "utf8")) as {
      version: string;
    };
    assert.equal(installed.version, "0.1.1");
    const res = await stack.up();
    assert.match(res.stdout, /4 unchanged/);
    await stack.refresh();
    assert.deepEqual(await stack.outputs(), before);
    assert.equal(orderPosts(), 4);
  });

  it("keeps the client secret and every issued token out of the state, and stores a ~100-byte provider", async () => {
    const exported = await stack.exportState();
    const onDisk = stack.backendFilesText();
    for (const text of [exported, onDisk]) {
      assert.doesNotMatch(text, /e2e-recognisable-secret-7f3a9c/);
      for (const token of emulator.issuedTokens()) assert.ok(!text.includes(token), "an issued token is in the state");
    }
    const deployment = JSON.parse(exported) as {
      deployment: { resources: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] };
    };
    const licences = deployment.deployment.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/yeastar:HotelModuleLicense");
    assert.equal(licences.length, 3);
    for (const r of licences) {
      assert.equal(r.inputs?.__provider, SERIALIZED_PROVIDER);
      assert.equal(r.outputs?.__provider, SERIALIZED_PROVIDER);
    }
    const perResource = Buffer.byteLength(JSON.stringify(licences[0]));
    process.stdout.write(
      `      serialized provider: ${Buffer.byteLength(SERIALIZED_PROVIDER)} bytes (twice per resource); whole resource in state: ${perResource} bytes\n`,
    );
  });

  it("destroy places no order, says the licence stays on the PBX, and empties the stack", async () => {
    const requestsBefore = emulator.requests.length;
    const res = await stack.destroy();
    assert.equal(orderPosts(), 4);
    assert.equal(emulator.requests.length, requestsBefore, "destroy makes no API call");
    assert.match(res.stdout + res.stderr, /licence stays on the PBX/);
    const exported = JSON.parse(await stack.exportState()) as { deployment: { resources?: unknown[] } };
    assert.equal((exported.deployment.resources ?? []).length, 0);
  });
});
