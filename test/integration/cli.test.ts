import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  HOTEL_MODULE_SERVICE_ID,
  HOTEL_PMS_SERVICE_ID,
  TUTORIAL_BILLING_CONTACT_ID,
  TUTORIAL_SN,
} from "../../emulator";
import { placeOrderByHand, startHarness, type Harness } from "../support/provider-harness";

const run = promisify(execFile);
const CLI = path.join(__dirname, "..", "..", "provider", "cli.js");

describe("the yeastar-hotel command", () => {
  let h: Harness;
  afterEach(async () => h?.close());
  const env = () => ({
    ...process.env,
    YEASTAR_CLIENT_ID: EMULATOR_CLIENT_ID,
    YEASTAR_CLIENT_SECRET: EMULATOR_CLIENT_SECRET,
    YEASTAR_BASE_URL: h.emulator.url,
  });

  it("lists the services offered for an SN with exact IDs", async () => {
    h = await startHarness();
    const { stdout } = await run("node", [CLI, "services", TUTORIAL_SN], { env: env() });
    assert.match(stdout, new RegExp(`${HOTEL_MODULE_SERVICE_ID}\\s+Hotel Module`));
    assert.match(stdout, new RegExp(`${HOTEL_PMS_SERVICE_ID}\\s+Hotel PMS Integration`));
  });

  it("lists the billing contacts", async () => {
    h = await startHarness();
    const { stdout } = await run("node", [CLI, "contacts"], { env: env() });
    assert.match(stdout, new RegExp(`${TUTORIAL_BILLING_CONTACT_ID}\\s+partnerexample@outlook.com`));
  });

  it("lists the live Hotel Module orders of an SN, and places none", async () => {
    h = await startHarness();
    const orderId = await placeOrderByHand(h.emulator, TUTORIAL_SN, HOTEL_MODULE_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID);
    const { stdout } = await run("node", [CLI, "orders", TUTORIAL_SN], { env: env() });
    assert.match(stdout, new RegExp(`^${orderId}\\s+AW\\d+\\s+succeed`, "m"));
    assert.equal(h.orderPosts(), 1);
  });

  it("refuses a bad SN before any request, and names the missing secret's variable", async () => {
    h = await startHarness();
    await assert.rejects(run("node", [CLI, "services", "3631e0997265"], { env: env() }), (err: { stderr: string }) => /uppercase/.test(err.stderr));
    assert.equal(h.emulator.requests.length, 0);
    const noSecret = { ...env(), YEASTAR_CLIENT_SECRET: "" };
    await assert.rejects(run("node", [CLI, "contacts"], { env: noSecret }), (err: { stderr: string }) => /YEASTAR_CLIENT_SECRET/.test(err.stderr));
  });
});
