import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startHarness, type Harness } from "../support/provider-harness";

interface BadCase {
  name: string;
  inputs: Record<string, unknown>;
  config?: Record<string, string | null>;
  property: string;
  reason: string;
}

const corpus = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "test", "fixtures", "bad-inputs.json"), "utf8")) as { cases: BadCase[] };

describe("the bad-input corpus (test/fixtures/bad-inputs.json)", () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it("holds at least 30 cases", () => {
    assert.ok(corpus.cases.length >= 30, `${corpus.cases.length} cases`);
  });

  for (const c of corpus.cases) {
    it(`refuses ${c.name} at check, naming ${c.property}, with no API request`, async () => {
      h = await startHarness({}, c.config ?? {});
      const result = await h.provider.check({}, c.inputs);
      const failure = result.failures?.find((f) => f.property === c.property);
      assert.ok(failure, `no failure for ${c.property}: ${JSON.stringify(result.failures)}`);
      assert.ok(failure.reason.includes(c.reason), `reason ${JSON.stringify(failure.reason)} lacks ${JSON.stringify(c.reason)}`);
      if (c.property !== "yeastar") assert.ok(failure.reason.includes(c.property) || failure.reason.includes("unknown input"), "the reason names the field");
      assert.equal(h.emulator.requests.length, 0);
    });
  }
});
