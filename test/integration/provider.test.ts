import assert from "node:assert/strict";
import {
  DEFAULT_BILLING_CONTACTS,
  HOTEL_MODULE_SERVICE_ID,
  HOTEL_PMS_SERVICE_ID,
  SECOND_BILLING_CONTACT_ID,
  TUTORIAL_BILLING_CONTACT_ID,
  TUTORIAL_SN,
  type EmulatorBillingContact,
} from "../../emulator";
import { startHarness, type Harness } from "../support/provider-harness";
import { TUTORIAL_ORDER_BODY_COMPACT } from "../support/tutorial";

describe("HotelModuleLicense provider against the emulator", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("places one order per create, with exactly the tutorial's request body plus our poNumber reference", async () => {
    h = await startHarness();
    const res = await h.provider.create({ productNo: TUTORIAL_SN, billingContactId: TUTORIAL_BILLING_CONTACT_ID });
    assert.equal(h.orderPosts(), 1);
    const post = h.emulator.requests.find((r) => r.path === "/order/openapi/order/v1/save");
    assert.equal(post?.body, TUTORIAL_ORDER_BODY_COMPACT.replace('"serviceList"', '"poNumber":"HM-3631E0997265-unnamed","serviceList"'));
    const order = h.emulator.orders[0];
    assert.ok(order);
    assert.equal(res.id, order.orderId);
    assert.deepEqual(res.outs, {
      productNo: TUTORIAL_SN,
      serviceId: HOTEL_MODULE_SERVICE_ID,
      billingContactId: TUTORIAL_BILLING_CONTACT_ID,
      orderId: order.orderId,
      instanceId: order.instanceId,
      orderNo: order.orderNo,
      transactionNo: order.transactionNo,
      orderStatus: "succeed",
    });
  });

  it("keeps random service and billing IDs above 2^53 exact from the API to the order and the outputs", async () => {
    for (let i = 0; i < 5; i++) {
      const billingContactId = (2n ** 62n + BigInt(Math.floor(Math.random() * 2 ** 50)) * 997n + 1n).toString();
      const serviceId = (2n ** 61n + BigInt(Math.floor(Math.random() * 2 ** 50)) * 991n + 3n).toString();
      h = await startHarness({
        billingContacts: [{ ...(DEFAULT_BILLING_CONTACTS[0] as EmulatorBillingContact), billingContactId }],
        services: [
          { serviceId: "2305843009213693955", pricingServiceId: "p-pms", name: "Hotel PMS Integration" },
          { serviceId, pricingServiceId: "p-hotel", name: "Hotel Module" },
        ],
      });
      const res = await h.provider.create({ productNo: TUTORIAL_SN });
      const body = h.emulator.requests.find((r) => r.path === "/order/openapi/order/v1/save")?.body ?? "";
      assert.ok(body.includes(`"billingId":${billingContactId},`), body);
      assert.ok(body.includes(`"serviceId":${serviceId},`), body);
      assert.equal(h.emulator.orders[0]?.billingId, billingContactId);
      assert.deepEqual(h.emulator.orders[0]?.serviceIds, [serviceId]);
      assert.equal(res.outs?.serviceId, serviceId);
      assert.equal(res.outs?.billingContactId, billingContactId);
      await h.close();
    }
  });

  it("never buys the decoy Hotel PMS Integration, in either catalogue layout", async () => {
    for (const catalogLayout of ["top-level", "under-plans"] as const) {
      for (const serviceNameKey of ["name", "serviceName"] as const) {
        h = await startHarness({ catalogLayout, serviceNameKey });
        await h.provider.create({ productNo: TUTORIAL_SN, billingContactId: TUTORIAL_BILLING_CONTACT_ID });
        assert.deepEqual(
          h.emulator.orders.map((o) => o.serviceIds),
          [[HOTEL_MODULE_SERVICE_ID]],
        );
        assert.ok(!h.emulator.orders.some((o) => o.serviceIds.includes(HOTEL_PMS_SERVICE_ID)));
        await h.close();
      }
    }
  });

  it("fails listing the contacts, and buys nothing, when several exist and none is chosen", async () => {
    h = await startHarness();
    await assert.rejects(
      h.provider.create({ productNo: TUTORIAL_SN }),
      new RegExp(`2 billing contacts.*${TUTORIAL_BILLING_CONTACT_ID}.*${SECOND_BILLING_CONTACT_ID}`),
    );
    assert.equal(h.orderPosts(), 0);
  });

  it("chooses the billing contact by e-mail, case-insensitively", async () => {
    h = await startHarness();
    const second = DEFAULT_BILLING_CONTACTS.find((c) => c.billingContactId === SECOND_BILLING_CONTACT_ID);
    assert.ok(second?.emailAddress);
    await h.provider.create({ productNo: TUTORIAL_SN, billingContactEmail: second.emailAddress.toUpperCase() });
    assert.equal(h.emulator.orders[0]?.billingId, SECOND_BILLING_CONTACT_ID);
  });

  it("logs in once for a fleet of concurrent creates", async () => {
    h = await startHarness({ devices: "any" });
    const sns = ["3631E0000001", "3631E0000002", "3631E0000003", "3631E0000004", "3631E0000005"];
    await Promise.all(sns.map((productNo) => h.provider.create({ productNo, billingContactId: TUTORIAL_BILLING_CONTACT_ID })));
    assert.equal(h.emulator.requests.filter((r) => r.path === "/auth/openapi/v1/oauth/token").length, 1);
    assert.equal(h.emulator.requests.filter((r) => r.path === "/user/openapi/user/v1/client/billing_contact_list").length, 1);
    assert.equal(h.orderPosts(), 5);
  });

  it("refuses a bad SN in check without any API request", async () => {
    h = await startHarness();
    const result = await h.provider.check({}, { productNo: "3631e0997265" });
    assert.equal(result.failures?.[0]?.property, "productNo");
    assert.match(result.failures?.[0]?.reason ?? "", /uppercase/);
    assert.equal(h.emulator.requests.length, 0);
  });

  it("reports a missing secret in check with the exact command, without any request", async () => {
    h = await startHarness({}, { "yeastar:clientSecret": "" });
    const result = await h.provider.check({}, { productNo: TUTORIAL_SN });
    assert.match(result.failures?.[0]?.reason ?? "", /blank|pulumi config set --secret yeastar:clientSecret/);
    assert.equal(h.emulator.requests.length, 0);
  });

  it("diff replaces on an SN change only", async () => {
    h = await startHarness();
    const { outs } = await h.provider.create({ productNo: TUTORIAL_SN, billingContactId: TUTORIAL_BILLING_CONTACT_ID });
    const olds = { ...outs, __provider: "p" };
    assert.deepEqual(await h.provider.diff("1", olds, { productNo: "3631E3418911", billingContactId: TUTORIAL_BILLING_CONTACT_ID, __provider: "p" }), {
      changes: true,
      replaces: ["productNo"],
    });
    assert.deepEqual(await h.provider.diff("1", olds, { productNo: TUTORIAL_SN, billingContactId: TUTORIAL_BILLING_CONTACT_ID, __provider: "p" }), {
      changes: false,
    });
    assert.deepEqual(await h.provider.diff("1", olds, { productNo: TUTORIAL_SN, __provider: "p" }), { changes: false });
    const billingChange = await h.provider.diff("1", olds, { productNo: TUTORIAL_SN, billingContactId: SECOND_BILLING_CONTACT_ID, __provider: "p" });
    assert.equal(billingChange.replaces, undefined);
  });

  it("update and delete place no order and keep every output", async () => {
    h = await startHarness();
    const { id, outs } = await h.provider.create({ productNo: TUTORIAL_SN, billingContactId: TUTORIAL_BILLING_CONTACT_ID });
    const before = h.emulator.requests.length;
    const updated = await h.provider.update(
      id,
      { ...outs, __provider: "p" },
      { productNo: TUTORIAL_SN, billingContactId: SECOND_BILLING_CONTACT_ID, __provider: "p" },
    );
    assert.deepEqual(updated.outs, outs);
    await h.provider.delete(id, { ...outs, __provider: "p" });
    assert.equal(h.emulator.requests.length, before, "no request at all");
    assert.equal(h.orderPosts(), 1);
    assert.ok(h.warnings.some((w) => /no refund/.test(w)));
  });

  it("read refreshes the order status from the API", async () => {
    h = await startHarness();
    const { id, outs } = await h.provider.create({ productNo: TUTORIAL_SN, billingContactId: TUTORIAL_BILLING_CONTACT_ID });
    h.emulator.setOrderStatus(id, "refunded");
    const read = await h.provider.read(id, { ...outs, __provider: "p" });
    assert.equal(read.id, id);
    assert.equal(read.props?.orderStatus, "refunded");
    assert.equal(read.props?.instanceId, outs?.instanceId);
    assert.ok(h.warnings.some((w) => /refunded/.test(w)));
  });

  it("keeps the resource when refresh cannot find the order, instead of dropping it", async () => {
    h = await startHarness();
    const { outs } = await h.provider.create({ productNo: TUTORIAL_SN, billingContactId: TUTORIAL_BILLING_CONTACT_ID });
    await assert.rejects(h.provider.read("999999999", { ...outs, __provider: "p" }), /not found.*kept in state/);
  });

  it("never shows the client secret in an error from a failing API", async () => {
    h = await startHarness({ clientSecret: "the-real-secret" }, { "yeastar:clientSecret": "a-wrong-secret-value" });
    await assert.rejects(h.provider.create({ productNo: TUTORIAL_SN, billingContactId: TUTORIAL_BILLING_CONTACT_ID }), (err: Error) => {
      assert.doesNotMatch(err.message, /a-wrong-secret-value|the-real-secret/);
      assert.match(err.message, /check yeastar:clientId and yeastar:clientSecret/);
      return true;
    });
    assert.equal(h.orderPosts(), 0);
  });
});
