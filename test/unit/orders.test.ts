import assert from "node:assert/strict";
import { stringifyJson } from "../../provider/json";
import { hotelModuleOrderBody } from "../../provider/orders";
import { TUTORIAL_ORDER_BODY_COMPACT } from "../support/tutorial";

describe("the Hotel Module order body", () => {
  it("is exactly the tutorial's request body, with bare 19-digit IDs", () => {
    const body = stringifyJson(hotelModuleOrderBody({ productNo: "3631E0997265", billingId: "3197218168379846218", serviceId: "3299326068732223488" }));
    const tutorial = TUTORIAL_ORDER_BODY_COMPACT;
    assert.equal(body, tutorial);
  });

  it("writes random IDs above 2^53 digit for digit", () => {
    for (let i = 0; i < 200; i++) {
      const billingId = (9007199254740993n + BigInt(Math.floor(Math.random() * 1e15)) * 1000n).toString();
      const serviceId = (3000000000000000000n + BigInt(Math.floor(Math.random() * 1e15)) * 997n).toString();
      const body = stringifyJson(hotelModuleOrderBody({ productNo: "3631E0997265", billingId, serviceId }));
      assert.ok(body.includes(`"billingId":${billingId},`), body);
      assert.ok(body.includes(`"serviceId":${serviceId},`), body);
    }
  });

  it("refuses to write an ID that is not digits", () => {
    assert.throws(() => hotelModuleOrderBody({ productNo: "3631E0997265", billingId: "3.1e18", serviceId: "1" }), RangeError);
  });
});
