/**
 * The examples and the hygiene a user's CI relies on, through the real Pulumi engine:
 * examples/basic and examples/adopt run against the emulator; `pulumi import` of a dynamic
 * resource is shown to fail (and to buy nothing); a verbose run leaks no secret or token.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EMULATOR_CLIENT_ID, HOTEL_MODULE_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID, startEmulator, type RunningEmulator } from "../../emulator";
import { PulumiStack, ensurePulumiCli } from "../../scripts/engine";
import { placeOrderByHand } from "../support/provider-harness";
import { packRepository, writeStackProject } from "./stack-project";

const SECRET = "hygiene-recognisable-secret-91d2e7";
const SAVE = "/order/openapi/order/v1/save";

describe("examples and hygiene through the Pulumi engine", function () {
  this.timeout(10 * 60 * 1000);
  let binDir: string;
  let workDir: string;
  let tarball: string;
  let emulator: RunningEmulator;
  const orderPosts = () => emulator.requests.filter((r) => r.method === "POST" && r.path === SAVE).length;

  before(async () => {
    binDir = ensurePulumiCli();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "yeastar-examples-"));
    tarball = packRepository(workDir);
    emulator = await startEmulator({ clientSecret: SECRET, devices: "any" });
  });

  after(async () => {
    await emulator?.close();
    if (workDir && !process.env.KEEP_E2E) fs.rmSync(workDir, { recursive: true, force: true });
  });

  async function stackFor(example: string, stackName: string, config: Record<string, string>, secretInConfig = true): Promise<PulumiStack> {
    const dir = path.join(workDir, example);
    if (!fs.existsSync(dir)) writeStackProject(dir, `hotel-${example}`, `examples/${example}/index.ts`, tarball);
    const stack = new PulumiStack({ binDir, cwd: dir, stack: stackName, workDir: path.join(workDir, `${example}-${stackName}-engine`) });
    await stack.init();
    await stack.setConfig("yeastar:baseUrl", emulator.url);
    await stack.setConfig("yeastar:clientId", EMULATOR_CLIENT_ID);
    if (secretInConfig) await stack.setConfig("yeastar:clientSecret", SECRET, { secret: true });
    for (const [k, v] of Object.entries(config)) await stack.setConfig(k, v);
    return stack;
  }

  it("examples/basic buys the Hotel Module for one PBX, once, and verbose runs leak no secret or token", async () => {
    const stack = await stackFor("basic", "dev", { productNo: "3631E7770001", billingContactEmail: "partnerexample@outlook.com" });
    // With the secret in stack config, verbose to -v=6: from -v=7 the Pulumi engine itself logs
    // every provider config value in plain text (docs/SECURITY.md), which no provider can prevent.
    const verbose = (level: number) => [`-v=${level}`, "--logtostderr", "--logflow"];
    const outputs: string[] = [];
    outputs.push(JSON.stringify(await stack.preview(verbose(6))));
    outputs.push(JSON.stringify(await stack.up(verbose(6))));
    assert.equal(orderPosts(), 1);
    const out = await stack.outputs();
    assert.equal(out.orderId, emulator.ordersFor("3631E7770001")[0]?.orderId);
    outputs.push(JSON.stringify(await stack.refresh(verbose(6))));
    outputs.push(await stack.exportState(), stack.backendFilesText());
    // An API that fails: the token call is refused, so refresh errors out. Its message must be clean too.
    emulator.faults.add({
      endpoint: "auth.token",
      times: -1,
      fault: { kind: "error", status: 401, code: "invalid_client", detailMessage: "client authentication failed" },
    });
    const failing = await stack.refresh(verbose(6), { allowFailure: true });
    emulator.faults.clear();
    assert.notEqual(failing.code, 0);
    assert.match(failing.stdout + failing.stderr, /invalid_client/);
    outputs.push(JSON.stringify(failing));
    outputs.push(JSON.stringify(await stack.destroy(verbose(6))));
    // With the secret in the environment (as examples/ci does), even -v=9 stays clean.
    const envStack = await stackFor("basic", "ci", { productNo: "3631E7770003", billingContactEmail: "partnerexample@outlook.com" }, false);
    const env = { YEASTAR_CLIENT_SECRET: SECRET };
    outputs.push(JSON.stringify(await envStack.preview(verbose(9), { env })));
    outputs.push(JSON.stringify(await envStack.up(verbose(9), { env })));
    outputs.push(JSON.stringify(await envStack.refresh(verbose(9), { env })));
    outputs.push(await envStack.exportState(), envStack.backendFilesText());
    outputs.push(JSON.stringify(await envStack.destroy(verbose(9), { env })));
    assert.equal(orderPosts(), 2);
    for (const engineDir of ["basic-dev-engine", "basic-ci-engine"]) {
      const logsDir = path.join(workDir, engineDir, "home", "logs");
      if (fs.existsSync(logsDir)) for (const f of fs.readdirSync(logsDir)) outputs.push(fs.readFileSync(path.join(logsDir, f), "utf8"));
    }
    const everything = outputs.join("\n");
    if (process.env.KEEP_E2E) fs.writeFileSync(path.join(workDir, "hygiene-capture.txt"), everything);
    assert.ok(everything.length > 100_000, `verbose logs were captured (${everything.length} characters)`);
    assert.ok(!everything.includes(SECRET), "the client secret leaked");
    const tokens = emulator.issuedTokens();
    assert.ok(tokens.length > 0);
    for (const token of tokens) assert.ok(!everything.includes(token), "an issued token leaked");
  });

  it("pulumi import cannot adopt a dynamic resource (and buys nothing); examples/adopt adopts the order by existingOrderId", async () => {
    const sn = "3631E7770002";
    const orderId = await placeOrderByHand(emulator, sn, HOTEL_MODULE_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID, { clientSecret: SECRET });
    const before = orderPosts();
    const stack = await stackFor("adopt", "dev", { productNo: sn, existingOrderId: orderId });
    const imported = await stack.run(["import", "pulumi-nodejs:dynamic/yeastar:HotelModuleLicense", "front-desk-pbx", orderId, "--yes", ...stack.stackArgs()], {
      allowFailure: true,
    });
    assert.notEqual(imported.code, 0);
    assert.match(imported.stdout + imported.stderr, /Cannot read properties of undefined \(reading 'toJavaScript'\)/);
    await stack.up();
    const out = await stack.outputs();
    assert.equal(out.orderId, orderId);
    assert.equal(out.orderStatus, "succeed");
    assert.equal(orderPosts(), before, "adopting bought nothing");
    const second = await stack.up();
    assert.match(second.stdout, /2 unchanged/);
  });

  it("refuses a sample of the bad-input corpus at preview, naming the field and the fix, with zero API requests", async () => {
    const stack = await stackFor("basic", "bad", { productNo: "3631E7770009" });
    const cases: [string, string, RegExp][] = [
      ["productNo", "3631e7770009", /productNo .*has lowercase letters; Yeastar SNs are uppercase: "3631E7770009"/],
      ["productNo", "3631E777000", /productNo "3631E777000" has 11 characters; a P-Series SN has 12/],
      ["billingContactEmail", "billing.example.com", /billingContactEmail "billing.example.com" is not an e-mail address/],
      ["yeastar:baseUrl", "http://openapi.partner.yeastar.com", /uses http:\/\/ to a remote host/],
    ];
    for (const [key, value, message] of cases) {
      const requestsBefore = emulator.requests.length;
      await stack.setConfig(key, value);
      const res = await stack.preview([], { allowFailure: true });
      assert.notEqual(res.code, 0, `${key}=${value} was accepted`);
      assert.match(res.stdout + res.stderr, message);
      assert.equal(emulator.requests.length, requestsBefore, "no API request at preview");
      await stack.setConfig(key, key === "yeastar:baseUrl" ? emulator.url : key === "productNo" ? "3631E7770009" : "partnerexample@outlook.com");
    }
    await stack.run(["config", "rm", "yeastar:clientSecret", ...stack.stackArgs()]);
    const missing = await stack.preview([], { allowFailure: true, env: { YEASTAR_CLIENT_SECRET: "" } });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stdout + missing.stderr, /pulumi config set --secret yeastar:clientSecret <client-secret>/);
  });
});
