/**
 * The fault matrix through the real Pulumi engine: for each fault, `pulumi up` (or `refresh`) on
 * a stack of three PBXs while the emulator misbehaves (it may fail), then a clean run; the
 * emulator's ledger must then hold exactly one order per SN and the state exactly those orders.
 *
 * One stack project (the packed tarball, installed once) and a few lanes (FAULT_LANES, default 3),
 * each a stack of that project with its own emulator; the lanes take rows from one queue, rows
 * that mostly wait (client timeouts, settle look-ups) first, so that the waits overlap the rest.
 * Every row uses fresh SNs, so a row's ledger and state are its own whichever lane ran it.
 * Results: printed as a table, written to $TMPDIR/yeastar-fault-matrix.json, pasted into
 * docs/RELIABILITY.md.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { launchEmulator } from "../../emulator/launch";
import type { FaultRule, OrderStatus, RunningEmulator } from "../../emulator";
import type { PulumiStack, RunResult } from "../../scripts/engine";
import {
  LIVE,
  RECOGNISABLE_SECRET,
  TestHooks,
  cell,
  diagnosticsFor,
  freshSns,
  keyLine,
  markdownTable,
  newStack,
  setPbxs,
  sharedProject,
  stateLicences,
  type HookFault,
} from "./reliability-support";

const SAVE = "/order/openapi/order/v1/save";
const PBXS_PER_ROW = 3;

interface Lane {
  name: string;
  emulator: RunningEmulator;
  hooks: TestHooks;
  stack: PulumiStack;
}

interface RowContext {
  lane: Lane;
  sns: string[];
}

type Op = "up" | "refresh";

interface RowSpec {
  n: number;
  /** The fault, as the table shows it. */
  fault: string;
  /** The step of the protocol it hits. */
  where: string;
  /** Mostly waits (client timeouts, settle look-ups): started first, so that it overlaps the others. */
  slow?: boolean;
  /** The operation run under the fault (default `up`). */
  op?: Op;
  /** Runs before the fault is applied (e.g. a clean `up` that buys, for refresh rows). */
  prepare?: (ctx: RowContext) => Promise<void>;
  rules?: FaultRule[];
  hook?: { fault: HookFault; times?: number };
  /** Runs after the faulted operation, before the clean ones (e.g. the order is paid). */
  between?: (ctx: RowContext) => Promise<void>;
  /** The clean operations, after the faults are cleared (default: one `up`). */
  clean?: Op[];
  /** Expected exit of the faulted operation; undefined: either. */
  exit?: "zero" | "nonzero";
  /** Must appear in the faulted operation's output. */
  seen?: RegExp;
  /** Status of each SN's one order at the end (default `succeed`). */
  finalStatus?: OrderStatus;
  /** The fault may not fire (the path under test does not reach it). */
  mayNotFire?: boolean;
  /** Extra checks; returns failures. */
  check?: (r: RowResult, ctx: RowContext) => string[];
}

interface RowResult {
  n: number;
  lane: string;
  fault: string;
  where: string;
  op: Op;
  exitCode: number;
  userSaw: string;
  firstMs: number;
  fired: string[];
  orderPosts: number;
  /** Per SN, after the faulted operation: orders in the ledger / resources in state. */
  afterFault: { ledger: number; state: number; stateStatuses: string[] };
  ordersInLedger: number;
  liveInLedger: number;
  ordersInState: number;
  duplicates: number;
  lost: number;
  misleading: string[];
  cleanExitCodes: number[];
  failures: string[];
  ms: number;
}

const setStatusOfAll =
  (status: OrderStatus) =>
  async ({ lane, sns }: RowContext) => {
    for (const sn of sns) for (const o of lane.emulator.ordersFor(sn)) lane.emulator.setOrderStatus(o.orderId, status);
  };
const cleanUp = async ({ lane }: RowContext): Promise<void> => {
  await lane.stack.up();
};

const ROWS: RowSpec[] = [
  { n: 1, fault: "auth.token 503 once", where: "token", rules: [{ endpoint: "auth.token", fault: { kind: "error", status: 503 } }], exit: "zero" },
  {
    n: 2,
    fault: "auth.token 429, Retry-After: 1",
    where: "token",
    rules: [{ endpoint: "auth.token", fault: { kind: "rate-limit", retryAfterSeconds: 1 } }],
    exit: "zero",
  },
  {
    n: 3,
    fault: "tokens revoked by order.save (401 token_revoked)",
    where: "token, at the order POST",
    rules: [{ endpoint: "order.save", fault: { kind: "revoke-tokens" } }],
    exit: "zero",
  },
  {
    n: 4,
    fault: "tokens revoked by purchase_product_info",
    where: "token, at the service lookup",
    rules: [{ endpoint: "pricing.purchase_product_info", fault: { kind: "revoke-tokens" } }],
    exit: "zero",
  },
  {
    n: 5,
    fault: "purchase_product_info 500 ×2",
    where: "service lookup",
    rules: [{ endpoint: "pricing.purchase_product_info", times: 2, fault: { kind: "error", status: 500 } }],
    exit: "zero",
  },
  {
    n: 6,
    fault: "purchase_product_info malformed JSON (200)",
    where: "service lookup",
    rules: [{ endpoint: "pricing.purchase_product_info", fault: { kind: "malformed-json" } }],
  },
  {
    n: 7,
    fault: "billing_contact_list HTML 502",
    where: "billing lookup",
    rules: [{ endpoint: "user.billing_contact_list", fault: { kind: "html-502" } }],
    exit: "zero",
  },
  {
    n: 8,
    fault: "billing_contact_list hangs (past the 30 s client timeout)",
    where: "billing lookup",
    slow: true,
    rules: [{ endpoint: "user.billing_contact_list", fault: { kind: "hang" } }],
    exit: "zero",
  },
  {
    n: 9,
    fault: "order.page 503 once",
    where: "order history (look before buy)",
    rules: [{ endpoint: "order.page", fault: { kind: "error", status: 503 } }],
    exit: "zero",
  },
  {
    n: 10,
    fault: "order.page 503 always",
    where: "order history (look before buy)",
    rules: [{ endpoint: "order.page", times: -1, fault: { kind: "error", status: 503 } }],
    exit: "nonzero",
    check: (r) => (r.orderPosts === 0 ? [] : [`an order was sent although the order history could not be read (${r.orderPosts} POSTs)`]),
  },
  {
    n: 11,
    fault: "order.save connection reset before handling",
    where: "order POST, before commit",
    slow: true,
    rules: [{ endpoint: "order.save", fault: { kind: "reset-before" } }],
    exit: "nonzero",
    seen: /not in the order history, so nothing was bought; re-running `pulumi up` is safe/,
  },
  {
    n: 12,
    fault: "order.save 500 error envelope (handler not run)",
    where: "order POST, before commit",
    slow: true,
    rules: [{ endpoint: "order.save", fault: { kind: "error", status: 500 } }],
    exit: "nonzero",
    seen: /not in the order history, so nothing was bought/,
  },
  {
    n: 13,
    fault: "order.save 429, Retry-After: 1",
    where: "order POST, before commit",
    rules: [{ endpoint: "order.save", fault: { kind: "rate-limit", retryAfterSeconds: 1 } }],
    exit: "nonzero",
    seen: /the order was refused, so nothing was bought/,
  },
  {
    n: 14,
    fault: "order.save 401 once",
    where: "order POST, before commit",
    rules: [{ endpoint: "order.save", fault: { kind: "error", status: 401 } }],
    exit: "zero",
  },
  {
    n: 15,
    fault: "order.save connection reset after commit",
    where: "order POST, after commit",
    rules: [{ endpoint: "order.save", fault: { kind: "reset-after-commit" } }],
    exit: "zero",
    seen: /was lost \(network\), but the order went through/,
  },
  {
    n: 16,
    fault: "order.save 500 error envelope after commit (hook)",
    where: "order POST, after commit",
    hook: { fault: "error-500-after-commit" },
    exit: "zero",
    seen: /but the order went through/,
  },
  {
    n: 17,
    fault: "order.save answers after 31 s (client times out at 30 s, order commits at 31 s)",
    where: "order POST, after commit",
    slow: true,
    rules: [{ endpoint: "order.save", fault: { kind: "latency", ms: 31_000 } }],
    exit: "zero",
    seen: /was lost \(timeout\), but the order went through/,
  },
  {
    n: 18,
    fault: "order.save 200 with cut-off JSON after commit (hook)",
    where: "order POST, after commit",
    hook: { fault: "garbled-200-after-commit" },
    seen: /went through|placed by an earlier run/,
  },
  {
    n: 19,
    fault: "order.get 500 always, during refresh",
    where: "order lookup (refresh)",
    op: "refresh",
    prepare: cleanUp,
    rules: [{ endpoint: "order.get", times: -1, fault: { kind: "error", status: 500 } }],
    mayNotFire: true,
  },
  {
    n: 20,
    fault: "order.page and order.get 503 always, during refresh",
    where: "order lookup (refresh)",
    op: "refresh",
    prepare: cleanUp,
    rules: [
      { endpoint: "order.page", times: -1, fault: { kind: "error", status: 503 } },
      { endpoint: "order.get", times: -1, fault: { kind: "error", status: 503 } },
    ],
    clean: ["refresh", "up"],
    exit: "nonzero",
    check: (r) => (r.afterFault.state === PBXS_PER_ROW ? [] : [`the failed refresh left ${r.afterFault.state} of ${PBXS_PER_ROW} licences in state`]),
  },
  {
    n: 21,
    fault: "orders created pending (hook), paid later, then refresh",
    where: "order POST result; refresh",
    hook: { fault: "pending-on-create", times: -1 },
    between: setStatusOfAll("succeed"),
    clean: ["up", "refresh"],
    exit: "zero",
    seen: /is pending: pay it in the Partner Portal/,
    check: (r) =>
      r.afterFault.stateStatuses.every((s) => s === "pending")
        ? []
        : [`state after the first up holds statuses ${r.afterFault.stateStatuses.join(", ")}, not pending`],
  },
  {
    n: 22,
    fault: "orders refunded in the portal, then refresh",
    where: "refresh",
    op: "refresh",
    prepare: async (ctx) => {
      await cleanUp(ctx);
      await setStatusOfAll("refunded")(ctx);
    },
    clean: ["up"],
    exit: "zero",
    seen: /is now refunded: the PBX may no longer hold the licence\. The resource stays in state/,
    finalStatus: "refunded",
  },
];

const selected = process.env.FAULT_ROWS ? ROWS.filter((r) => process.env.FAULT_ROWS?.split(",").includes(String(r.n))) : ROWS;

describe("fault matrix through the Pulumi engine", function () {
  this.timeout(15 * 60 * 1000);
  const lanes: Record<string, Lane> = {};
  const results = new Map<number, RowResult>();
  const allOutput: string[] = [];
  let matrixMs = 0;

  async function run(lane: Lane, op: Op, allowFailure: boolean): Promise<RunResult> {
    const res = op === "up" ? await lane.stack.up([], { allowFailure }) : await lane.stack.refresh([], { allowFailure });
    allOutput.push(res.stdout, res.stderr);
    return res;
  }

  async function runRow(lane: Lane, spec: RowSpec): Promise<RowResult> {
    const started = Date.now();
    const { emulator, hooks, stack } = lane;
    const sns = freshSns("FM", spec.n, PBXS_PER_ROW);
    const ctx: RowContext = { lane, sns };
    const op = spec.op ?? "up";
    const failures: string[] = [];
    emulator.faults.clear();
    hooks.clear();
    await setPbxs(stack, sns);
    if (spec.prepare) await spec.prepare(ctx);
    const postsBefore = emulator.requests.filter((r) => r.path === SAVE).length;
    for (const rule of spec.rules ?? []) emulator.faults.add(rule);
    if (spec.hook) hooks.arm(spec.hook.fault, spec.hook.times ?? 1);

    const first = await run(lane, op, true);
    const fired = [
      ...emulator.faults.fired.map((f) => `${f.endpoint}#${f.nth} ${f.kind}`),
      ...(hooks.fired > 0 ? [`order.save ${spec.hook?.fault} ×${hooks.fired}`] : []),
    ];
    emulator.faults.clear();
    hooks.clear();
    const orderPosts = emulator.requests.filter((r) => r.path === SAVE).length - postsBefore;

    const afterFaultState = await stateLicences(stack);
    allOutput.push(afterFaultState.text);
    const rowState = afterFaultState.licences.filter((l) => sns.includes(l.productNo));
    const afterFault = {
      ledger: sns.reduce((n, sn) => n + emulator.ordersFor(sn).length, 0),
      state: rowState.length,
      stateStatuses: rowState.map((l) => l.orderStatus),
    };

    // What the user was told, per SN, against what the ledger holds.
    const misleading: string[] = [];
    const said = first.stdout + "\n" + first.stderr;
    for (const sn of sns) {
      const text = diagnosticsFor(first, sn);
      const hasOrder = emulator.ordersFor(sn).length > 0;
      if (hasOrder && /nothing was bought|was not bought/.test(text) && !/unknown/.test(text))
        misleading.push(`${sn}: told "nothing was bought", but the ledger holds order ${emulator.ordersFor(sn)[0]?.orderId}`);
      if (!hasOrder && /went through|adopting/.test(text)) misleading.push(`${sn}: told the order exists, but the ledger has none`);
    }

    if (spec.between) await spec.between(ctx);
    const cleanExitCodes: number[] = [];
    for (const cleanOp of spec.clean ?? ["up"]) {
      const res = await run(lane, cleanOp, true);
      cleanExitCodes.push(res.code);
      if (res.code !== 0) failures.push(`clean ${cleanOp} exited ${res.code}: ${keyLine(res)}`);
    }

    const { licences, text } = await stateLicences(stack);
    allOutput.push(text);
    const finalStatus = spec.finalStatus ?? "succeed";
    let ordersInLedger = 0;
    let liveInLedger = 0;
    let ordersInState = 0;
    let duplicates = 0;
    let lost = 0;
    for (const sn of sns) {
      const ledger = emulator.ordersFor(sn);
      const inState = licences.filter((l) => l.productNo === sn);
      ordersInLedger += ledger.length;
      liveInLedger += ledger.filter((o) => LIVE.has(o.orderStatus)).length;
      ordersInState += inState.length;
      if (ledger.length > 1) duplicates += ledger.length - 1;
      lost += ledger.filter((o) => !inState.some((l) => l.id === o.orderId)).length;
      if (ledger.length !== 1)
        failures.push(`${sn}: ${ledger.length} orders in the ledger (${ledger.map((o) => `${o.orderId} ${o.orderStatus}`).join(", ")}), expected exactly 1`);
      const order = ledger[0];
      if (order && order.orderStatus !== finalStatus) failures.push(`${sn}: its order ${order.orderId} is ${order.orderStatus}, expected ${finalStatus}`);
      if (inState.length !== 1 || inState[0]?.id !== order?.orderId)
        failures.push(`${sn}: state holds [${inState.map((l) => l.id).join(", ")}], the ledger [${ledger.map((o) => o.orderId).join(", ")}]`);
      if (inState[0] && inState[0].orderStatus !== finalStatus) failures.push(`${sn}: state says ${inState[0].orderStatus}, expected ${finalStatus}`);
    }
    if (licences.length !== PBXS_PER_ROW) failures.push(`state holds ${licences.length} licences, expected only this row's ${PBXS_PER_ROW}`);
    if ((spec.rules || spec.hook) && fired.length === 0 && !spec.mayNotFire) failures.push("the fault never fired");
    if (spec.exit === "zero" && first.code !== 0) failures.push(`the faulted ${op} exited ${first.code}, expected 0: ${keyLine(first)}`);
    if (spec.exit === "nonzero" && first.code === 0) failures.push(`the faulted ${op} exited 0, expected a failure`);
    if (spec.seen && !spec.seen.test(said)) failures.push(`the faulted ${op} did not say ${spec.seen}; it said: ${keyLine(first)}`);
    failures.push(...misleading.map((m) => `misleading message: ${m}`));

    const result: RowResult = {
      n: spec.n,
      lane: lane.name,
      fault: spec.fault,
      where: spec.where,
      op,
      exitCode: first.code,
      userSaw: keyLine(first),
      firstMs: first.ms,
      fired,
      orderPosts,
      afterFault,
      ordersInLedger,
      liveInLedger,
      ordersInState,
      duplicates,
      lost,
      misleading,
      cleanExitCodes,
      failures,
      ms: Date.now() - started,
    };
    if (spec.check) failures.push(...spec.check(result, ctx));
    return result;
  }

  before(async function () {
    const started = Date.now();
    sharedProject();
    const laneCount = Math.max(1, Number(process.env.FAULT_LANES ?? 3));
    for (const name of Array.from({ length: laneCount }, (_, i) => `lane${i + 1}`)) {
      const hooks = new TestHooks();
      const emulator = await launchEmulator({ devices: "any", clientSecret: RECOGNISABLE_SECRET }, hooks.hooks);
      hooks.emulator = emulator;
      lanes[name] = { name, emulator, hooks, stack: await newStack(`faults-${name}`, emulator.url) };
    }
    const setupMs = Date.now() - started;
    const matrixStarted = Date.now();
    const queue = [...selected.filter((r) => r.slow), ...selected.filter((r) => !r.slow)];
    await Promise.all(
      Object.values(lanes).map(async (lane) => {
        for (let spec = queue.shift(); spec; spec = queue.shift()) {
          try {
            results.set(spec.n, await runRow(lane, spec));
          } catch (err) {
            results.set(spec.n, {
              n: spec.n,
              lane: lane.name,
              fault: spec.fault,
              where: spec.where,
              failures: [`row crashed: ${(err as Error).stack ?? String(err)}`],
            } as RowResult);
          }
        }
      }),
    );
    matrixMs = Date.now() - matrixStarted;
    process.stdout.write(`      set-up (pack, install, stacks): ${(setupMs / 1000).toFixed(1)} s; rows: ${(matrixMs / 1000).toFixed(1)} s\n`);
  });

  after(async () => {
    const rows = [...results.values()].sort((a, b) => a.n - b.n);
    if (rows.length > 0) {
      const table = markdownTable(
        [
          "#",
          "fault",
          "where",
          "first run: exit, what the user saw",
          "fired",
          "order POSTs",
          "after the fault: orders in ledger / in state",
          "orders in ledger",
          "orders in state",
          "duplicates",
          "lost",
          "result",
          "s",
        ],
        rows.map((r) => [
          String(r.n),
          cell(r.fault),
          cell(r.where),
          r.exitCode === undefined ? "-" : cell(`\`${r.op ?? "up"}\` exit ${r.exitCode} (${((r.firstMs ?? 0) / 1000).toFixed(0)} s): ${r.userSaw}`, 400),
          cell((r.fired ?? []).join("; ") || "none", 120),
          String(r.orderPosts ?? "-"),
          r.afterFault ? `${r.afterFault.ledger} / ${r.afterFault.state}` : "-",
          String(r.ordersInLedger ?? "-"),
          String(r.ordersInState ?? "-"),
          String(r.duplicates ?? "-"),
          String(r.lost ?? "-"),
          r.failures.length === 0 ? "pass" : `**FAIL**: ${cell(r.failures.join("; "), 300)}`,
          r.ms === undefined ? "-" : (r.ms / 1000).toFixed(1),
        ]),
      );
      const totals = rows.reduce(
        (t, r) => ({ duplicates: t.duplicates + (r.duplicates ?? 0), lost: t.lost + (r.lost ?? 0), failed: t.failed + (r.failures.length > 0 ? 1 : 0) }),
        { duplicates: 0, lost: 0, failed: 0 },
      );
      const file = path.join(os.tmpdir(), "yeastar-fault-matrix.json");
      fs.writeFileSync(file, JSON.stringify({ rows, totals, matrixMs }, null, 2));
      process.stdout.write(
        `\n${table}\n\nrows: ${rows.length}, failed: ${totals.failed}, duplicates: ${totals.duplicates}, lost: ${totals.lost}, matrix time: ${(matrixMs / 1000).toFixed(1)} s\nJSON: ${file}\n`,
      );
    }
    for (const lane of Object.values(lanes)) await lane.emulator.close();
  });

  for (const spec of selected) {
    it(`row ${spec.n}: ${spec.fault} → one order per SN, and the state holds it`, () => {
      const r = results.get(spec.n);
      assert.ok(r, "the row did not run");
      assert.deepEqual(r.failures, []);
    });
  }

  it("keeps the client secret and every issued token out of every output and the state", async () => {
    const texts = [...allOutput];
    for (const lane of Object.values(lanes)) texts.push(lane.stack.backendFilesText());
    const everything = texts.join("\n");
    assert.ok(everything.length > 0);
    assert.ok(!everything.includes(RECOGNISABLE_SECRET), "the client secret appears in pulumi output or state");
    for (const lane of Object.values(lanes)) {
      for (const token of lane.emulator.issuedTokens()) assert.ok(!everything.includes(token), "an issued token appears in pulumi output or state");
    }
  });
});
