import assert from "node:assert/strict";
import { UNKNOWN_VALUE, validateInputs } from "../../provider/inputs";

function failuresOf(raw: Record<string, unknown>): { property: string; reason: string }[] {
  const result = validateInputs(raw);
  return result.ok ? [] : result.failures;
}

describe("input validation (check)", () => {
  it("accepts the tutorial's SN with nothing pinned", () => {
    assert.deepEqual(validateInputs({ productNo: "3631E0997265" }), { ok: true, inputs: { productNo: "3631E0997265" } });
  });

  it("accepts pinned IDs above 2^53 as strings and keeps them exact", () => {
    const result = validateInputs({ productNo: "3631E0997265", serviceId: "3299326068732223488", billingContactId: "3197218168379846218" });
    assert.ok(result.ok);
    assert.equal(result.inputs.serviceId, "3299326068732223488");
    assert.equal(result.inputs.billingContactId, "3197218168379846218");
  });

  const badSns: [string, unknown, RegExp][] = [
    ["lowercase letters", "3631e0997265", /uppercase: "3631E0997265"/],
    ["a trailing space", "3631E0997265 ", /white space; remove it: "3631E0997265"/],
    ["11 characters", "3631E099726", /has 11 characters; a P-Series SN has 12/],
    ["13 characters", "3631E09972650", /has 13 characters/],
    ["a full-width E look-alike", "3631\uFF250997265", /non-ASCII character .* \(U\+FF25\)/],
    ["a Cyrillic A look-alike", "3631\u04100997265", /non-ASCII/],
    ["punctuation", "3631-E099726", /only hold digits and uppercase letters/],
    ["an empty string", "", /productNo is required/],
    ["a number", 3631, /must be a string/],
  ];
  for (const [what, sn, reason] of badSns) {
    it(`refuses an SN with ${what}, naming productNo and the fix`, () => {
      const failures = failuresOf({ productNo: sn });
      assert.equal(failures.length, 1);
      assert.equal(failures[0]?.property, "productNo");
      assert.match(failures[0]?.reason ?? "", reason);
    });
  }

  it("refuses a missing SN", () => {
    assert.equal(failuresOf({})[0]?.property, "productNo");
  });

  const badIds: [string, unknown, RegExp][] = [
    ["a JavaScript number", 3299326068732223488, /loses digits above 2\^53/],
    ["a sign", "-3299326068732223488", /has a sign/],
    ["a plus sign", "+3299326068732223488", /has a sign/],
    ["a decimal", "3299326068732223488.0", /decimal or exponent/],
    ["an exponent", "3.299326068732223e18", /decimal or exponent/],
    ["20 digits", "32993260687322234880", /larger than a Yeastar ID/],
    ["a value above 2^63-1", "9223372036854775808", /larger than a Yeastar ID/],
    ["letters", "3299326068732223488x", /only hold digits/],
    ["a leading zero", "03299326068732223488", /leading zero/],
    ["white space", " 3299326068732223488", /white space/],
    ["an empty string", "", /is empty/],
  ];
  for (const [what, id, reason] of badIds) {
    it(`refuses a serviceId with ${what}`, () => {
      const failures = failuresOf({ productNo: "3631E0997265", serviceId: id });
      assert.equal(failures[0]?.property, "serviceId");
      assert.match(failures[0]?.reason ?? "", reason);
    });
  }

  it("refuses a billingContactId given as a number, naming billingContactId", () => {
    // eslint-disable-next-line no-loss-of-precision -- the point: a user writing the ID as a number
    const failures = failuresOf({ productNo: "3631E0997265", billingContactId: 3197218168379846218 });
    assert.equal(failures[0]?.property, "billingContactId");
  });

  it("refuses a malformed billing e-mail", () => {
    const failures = failuresOf({ productNo: "3631E0997265", billingContactEmail: "billing.example.com" });
    assert.equal(failures[0]?.property, "billingContactEmail");
    assert.match(failures[0]?.reason ?? "", /not an e-mail address/);
  });

  it("refuses billingContactId and billingContactEmail together", () => {
    const failures = failuresOf({ productNo: "3631E0997265", billingContactId: "3197218168379846218", billingContactEmail: "a@b.co" });
    assert.match(failures[0]?.reason ?? "", /not both/);
  });

  it("refuses an unknown input and suggests the right name", () => {
    const failures = failuresOf({ productNo: "3631E0997265", sn: "3631E0997265" });
    assert.equal(failures[0]?.property, "sn");
    assert.match(failures[0]?.reason ?? "", /did you mean productNo\?/);
  });

  it("lets values that are unknown during preview through", () => {
    assert.equal(validateInputs({ productNo: UNKNOWN_VALUE, serviceId: UNKNOWN_VALUE }).ok, true);
  });

  it("ignores the engine's __provider key", () => {
    assert.equal(validateInputs({ productNo: "3631E0997265", __provider: "exports.handler = ..." }).ok, true);
  });
});
