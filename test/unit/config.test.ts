import assert from "node:assert/strict";
import { DEFAULT_BASE_URL, resolveSettings } from "../../provider/config";
import { ConfigError } from "../../provider/errors";

const lookupOf = (values: Record<string, string>) => (key: string) => values[key];

describe("provider settings", () => {
  it("reads credentials from stack config and defaults the base URL", () => {
    const s = resolveSettings(lookupOf({ "yeastar:clientId": "id", "yeastar:clientSecret": "secret" }), {});
    assert.deepEqual(s, {
      clientId: "id",
      clientSecret: "secret",
      baseUrl: DEFAULT_BASE_URL,
      maxConcurrency: 8,
      requestTimeoutMs: 30000,
      purchasingEnabled: false,
      maxOrdersPerRun: 20,
    });
  });

  it("falls back to YEASTAR_* environment variables", () => {
    const s = resolveSettings(lookupOf({}), { YEASTAR_CLIENT_ID: "eid", YEASTAR_CLIENT_SECRET: "esecret", YEASTAR_BASE_URL: "http://127.0.0.1:9999/" });
    assert.deepEqual(s, {
      clientId: "eid",
      clientSecret: "esecret",
      baseUrl: "http://127.0.0.1:9999",
      maxConcurrency: 8,
      requestTimeoutMs: 30000,
      purchasingEnabled: true,
      maxOrdersPerRun: 20,
    });
  });

  it("prefers stack config over the environment", () => {
    const s = resolveSettings(lookupOf({ "yeastar:clientId": "cfg", "yeastar:clientSecret": "cfgsecret" }), {
      YEASTAR_CLIENT_ID: "env",
      YEASTAR_CLIENT_SECRET: "envsecret",
    });
    assert.equal(s.clientId, "cfg");
    assert.equal(s.clientSecret, "cfgsecret");
  });

  it("names the exact pulumi config command when the secret is missing", () => {
    assert.throws(
      () => resolveSettings(lookupOf({ "yeastar:clientId": "id" }), {}),
      (err: Error) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /pulumi config set --secret yeastar:clientSecret <client-secret>/);
        assert.match(err.message, /YEASTAR_CLIENT_SECRET/);
        return true;
      },
    );
  });

  it("names the command for a missing client ID, without --secret", () => {
    assert.throws(() => resolveSettings(lookupOf({}), {}), /pulumi config set yeastar:clientId <client-id>/);
  });

  it("refuses a blank secret", () => {
    assert.throws(() => resolveSettings(lookupOf({ "yeastar:clientId": "id", "yeastar:clientSecret": "   " }), {}), /blank/);
  });

  for (const url of ["http://openapi.partner.yeastar.com", "ftp://example.com", "not a url", "https://user:pw@example.com", "https://example.com/?x=1"]) {
    it(`refuses the base URL ${url}`, () => {
      assert.throws(() => resolveSettings(lookupOf({ "yeastar:clientId": "id", "yeastar:clientSecret": "s", "yeastar:baseUrl": url }), {}), ConfigError);
    });
  }

  for (const url of ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:2", "https://openapi.partner.yeastar.com/"]) {
    it(`accepts the base URL ${url}`, () => {
      resolveSettings(lookupOf({ "yeastar:clientId": "id", "yeastar:clientSecret": "s", "yeastar:baseUrl": url }), {});
    });
  }

  it("never puts the secret into an error message", () => {
    try {
      resolveSettings(lookupOf({ "yeastar:clientId": "id", "yeastar:clientSecret": "hunter2-secret", "yeastar:baseUrl": "http://example.com" }), {});
      assert.fail("expected an error");
    } catch (err) {
      assert.doesNotMatch((err as Error).message, /hunter2/);
    }
  });

  it("reads yeastar:maxConcurrency and refuses values outside 1..64", () => {
    const base = { "yeastar:clientId": "id", "yeastar:clientSecret": "s" };
    assert.equal(resolveSettings(lookupOf({ ...base, "yeastar:maxConcurrency": "3" }), {}).maxConcurrency, 3);
    for (const bad of ["0", "65", "2.5", "many"]) {
      assert.throws(() => resolveSettings(lookupOf({ ...base, "yeastar:maxConcurrency": bad }), {}), /must be a whole number from 1 to 64/);
    }
  });

  it("enables purchasing only by opt-in against the real API, and implicitly for the loopback emulator", () => {
    const base = { "yeastar:clientId": "id", "yeastar:clientSecret": "s" };
    assert.equal(resolveSettings(lookupOf(base), {}).purchasingEnabled, false);
    assert.equal(resolveSettings(lookupOf({ ...base, "yeastar:purchasing": "enabled" }), {}).purchasingEnabled, true);
    assert.equal(resolveSettings(lookupOf({ ...base, "yeastar:baseUrl": "http://127.0.0.1:1" }), {}).purchasingEnabled, true);
    assert.equal(
      resolveSettings(lookupOf({ ...base, "yeastar:baseUrl": "http://127.0.0.1:1", "yeastar:purchasing": "disabled" }), {}).purchasingEnabled,
      false,
    );
    assert.throws(() => resolveSettings(lookupOf({ ...base, "yeastar:purchasing": "yes" }), {}), /must be "enabled" or "disabled"/);
  });

  it("reads yeastar:maxOrdersPerRun", () => {
    const base = { "yeastar:clientId": "id", "yeastar:clientSecret": "s" };
    assert.equal(resolveSettings(lookupOf({ ...base, "yeastar:maxOrdersPerRun": "0" }), {}).maxOrdersPerRun, 0);
    assert.throws(() => resolveSettings(lookupOf({ ...base, "yeastar:maxOrdersPerRun": "-1" }), {}), /whole number from 0/);
  });
});
