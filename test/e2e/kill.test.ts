/**
 * The provider process dies right after the emulator committed an order (SIGKILL of the
 * dynamic-provider host, found by its socket): the engine never hears of the order. The next
 * `pulumi up` must adopt it (our poNumber reference), not buy a second one.
 */
import assert from "node:assert/strict";
import { startEmulator, type RunningEmulator } from "../../emulator";
import type { PulumiStack, RunResult } from "../../scripts/engine";
import { RECOGNISABLE_SECRET, diagnosticsFor, freshSns, keyLine, newStack, setPbxs, sharedProject, stateLicences } from "./reliability-support";

const EARLIER_RUN = /was placed by an earlier run of this resource that did not finish; adopting it instead of buying again/;

describe("SIGKILL of the provider right after the order is committed", function () {
  this.timeout(10 * 60 * 1000);
  let emulator: RunningEmulator;
  let stack: PulumiStack;
  const outputs: string[] = [];
  const report: string[] = [];

  const up = async (allowFailure: boolean): Promise<RunResult> => {
    const res = await stack.up([], { allowFailure });
    outputs.push(res.stdout, res.stderr);
    return res;
  };

  before(async () => {
    sharedProject();
    emulator = await startEmulator({ devices: "any", clientSecret: RECOGNISABLE_SECRET });
    stack = await newStack("kill", emulator.url);
  });

  after(async () => {
    if (report.length > 0) process.stdout.write(`\n${report.join("\n")}\n`);
    await emulator?.close();
  });

  /** Runs the kill scenario on `sns`; returns the SNs that had an order before the second up. */
  async function killThenUp(sns: string[]): Promise<{ orphaned: string[]; first: RunResult; second: RunResult }> {
    emulator.faults.clear();
    await setPbxs(stack, sns);
    emulator.faults.add({ endpoint: "order.save", fault: { kind: "kill-client-after-commit" } });
    const first = await up(true);
    const fired = emulator.faults.fired.find((f) => f.kind === "kill-client-after-commit");
    emulator.faults.clear();
    assert.ok(fired, "the kill fault did not fire");
    assert.match(fired.detail ?? "", /killed pid \d+ with SIGKILL/, `the emulator did not kill the provider: ${fired.detail}`);
    assert.notEqual(first.code, 0, "the first up should fail: its provider was killed");

    const orphaned = sns.filter((sn) => emulator.ordersFor(sn).length > 0);
    assert.ok(orphaned.length >= 1, "the ledger holds the committed order");
    const afterKill = await stateLicences(stack);
    outputs.push(afterKill.text);
    const recorded = afterKill.licences.filter((l) => sns.includes(l.productNo));

    const second = await up(false);
    const final = await stateLicences(stack);
    outputs.push(final.text);
    for (const sn of sns) {
      const ledger = emulator.ordersFor(sn);
      assert.equal(ledger.length, 1, `${sn}: ${ledger.length} orders in the ledger`);
      const inState = final.licences.filter((l) => l.productNo === sn);
      assert.deepEqual(
        inState.map((l) => l.id),
        [ledger[0]?.orderId],
        `${sn}: the state does not hold exactly the ledger's order`,
      );
    }
    for (const sn of orphaned.filter((s) => !recorded.some((l) => l.productNo === s))) {
      assert.match(diagnosticsFor(second, sn), EARLIER_RUN, `${sn}: the second up did not say it adopted the earlier run's order`);
    }
    const third = await up(false);
    assert.match(third.stdout, /unchanged/);
    assert.equal(
      sns.reduce((n, sn) => n + emulator.ordersFor(sn).length, 0),
      sns.length,
      "a later up bought again",
    );
    report.push(
      `kill (${sns.length} PBX): ${fired.detail}; first up exit ${first.code} (${keyLine(first)}); after the kill: ${orphaned.length} order(s) in the ledger, ${recorded.length} in state, pending operations ${afterKill.pendingOperations}; ` +
        `second up exit ${second.code}: ${keyLine(second)}; finally ${sns.length} order(s) in the ledger, ${final.licences.filter((l) => sns.includes(l.productNo)).length} in state, duplicates 0`,
    );
    return { orphaned, first, second };
  }

  it("one PBX: the first up fails, the ledger holds the order, the next up adopts it without buying again", async () => {
    const [sn] = freshSns("KL", 1, 1) as [string];
    const { orphaned } = await killThenUp([sn]);
    assert.deepEqual(orphaned, [sn]);
  });

  it("three PBXs: every order committed before the kill is adopted, the rest are bought once", async () => {
    await killThenUp(freshSns("KL", 2, 3));
  });

  it("keeps the client secret and every issued token out of the output and the state", () => {
    const everything = [...outputs, stack.backendFilesText()].join("\n");
    assert.ok(!everything.includes(RECOGNISABLE_SECRET));
    for (const token of emulator.issuedTokens()) assert.ok(!everything.includes(token), "an issued token appears in pulumi output or state");
  });
});
