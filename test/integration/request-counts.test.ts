/**
 * What a fleet costs in Partner API requests, counted exactly from the emulator's request log:
 * the provider is driven directly (no CLI), with 100 concurrent creates as the engine issues them
 * for a fleet inside one provider process, and a refresh in a fresh process (a new session).
 * Timing belongs to the benchmark (`npm run bench`, docs/BENCHMARKS.md); these counts are exact.
 */
import assert from "node:assert/strict";
import {
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  HOTEL_MODULE_SERVICE_ID,
  HOTEL_PMS_SERVICE_ID,
  TUTORIAL_BILLING_CONTACT_ID,
  type RecordedRequest,
  type RunningEmulator,
} from "../../emulator";
import { HotelModuleProvider } from "../../provider/provider";
import { orderReference, SERIALIZED_PROVIDER } from "../../provider/resource";
import { SessionHolder } from "../../provider/session";
import { startHarness, type Harness } from "../support/provider-harness";

const FLEET = 100;
/** The order list page size the provider asks for (the emulator's maximum). */
const PAGE_SIZE = 100;
const BILLING_EMAIL = "partnerexample@outlook.com";

const ENDPOINTS: Record<string, string> = {
  "POST /auth/openapi/v1/oauth/token": "token",
  "GET /pricing/openapi/purchase/v1/purchase_product_info": "offer",
  "GET /user/openapi/user/v1/client/billing_contact_list": "billingContacts",
  "GET /order/openapi/order/v1/page": "orderPage",
  "POST /order/openapi/order/v1/save": "orderPost",
};

/** Requests by kind; every Get Order Details counts as `orderDetails`, anything else by path. */
function tally(requests: readonly RecordedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) {
    const kind = ENDPOINTS[`${r.method} ${r.path}`] ?? (r.path.startsWith("/order/openapi/order/v1/get/") ? "orderDetails" : `${r.method} ${r.path}`);
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** Twelve-character SNs, distinct per prefix: `RC` + 10 digits. */
function serialNumbers(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(12 - prefix.length, "0")}`);
}

/** A provider in a process of its own (a new session: no token, no history read yet). */
async function freshProvider(emulator: RunningEmulator): Promise<HotelModuleProvider> {
  const provider = new HotelModuleProvider(new SessionHolder({ timeoutMs: 5000, sleep: async () => undefined }));
  const values: Record<string, string> = {
    "yeastar:clientId": EMULATOR_CLIENT_ID,
    "yeastar:clientSecret": EMULATOR_CLIENT_SECRET,
    "yeastar:baseUrl": emulator.url,
    "yeastar:maxOrdersPerRun": "1000",
  };
  await provider.configure({ config: { get: (key: string) => values[key], require: (key: string) => values[key] ?? "" } });
  return provider;
}

/**
 * Orders placed before the run by others: for other SNs, a mix of another stack's Hotel Module
 * orders (with a `HM-` reference), portal orders without reference, and Hotel PMS orders.
 */
async function placeOrdersOfOtherSns(emulator: RunningEmulator, count: number): Promise<void> {
  const headers = { "User-Agent": "OpenAPI" };
  const tokenRes = await fetch(`${emulator.url}/auth/openapi/v1/oauth/token`, {
    method: "POST",
    headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "pp_credentials", client_id: EMULATOR_CLIENT_ID, client_secret: EMULATOR_CLIENT_SECRET }).toString(),
  });
  const token = ((await tokenRes.json()) as { result: { token: string } }).result.token;
  for (const [i, sn] of serialNumbers("OTHER", count).entries()) {
    const serviceId = i % 5 === 4 ? HOTEL_PMS_SERVICE_ID : HOTEL_MODULE_SERVICE_ID;
    const poNumber = i % 2 === 0 ? `"poNumber":"HM-${sn}-0123456789ab",` : "";
    const body = `{"operationType":"purchase_service","productId":11,"productNo":"${sn}","billingId":${TUTORIAL_BILLING_CONTACT_ID},${poNumber}"serviceList":[{"serviceType":"service","serviceId":${serviceId},"purchaseType":"purchase","billingModel":"once","billingCycle":"once","multiCycle":0}]}`;
    const res = await fetch(`${emulator.url}/order/openapi/order/v1/save`, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body,
    });
    const envelope = (await res.json()) as { code: string };
    if (envelope.code !== "success") throw new Error(`placing an order of another SN failed: ${JSON.stringify(envelope)}`);
  }
}

interface Bought {
  id: string;
  outs: Record<string, unknown>;
}

/** Creates one licence per SN, all at once, as the engine does for a fleet in one process. */
async function createFleet(provider: HotelModuleProvider, sns: string[]): Promise<Bought[]> {
  const results = await Promise.all(
    sns.map((sn, i) =>
      provider.create({
        productNo: sn,
        billingContactEmail: BILLING_EMAIL,
        orderReference: orderReference("request-counts", "test", `pbx-${i}`, sn),
        __provider: SERIALIZED_PROVIDER,
      }),
    ),
  );
  return results.map((r) => ({ id: r.id, outs: r.outs as Record<string, unknown> }));
}

/** Refreshes every licence at once in a fresh provider process; returns the requests it made. */
async function refreshFleet(emulator: RunningEmulator, bought: Bought[]): Promise<Record<string, number>> {
  const provider = await freshProvider(emulator);
  emulator.clearRequests();
  const read = await Promise.all(bought.map((b) => provider.read(b.id, { ...b.outs, __provider: SERIALIZED_PROVIDER })));
  const counts = tally(emulator.requests);
  for (const [i, r] of read.entries()) {
    assert.equal(r.id, bought[i]?.id);
    assert.deepEqual(r.props, bought[i]?.outs, "a refresh with nothing changed keeps every output");
  }
  return counts;
}

describe("request counts of a fleet (provider driven directly, 100 concurrent operations)", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  describe("with an empty order history", () => {
    it("buys 100 new licences with 100 order POSTs plus one token, one offer, one billing-contact list and one order page", async () => {
      h = await startHarness({ devices: "any" });
      const sns = serialNumbers("RC", FLEET);
      const bought = await createFleet(h.provider, sns);

      assert.deepEqual(tally(h.emulator.requests), { token: 1, orderPage: 1, offer: 1, billingContacts: 1, orderPost: FLEET });
      assert.equal(h.emulator.requests.length, FLEET + 3 + 1);
      assert.equal(new Set(bought.map((b) => b.id)).size, FLEET, "one distinct order per SN");
      for (const sn of sns) assert.equal(h.emulator.ordersFor(sn).length, 1, sn);
    });

    it("refreshes those 100 licences in a fresh process with one token and one order page (at most ⌈100/100⌉ + 2), no per-licence look-up", async () => {
      h = await startHarness({ devices: "any" });
      const bought = await createFleet(h.provider, serialNumbers("RC", FLEET));

      const counts = await refreshFleet(h.emulator, bought);
      assert.deepEqual(counts, { token: 1, orderPage: Math.ceil(FLEET / PAGE_SIZE) });
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      assert.ok(total <= Math.ceil(FLEET / PAGE_SIZE) + 2, `refresh made ${total} requests`);
    });
  });

  describe("with 250 orders of other SNs already in the history", () => {
    const EXISTING = 250;

    it("buys 100 new licences with 100 order POSTs plus one token, one offer, one billing-contact list and ⌈250/100⌉ = 3 order pages", async () => {
      h = await startHarness({ devices: "any" });
      await placeOrdersOfOtherSns(h.emulator, EXISTING);
      h.emulator.clearRequests();
      const sns = serialNumbers("RC", FLEET);
      await createFleet(h.provider, sns);

      assert.deepEqual(tally(h.emulator.requests), { token: 1, orderPage: Math.ceil(EXISTING / PAGE_SIZE), offer: 1, billingContacts: 1, orderPost: FLEET });
      assert.equal(h.emulator.orders.length, EXISTING + FLEET);
      for (const sn of sns) assert.equal(h.emulator.ordersFor(sn).length, 1, sn);
    });

    it("refreshes those 100 licences in a fresh process with one token and ⌈350/100⌉ = 4 order pages: the cost follows the history's size, not a request per licence", async () => {
      h = await startHarness({ devices: "any" });
      await placeOrdersOfOtherSns(h.emulator, EXISTING);
      const bought = await createFleet(h.provider, serialNumbers("RC", FLEET));

      const counts = await refreshFleet(h.emulator, bought);
      assert.deepEqual(counts, { token: 1, orderPage: Math.ceil((EXISTING + FLEET) / PAGE_SIZE) });
    });
  });
});
