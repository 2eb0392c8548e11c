/**
 * HotelModuleLicense through the SDK's own dynamic-provider host, over gRPC, as the engine drives it.
 *
 * Why this layer exists: the e2e suite proves the whole thing through the real CLI but takes
 * minutes and says little about *which* RPC went wrong; the integration suite calls the provider
 * object in-process and so never exercises what the engine actually relies on. This layer sits in
 * between and is fast (a few seconds) and precise (one assertion per RPC):
 * - a fresh process: the host is `@pulumi/pulumi/cmd/dynamic-provider/index.js`, the very program
 *   the engine spawns for `pulumi-nodejs:dynamic` resources, started with cwd = repo root, so the
 *   ~100-byte `__provider` text (`SERIALIZED_PROVIDER`) must resolve the package by name and
 *   load the built provider from scratch, with no state shared with the test process;
 * - the real serialization: every request and answer is a protobuf `Struct` through grpc-js, so
 *   what survives (exact ID strings, `__provider`) is what the engine would store;
 * - `Configure` with the stack config exactly as the engine sends it to the default `pulumi-nodejs`
 *   provider: full keys (`yeastar:clientId`), the secret wrapped in the secret signature object.
 *
 * The host ignores its engine-address argument (it never dials the engine; the provider's warnings
 * go to the host's stderr). Instead of a fake engine, the address given is that of a TCP listener
 * that counts connections, and a test asserts it was never dialled.
 */
import assert from "node:assert/strict";
import * as net from "node:net";
import * as path from "node:path";
import {
  EMULATOR_CLIENT_ID,
  HOTEL_MODULE_SERVICE_ID,
  SECOND_BILLING_CONTACT_ID,
  TUTORIAL_BILLING_CONTACT_ID,
  TUTORIAL_SN,
  startEmulator,
  type RunningEmulator,
  type EmulatorOrder,
} from "../../emulator";
import { RESOURCE_TYPE, SERIALIZED_PROVIDER, orderReference } from "../../provider/resource";
import { DiffChanges, DynamicProviderHost, cleanEnv, secret, urnOf, type JsonObject, type JsonValue } from "../support/host-client";

/** The repository root (dist/test/host → ../../..), where `node_modules/pulumi-yeastar-hotel-module` links to itself. */
const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");
const CLIENT_SECRET = "host-layer-secret-5d1e7b20c4";
const SAVE = "/order/openapi/order/v1/save";
const SECOND_SN = "3631E3418911";

const urn = (name: string): string => urnOf("dev", "proj", RESOURCE_TYPE, name);

/** The properties a create must return for an order: every ID an exact string, plus the provider text. */
function stateOf(productNo: string, order: EmulatorOrder): Record<string, string> {
  return {
    productNo,
    serviceId: "3299326068732223488",
    billingContactId: "3197218168379846218",
    orderId: order.orderId,
    instanceId: order.instanceId,
    orderNo: order.orderNo,
    transactionNo: order.transactionNo,
    orderStatus: "succeed",
    __provider: SERIALIZED_PROVIDER,
  };
}

/** The inputs `new HotelModuleLicense(name, { productNo, billingContactId })` registers (undefined placeholders are dropped). */
function inputsFor(name: string, productNo: string, extra: Record<string, JsonValue> = {}): JsonObject {
  return {
    productNo,
    billingContactId: TUTORIAL_BILLING_CONTACT_ID,
    ...extra,
    orderReference: orderReference("proj", "dev", name, productNo),
    __provider: SERIALIZED_PROVIDER,
  };
}

describe("HotelModuleLicense through the SDK's dynamic-provider host over gRPC", function () {
  this.timeout(20_000);

  let emulator: RunningEmulator;
  let host: DynamicProviderHost;
  let bareHost: DynamicProviderHost | undefined;
  let engine: net.Server;
  let engineAddress: string;
  let engineDials = 0;

  // Shared along the lifecycle, like the engine's state file.
  const lobby = urn("lobby");
  const lobbyInputs = inputsFor("lobby", TUTORIAL_SN);
  let lobbyId = "";
  let lobbyState: JsonObject = {};

  const orderPosts = (): number => emulator.requests.filter((r) => r.method === "POST" && r.path === SAVE).length;
  const stackConfig = (): Record<string, JsonValue> => ({
    "yeastar:clientId": EMULATOR_CLIENT_ID,
    "yeastar:clientSecret": secret(CLIENT_SECRET),
    "yeastar:baseUrl": emulator.url,
    "proj:unrelated": "kept by the engine, ignored by the provider",
  });

  before(async () => {
    emulator = await startEmulator({ clientSecret: CLIENT_SECRET });
    engine = net.createServer((socket) => {
      engineDials++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => engine.listen(0, "127.0.0.1", resolve));
    engineAddress = `127.0.0.1:${(engine.address() as net.AddressInfo).port}`;
    host = await DynamicProviderHost.start({ cwd: REPO_ROOT, engineAddress, env: cleanEnv() });
  });

  after(async () => {
    await host?.kill();
    await bareHost?.kill();
    await new Promise<void>((resolve) => (engine ? engine.close(() => resolve()) : resolve()));
    await emulator?.close();
  });

  it("loads the ~100-byte provider text, takes the stack config with the secret wrapped, and checks a valid SN offline", async () => {
    assert.ok(Buffer.byteLength(SERIALIZED_PROVIDER) < 128, `__provider is ${Buffer.byteLength(SERIALIZED_PROVIDER)} bytes`);
    const configured = await host.configure(stackConfig());
    assert.equal(configured.acceptSecrets, false, "the host asks the engine for plain values");

    const checked = await host.check(lobby, {}, lobbyInputs);
    assert.deepEqual(checked.failures, []);
    assert.deepEqual(checked.inputs, lobbyInputs);
    assert.deepEqual(emulator.requests, [], "Check must not call the Partner API");
  });

  it("fails Check of a lowercase or wrong-length SN naming productNo and the fix, without calling the API", async () => {
    const lower = await host.check(lobby, {}, inputsFor("lobby", "3631e0997265"));
    assert.equal(lower.failures.length, 1, JSON.stringify(lower.failures));
    assert.equal(lower.failures[0]?.property, "productNo");
    assert.match(lower.failures[0]?.reason ?? "", /lowercase.*"3631E0997265"/);

    const short = await host.check(lobby, {}, inputsFor("lobby", "3631E09972"));
    assert.equal(short.failures.length, 1, JSON.stringify(short.failures));
    assert.equal(short.failures[0]?.property, "productNo");
    assert.match(short.failures[0]?.reason ?? "", /has 10 characters; a P-Series SN has 12, such as 3631E0997265/);
    assert.deepEqual(emulator.requests, []);
  });

  it("fails Check with the `pulumi config set --secret` command when the client secret is in neither config nor environment", async () => {
    bareHost = await DynamicProviderHost.start({ cwd: REPO_ROOT, engineAddress, env: cleanEnv() });
    await bareHost.configure({ "yeastar:clientId": EMULATOR_CLIENT_ID, "yeastar:baseUrl": emulator.url });
    const checked = await bareHost.check(lobby, {}, lobbyInputs);
    assert.equal(checked.failures.length, 1, JSON.stringify(checked.failures));
    assert.equal(checked.failures[0]?.property, "yeastar");
    assert.ok(checked.failures[0]?.reason.includes("pulumi config set --secret yeastar:clientSecret"), checked.failures[0]?.reason);
    assert.deepEqual(emulator.requests, []);
  });

  it("creates with exactly one order and returns id = orderId and the order's IDs as exact strings", async () => {
    const created = await host.create(lobby, lobbyInputs);
    assert.equal(emulator.orders.length, 1);
    assert.equal(orderPosts(), 1);
    const order = emulator.orders[0];
    assert.ok(order);
    assert.equal(created.id, order.orderId);
    assert.deepEqual(created.properties, stateOf(TUTORIAL_SN, order));
    assert.equal(HOTEL_MODULE_SERVICE_ID, "3299326068732223488");
    const body = emulator.requests.find((r) => r.path === SAVE)?.body ?? "";
    assert.ok(body.includes(`"billingId":3197218168379846218,`), body);
    assert.ok(body.includes(`"serviceId":3299326068732223488,`), body);
    assert.ok(body.includes(`"poNumber":"${lobbyInputs.orderReference as string}"`), body);
    lobbyId = created.id;
    lobbyState = created.properties;
  });

  it("diffs a changed productNo as a replacement of productNo, and unchanged inputs as no change", async () => {
    emulator.clearRequests();
    const moved = await host.diff(lobby, lobbyId, lobbyState, inputsFor("lobby", SECOND_SN), lobbyInputs);
    assert.equal(moved.changes, DiffChanges.DIFF_SOME);
    assert.deepEqual(moved.replaces, ["productNo"]);

    const same = await host.diff(lobby, lobbyId, lobbyState, lobbyInputs, lobbyInputs);
    assert.equal(same.changes, DiffChanges.DIFF_NONE);
    assert.deepEqual(same.replaces, []);
    assert.deepEqual(emulator.requests, []);
  });

  it("treats a billing-contact change after purchase as no change: Check says nothing is ordered, Diff reports none", async () => {
    emulator.clearRequests();
    const news = inputsFor("lobby", TUTORIAL_SN, { billingContactId: SECOND_BILLING_CONTACT_ID });
    const checked = await host.check(lobby, lobbyInputs, news);
    assert.deepEqual(checked.failures, []);
    assert.match(host.stderr, /billingContactId changed for SN 3631E0997265: .*nothing is ordered/);
    const diff = await host.diff(lobby, lobbyId, lobbyState, news, lobbyInputs);
    assert.equal(diff.changes, DiffChanges.DIFF_NONE, "nothing to update: the module is already bought");
    assert.equal(emulator.orders.length, 1);
    assert.deepEqual(emulator.requests, []);
  });

  it("updates (a new provider text) without ordering, returning every output unchanged", async () => {
    emulator.clearRequests();
    const news = { ...inputsFor("lobby", TUTORIAL_SN, { billingContactId: SECOND_BILLING_CONTACT_ID }) };
    const updated = await host.update(lobby, lobbyId, lobbyState, news, lobbyInputs);
    assert.deepEqual(updated.properties, lobbyState, "no output may be wiped or changed: the module is already bought");
    assert.equal(emulator.orders.length, 1);
    assert.deepEqual(emulator.requests, []);
    const next = await host.diff(lobby, lobbyId, updated.properties, news, news);
    assert.equal(next.changes, DiffChanges.DIFF_NONE, "a second `pulumi up` changes nothing");
  });

  it("reads (refresh) the status the API now shows for the order", async () => {
    emulator.setOrderStatus(lobbyId, "refunded");
    const read = await host.read(lobby, lobbyId, lobbyState, lobbyInputs);
    assert.equal(read.id, lobbyId);
    assert.deepEqual(read.properties, { ...lobbyState, orderStatus: "refunded" });
    assert.equal(orderPosts(), 0);
    assert.match(host.stderr, /is now refunded/);
    lobbyState = read.properties;
  });

  it("deletes from the stack without any Partner API call", async () => {
    emulator.clearRequests();
    await host.delete(lobby, lobbyId, lobbyState, lobbyInputs);
    assert.deepEqual(emulator.requests, []);
    assert.equal(emulator.orders.length, 1);
    assert.match(host.stderr, /removed from the stack only: .*nothing is refunded/);
  });

  it("settles a create whose order answer was lost after commit by looking it up: the order is returned, and bought once", async () => {
    emulator.clearRequests();
    emulator.faults.add({ endpoint: "order.save", fault: { kind: "reset-after-commit" } });
    const spa = urn("spa");
    const spaInputs = inputsFor("spa", SECOND_SN);
    const created = await host.create(spa, spaInputs);
    assert.equal(emulator.faults.fired.length, 1, "the fault must have acted");
    const orders = emulator.ordersFor(SECOND_SN);
    assert.equal(orders.length, 1);
    assert.equal(orderPosts(), 1, "the order POST is never sent again");
    const order = orders[0];
    assert.ok(order);
    assert.equal(created.id, order.orderId);
    assert.deepEqual(created.properties, stateOf(SECOND_SN, order));
    assert.match(host.stderr, /answer to the Hotel Module order for SN 3631E3418911 was lost/);
  });

  it("writes neither the client secret nor any issued token to the host's stdout or stderr", () => {
    const tokens = emulator.issuedTokens();
    assert.ok(tokens.length > 0, "the host must have obtained a token");
    const written = [host.stdout, host.stderr, bareHost?.stdout ?? "", bareHost?.stderr ?? ""].join("\n");
    assert.ok(host.stderr.length > 0, "the warnings above went to stderr, so the check below is not vacuous");
    assert.ok(!written.includes(CLIENT_SECRET), "client secret leaked");
    for (const token of tokens) assert.ok(!written.includes(token), "a token leaked");
    assert.ok(!JSON.stringify(lobbyState).includes(CLIENT_SECRET));
  });

  it("never dials the engine address it was started with, and is still running", () => {
    assert.equal(engineDials, 0);
    assert.equal(host.exit, undefined, `host exited: ${JSON.stringify(host.exit)}; stderr: ${host.stderr}`);
  });
});
