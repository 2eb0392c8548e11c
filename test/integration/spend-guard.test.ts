import assert from "node:assert/strict";
import { HOTEL_MODULE_SERVICE_ID, HOTEL_PMS_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID, TUTORIAL_SN } from "../../emulator";
import { placeOrderByHand, startHarness, type Harness } from "../support/provider-harness";

const contact = { billingContactId: TUTORIAL_BILLING_CONTACT_ID };

describe("spend guard", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("buys nothing when purchasing is disabled, and names the SN and the command to opt in", async () => {
    h = await startHarness({}, { "yeastar:purchasing": "disabled" });
    await assert.rejects(
      h.provider.create({ productNo: TUTORIAL_SN, ...contact }),
      /buying is not enabled.*would buy the Hotel Module for SN 3631E0997265.*pulumi config set yeastar:purchasing enabled/,
    );
    assert.equal(h.orderPosts(), 0);
  });

  it("still adopts an existing order when purchasing is disabled (adopting spends nothing)", async () => {
    h = await startHarness({}, { "yeastar:purchasing": "disabled" });
    const orderId = await placeOrderByHand(h.emulator, TUTORIAL_SN, HOTEL_MODULE_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID);
    assert.equal((await h.provider.create({ productNo: TUTORIAL_SN, ...contact })).id, orderId);
  });

  it("places at most yeastar:maxOrdersPerRun orders in one run; the rest fail clearly and buy nothing", async () => {
    h = await startHarness({ devices: "any" }, { "yeastar:maxOrdersPerRun": "2" });
    const sns = ["3631E0000011", "3631E0000012", "3631E0000013", "3631E0000014"];
    const results = await Promise.allSettled(sns.map((productNo) => h.provider.create({ productNo, ...contact })));
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 2);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    assert.equal(refused.length, 2);
    for (const r of refused) assert.match((r.reason as Error).message, /at most 2 orders \(yeastar:maxOrdersPerRun\).*was not bought/);
    assert.equal(h.orderPosts(), 2);
  });

  it("gives an order back to the budget when the API refused it", async () => {
    h = await startHarness({ devices: "any" }, { "yeastar:maxOrdersPerRun": "1" });
    h.emulator.faults.add({ endpoint: "order.save", fault: { kind: "error", status: 400, code: "parameter_validation_failed", detailMessage: "billingId" } });
    await assert.rejects(h.provider.create({ productNo: "3631E0000021", ...contact }), /parameter_validation_failed.*nothing was bought/);
    await h.provider.create({ productNo: "3631E0000022", ...contact });
    assert.equal(h.emulator.orders.length, 1);
  });

  it("says at preview (check) that up will buy, per new resource, and stays quiet for existing ones", async () => {
    h = await startHarness();
    await h.provider.check({}, { productNo: TUTORIAL_SN });
    await h.provider.check({ productNo: TUTORIAL_SN }, { productNo: TUTORIAL_SN });
    assert.deepEqual(h.warnings.filter((w) => /will buy the Hotel Module for SN 3631E0997265/.test(w)).length, 1);
    assert.equal(h.emulator.requests.length, 0);
  });
});

describe("adopting an order by existingOrderId", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("adopts the named Hotel Module order, by order ID or by order number, without buying", async () => {
    h = await startHarness();
    const orderId = await placeOrderByHand(h.emulator, TUTORIAL_SN, HOTEL_MODULE_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID);
    const orderNo = h.emulator.orders[0]?.orderNo as string;
    for (const existingOrderId of [orderId, orderNo]) {
      const res = await h.provider.create({ productNo: TUTORIAL_SN, existingOrderId });
      assert.equal(res.id, orderId);
      assert.equal(res.outs?.orderNo, orderNo);
      assert.equal(res.outs?.serviceId, HOTEL_MODULE_SERVICE_ID);
    }
    assert.equal(h.emulator.orders.length, 1);
  });

  it("refuses an order for another SN, or for the Hotel PMS Integration, and buys nothing", async () => {
    h = await startHarness();
    const other = await placeOrderByHand(h.emulator, "3631E3418911", HOTEL_MODULE_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID);
    const pms = await placeOrderByHand(h.emulator, TUTORIAL_SN, HOTEL_PMS_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID);
    await assert.rejects(h.provider.create({ productNo: TUTORIAL_SN, existingOrderId: other }), /is for SN 3631E3418911, not 3631E0997265/);
    await assert.rejects(h.provider.create({ productNo: TUTORIAL_SN, existingOrderId: pms }), /bought "Hotel PMS Integration", not "Hotel Module"/);
    assert.equal(h.emulator.orders.length, 2);
  });

  it("refuses a refunded order", async () => {
    h = await startHarness();
    const orderId = await placeOrderByHand(h.emulator, TUTORIAL_SN, HOTEL_MODULE_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID);
    h.emulator.setOrderStatus(orderId, "refunded");
    await assert.rejects(h.provider.create({ productNo: TUTORIAL_SN, existingOrderId: orderId }), /is refunded, so it holds no licence/);
  });
});
