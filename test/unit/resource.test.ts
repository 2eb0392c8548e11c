import assert from "node:assert/strict";
import { RESOURCE_TYPE, SERIALIZED_PROVIDER } from "../../provider/resource";

describe("the serialized provider", () => {
  it("is a one-line module of about a hundred bytes that requires the package by name", () => {
    assert.ok(Buffer.byteLength(SERIALIZED_PROVIDER) < 200, `${Buffer.byteLength(SERIALIZED_PROVIDER)} bytes`);
    assert.match(SERIALIZED_PROVIDER, /require\("pulumi-yeastar-hotel-module\/provider"\)/);
    assert.doesNotMatch(SERIALIZED_PROVIDER, /secret|token|Bearer/i);
  });

  it("loads, the way the dynamic-provider host loads it, into the provider with every method", () => {
    const requireFromString = require("require-from-string") as (code: string) => { handler: () => Record<string, unknown> };
    const provider = requireFromString(SERIALIZED_PROVIDER).handler();
    for (const method of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
      assert.equal(typeof provider[method], "function", method);
    }
  });

  it("is routed to the Node.js dynamic-provider host by its type token", () => {
    assert.match(RESOURCE_TYPE, /^pulumi-nodejs:dynamic\/yeastar:HotelModuleLicense$/);
  });
});
