import assert from "node:assert/strict";
import { HOTEL_MODULE_SERVICE_ID, HOTEL_PMS_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID, TUTORIAL_SN } from "../../emulator";
import { placeOrderByHand, startHarness, type Harness } from "../support/provider-harness";

const wanted = { productNo: TUTORIAL_SN, billingContactId: TUTORIAL_BILLING_CONTACT_ID, orderReference: "HM-3631E0997265-abc123" };

describe("never buying twice", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("does not order again when a create is repeated for the same resource (crash before the state write)", async () => {
    h = await startHarness();
    const first = await h.provider.create(wanted);
    // A new process (the next `pulumi up`) with no memory of the first.
    const again = await startHarness({}, { "yeastar:baseUrl": h.emulator.url });
    try {
      const second = await again.provider.create(wanted);
      assert.equal(second.id, first.id);
      assert.deepEqual(second.outs, first.outs);
      assert.ok(again.warnings.some((w) => /placed by an earlier run of this resource/.test(w)));
    } finally {
      await again.close();
    }
    assert.equal(h.emulator.orders.length, 1);
  });

  it("adopts a Hotel Module order bought by hand in the portal instead of buying", async () => {
    h = await startHarness();
    const orderId = await placeOrderByHand(h.emulator, TUTORIAL_SN, HOTEL_MODULE_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID);
    const res = await h.provider.create(wanted);
    assert.equal(res.id, orderId);
    assert.equal(res.outs?.serviceId, HOTEL_MODULE_SERVICE_ID);
    assert.equal(res.outs?.billingContactId, TUTORIAL_BILLING_CONTACT_ID);
    assert.equal(h.orderPosts(), 1, "only the order by hand");
    assert.ok(h.warnings.some((w) => /already has Hotel Module order/.test(w)));
  });

  it("fails instead of adopting when adoptExisting is false, and buys nothing", async () => {
    h = await startHarness();
    await placeOrderByHand(h.emulator, TUTORIAL_SN, HOTEL_MODULE_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID);
    await assert.rejects(h.provider.create({ ...wanted, adoptExisting: false }), /already has a live Hotel Module order .*nothing was bought/);
    assert.equal(h.emulator.orders.length, 1);
  });

  it("buys when the SN only has a Hotel PMS Integration order, or a refunded Hotel Module order", async () => {
    h = await startHarness();
    await placeOrderByHand(h.emulator, TUTORIAL_SN, HOTEL_PMS_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID);
    const refunded = await placeOrderByHand(h.emulator, TUTORIAL_SN, HOTEL_MODULE_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID);
    h.emulator.setOrderStatus(refunded, "refunded");
    await h.provider.create(wanted);
    assert.equal(h.emulator.orders.length, 3);
    assert.deepEqual(h.emulator.orders[2]?.serviceIds, [HOTEL_MODULE_SERVICE_ID]);
  });

  it("adopts a pending order (awaiting payment) and says how to pay it", async () => {
    h = await startHarness({ initialOrderStatus: "pending" });
    await placeOrderByHand(h.emulator, TUTORIAL_SN, HOTEL_MODULE_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID);
    const res = await h.provider.create(wanted);
    assert.equal(res.outs?.orderStatus, "pending");
    assert.equal(h.emulator.orders.length, 1);
    assert.ok(h.warnings.some((w) => /Pay Now/.test(w)));
  });

  it("recognises orders through order details when the order list shows no SN", async () => {
    h = await startHarness({ orderListIncludesProduct: false, devices: "any" });
    await placeOrderByHand(h.emulator, "3631E3418911", HOTEL_MODULE_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID);
    const adopted = await placeOrderByHand(h.emulator, TUTORIAL_SN, HOTEL_MODULE_SERVICE_ID, TUTORIAL_BILLING_CONTACT_ID);
    const res = await h.provider.create(wanted);
    assert.equal(res.id, adopted);
    assert.equal(h.emulator.orders.length, 2);
  });

  it("recognises its own earlier order from the order list alone, by its poNumber", async () => {
    h = await startHarness({ orderListIncludesProduct: false });
    await h.provider.create(wanted);
    const again = await startHarness({}, { "yeastar:baseUrl": h.emulator.url });
    try {
      h.emulator.clearRequests();
      await again.provider.create(wanted);
      const detailLookups = h.emulator.requests.filter((r) => r.path.startsWith("/order/openapi/order/v1/get/")).length;
      assert.equal(detailLookups, 1, "details only to fill the outputs of the order it recognised");
    } finally {
      await again.close();
    }
    assert.equal(h.emulator.orders.length, 1);
  });

  it("buys once when two resources for the same SN are created at the same time", async () => {
    h = await startHarness();
    const [a, b] = await Promise.all([h.provider.create(wanted), h.provider.create({ ...wanted, orderReference: "HM-3631E0997265-other" })]);
    assert.equal(a.id, b.id);
    assert.equal(h.emulator.orders.length, 1);
  });

  it("stamps the resource's reference into the order's poNumber", async () => {
    h = await startHarness();
    await h.provider.create(wanted);
    assert.equal(h.emulator.orders[0]?.poNumber, "HM-3631E0997265-abc123");
  });

  it("settles an order whose answer was lost after the commit by looking the order up, without sending it again", async () => {
    h = await startHarness();
    h.emulator.faults.add({ endpoint: "order.save", fault: { kind: "reset-after-commit" } });
    const res = await h.provider.create(wanted);
    assert.equal(res.id, h.emulator.orders[0]?.orderId);
    assert.equal(h.emulator.orders.length, 1);
    assert.ok(h.warnings.some((w) => /answer .* was lost .* but the order went through/.test(w)));
  });

  it("reports a sure refusal (HTTP 400) as nothing bought, and an answer lost before commit as safe to re-run", async () => {
    h = await startHarness();
    h.emulator.faults.add({ endpoint: "order.save", fault: { kind: "reset-before" } });
    await assert.rejects(h.provider.create(wanted), /not in the order history, so nothing was bought; re-running `pulumi up` is safe/);
    assert.equal(h.emulator.orders.length, 0);
    h.emulator.faults.add({ endpoint: "order.save", fault: { kind: "error", status: 400, code: "parameter_validation_failed" } });
    await assert.rejects(h.provider.create(wanted), /parameter_validation_failed.*nothing was bought/);
    assert.equal(h.emulator.orders.length, 0);
    await h.provider.create(wanted);
    assert.equal(h.emulator.orders.length, 1);
  });
});
