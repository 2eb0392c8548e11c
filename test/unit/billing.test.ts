import assert from "node:assert/strict";
import type { BillingContact } from "../../provider/api-schemas";
import { pickBillingContact } from "../../provider/billing";

const alice: BillingContact = { billingContactId: "3197218168379846218", emailAddress: "alice@example.com", firstName: "Alice" };
const bob: BillingContact = { billingContactId: "3197218168379846299", emailAddress: "Bob@Example.com", firstName: "Bob" };

describe("choosing the billing contact", () => {
  it("uses the only contact when none is chosen", () => {
    assert.equal(pickBillingContact([alice], {}), alice.billingContactId);
  });

  it("uses a pinned ID that exists, digit for digit", () => {
    assert.equal(pickBillingContact([alice, bob], { billingContactId: "3197218168379846299" }), bob.billingContactId);
  });

  it("refuses a pinned ID that is not a contact, listing the contacts", () => {
    assert.throws(
      () => pickBillingContact([alice, bob], { billingContactId: "3197218168379846000" }),
      /not a billing contact.*3197218168379846218 \(Alice, alice@example.com\)/,
    );
  });

  it("matches the e-mail case-insensitively", () => {
    assert.equal(pickBillingContact([alice, bob], { billingContactEmail: "bob@example.com" }), bob.billingContactId);
  });

  it("refuses an e-mail that matches no contact", () => {
    assert.throws(() => pickBillingContact([alice, bob], { billingContactEmail: "carol@example.com" }), /no billing contact has the e-mail carol@example.com/);
  });

  it("asks to choose when there are several contacts and none is chosen", () => {
    assert.throws(
      () => pickBillingContact([alice, bob], {}),
      /has 2 billing contacts; choose one with billingContactId or billingContactEmail: 3197218168379846218 .*3197218168379846299/,
    );
  });

  it("refuses to buy with no contact at all", () => {
    assert.throws(() => pickBillingContact([], {}), /no billing contact/);
  });
});
