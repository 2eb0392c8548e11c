import assert from "node:assert/strict";
import { collectOfferedServices, pickHotelModule } from "../../provider/catalog";
import { ResolutionError } from "../../provider/errors";
import { parseJson } from "../../provider/json";

const HOTEL = "3299326068732223488";
const PMS = "3299326068732223501";

describe("finding the Hotel Module in the offer", () => {
  it("finds it in a top-level service list with bare-number IDs, exactly", () => {
    const result = parseJson(
      `{"offeringId":"o1","serviceList":[{"serviceId":${PMS},"serviceName":"Hotel PMS Integration","purchaseType":"purchase"},{"serviceId":${HOTEL},"serviceName":"Hotel Module","purchaseType":"purchase"}]}`,
    );
    assert.equal(pickHotelModule(collectOfferedServices(result), "3631E0997265"), HOTEL);
  });

  it("finds it under plans, with the name under `name`", () => {
    const result = parseJson(`{"planList":[{"planId":1,"name":"Standard","serviceList":[{"serviceId":"${HOTEL}","name":"Hotel Module"}]}]}`);
    assert.equal(pickHotelModule(collectOfferedServices(result), "3631E0997265"), HOTEL);
  });

  it("never chooses the decoy Hotel PMS Integration", () => {
    const offered = [{ serviceId: PMS, name: "Hotel PMS Integration", purchaseType: "purchase" }];
    assert.throws(
      () => pickHotelModule(offered, "3631E0997265"),
      (err: Error) => {
        assert.ok(err instanceof ResolutionError);
        assert.match(err.message, /no service named "Hotel Module".*"Hotel PMS Integration" 3299326068732223501/);
        return true;
      },
    );
  });

  it("refuses a pinned serviceId that is the decoy", () => {
    const offered = [
      { serviceId: PMS, name: "Hotel PMS Integration", purchaseType: "purchase" },
      { serviceId: HOTEL, name: "Hotel Module", purchaseType: "purchase" },
    ];
    assert.throws(() => pickHotelModule(offered, "3631E0997265", PMS), /is "Hotel PMS Integration", not "Hotel Module".*or pin 3299326068732223488/);
    assert.equal(pickHotelModule(offered, "3631E0997265", HOTEL), HOTEL);
  });

  it("refuses a Hotel Module offered only as a trial", () => {
    assert.throws(() => pickHotelModule([{ serviceId: HOTEL, name: "Hotel Module", purchaseType: "trial" }], "3631E0997265"), /only as trial/);
  });

  it("asks for a pin when two different Hotel Module IDs are offered", () => {
    const offered = [
      { serviceId: HOTEL, name: "Hotel Module", purchaseType: "purchase" },
      { serviceId: "3299326068732223499", name: "Hotel Module", purchaseType: undefined },
    ];
    assert.throws(() => pickHotelModule(offered, "3631E0997265"), /pin the one to buy with serviceId/);
  });

  it("lists the same service once when it appears under several plans", () => {
    const result = parseJson(
      `{"planList":[{"serviceList":[{"serviceId":${HOTEL},"serviceName":"Hotel Module"}]},{"serviceList":[{"serviceId":${HOTEL},"serviceName":"Hotel Module"}]}]}`,
    );
    assert.equal(collectOfferedServices(result).length, 1);
  });
});
