import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import {
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  ENDPOINT_NAMES,
  FAULT_KINDS,
  startEmulator,
  type EmulatorOptions,
  type FaultRule,
  type RunningEmulator,
} from "../../emulator";
import { TUTORIAL_ORDER_BODY } from "../support/tutorial";
import { ROUTES } from "../../emulator/routes";

/** Waits (up to 5 s) until `condition` holds. */
async function eventually(condition: () => boolean): Promise<void> {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > 5000) throw new Error("condition not met within 5 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const UA = { "User-Agent": "OpenAPI" };
const TOKEN_PATH = "/auth/openapi/v1/oauth/token";
const SAVE_PATH = "/order/openapi/order/v1/save";
const PRODUCTS_PATH = "/pricing/openapi/purchase/v1/product_list";
const CONTACTS_PATH = "/user/openapi/user/v1/client/billing_contact_list";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function obj(v: Json | undefined): JsonObject {
  assert.ok(typeof v === "object" && v !== null && !Array.isArray(v), `expected an object, got ${JSON.stringify(v)}`);
  return v;
}

function arr(v: Json | undefined): Json[] {
  assert.ok(Array.isArray(v), `expected an array, got ${JSON.stringify(v)}`);
  return v;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function send(
  url: string,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string | URLSearchParams; signal?: AbortSignal } = {},
): Promise<Answer> {
  const res = await fetch(url + path, {
    method,
    headers: { ...UA, ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

function envelope(a: Answer): JsonObject {
  return obj(JSON.parse(a.text) as Json);
}

function credentialsForm(): URLSearchParams {
  return new URLSearchParams({ grant_type: "pp_credentials", client_id: EMULATOR_CLIENT_ID, client_secret: EMULATOR_CLIENT_SECRET });
}

async function login(url: string): Promise<{ token: string; refreshToken: string }> {
  const a = await send(url, "POST", TOKEN_PATH, { body: credentialsForm() });
  const env = envelope(a);
  assert.equal(env["code"], "success", a.text);
  const r = obj(env["result"]);
  return { token: r["token"] as string, refreshToken: r["refreshToken"] as string };
}

function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

function saveOrder(url: string, token: string, signal?: AbortSignal): Promise<Answer> {
  return send(url, "POST", SAVE_PATH, {
    headers: { ...bearer(token), "Content-Type": "application/json" },
    body: TUTORIAL_ORDER_BODY,
    ...(signal ? { signal } : {}),
  });
}

async function getCode(url: string, token: string, path: string): Promise<string> {
  return envelope(await send(url, "GET", path, { headers: bearer(token) }))["code"] as string;
}

async function admin(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${url}/__emulator/${path}`, {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } } : {}),
  });
  return { status: res.status, json: JSON.parse(await res.text()) as Json };
}

/** Starts the CLI and resolves once it printed its URL. */
async function startCli(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; exited: Promise<number | null>; stderr: () => string }> {
  const cli = resolve(__dirname, "../../emulator/cli.js");
  const child = spawn(process.execPath, [cli], { env: { ...process.env, YEASTAR_EMULATOR_PORT: "0", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const first = await new Promise<string | undefined>((r) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", r);
    lines.once("close", () => r(undefined));
  });
  const match = /listening on (http:\/\/\S+)$/.exec(first ?? "");
  return { url: match?.[1] ?? "", child, exited, stderr: () => stderr };
}

describe("Yeastar Partner API emulator fault injection", function () {
  const running: RunningEmulator[] = [];
  let em: RunningEmulator;

  async function start(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
    const e = await startEmulator(opts);
    running.push(e);
    return e;
  }

  beforeEach(async function () {
    em = await start();
  });

  afterEach(async function () {
    await Promise.all(running.splice(0).map((e) => e.close()));
  });

  describe("endpoint names", function () {
    it("names every route the dispatcher serves, with distinct names for each step of a purchase", function () {
      for (const route of ROUTES) assert.ok(ENDPOINT_NAMES.includes(route.id), route.id);
      for (const name of [
        "auth.token",
        "auth.token_refresh",
        "pricing.purchase_product_info",
        "user.billing_contact_list",
        "order.save",
        "order.page",
        "order.get",
      ] as const) {
        assert.ok(ENDPOINT_NAMES.includes(name), name);
      }
      assert.equal(new Set(ENDPOINT_NAMES).size, ENDPOINT_NAMES.length);
    });

    it("tells the refresh grant (auth.token_refresh) apart from the credentials grant (auth.token)", async function () {
      em.faults.add({ endpoint: "auth.token_refresh", fault: { kind: "error", status: 503 } });
      const { refreshToken } = await login(em.url);
      const refreshed = await send(em.url, "POST", TOKEN_PATH, { body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }) });
      assert.equal(refreshed.status, 503);
      assert.equal(envelope(refreshed)["code"], "service_unavailable");
      await login(em.url);
      assert.deepEqual(
        em.faults.fired.map((f) => [f.endpoint, f.nth, f.kind]),
        [["auth.token_refresh", 1, "error"]],
      );
    });
  });

  describe("each fault kind", function () {
    it("error: answers the status with an error envelope and does not run the handler", async function () {
      const { token } = await login(em.url);
      em.faults.add({ endpoint: "order.save", fault: { kind: "error", status: 503 } });
      const a = await saveOrder(em.url, token);
      assert.equal(a.status, 503);
      assert.match(a.headers.get("content-type") ?? "", /^application\/json/);
      const env = envelope(a);
      assert.deepEqual(Object.keys(env), ["code", "detailMessage", "requestId", "result", "status"]);
      assert.equal(env["code"], "service_unavailable");
      assert.equal(env["status"], 503);
      assert.equal(env["result"], null);
      assert.match(env["requestId"] as string, /^[0-9a-f]{32}$/);
      assert.notEqual(env["detailMessage"], "");
      assert.equal(em.orders.length, 0);

      em.faults.add({ endpoint: "order.save", fault: { kind: "error", status: 500, code: "system_busy", detailMessage: "try later" } });
      const custom = envelope(await saveOrder(em.url, token));
      assert.deepEqual([custom["code"], custom["detailMessage"], custom["status"]], ["system_busy", "try later", 500]);
      assert.equal(em.orders.length, 0);
      assert.deepEqual(
        em.requests.map((r) => r.code),
        ["success", "service_unavailable", "system_busy"],
      );
    });

    it("error: follows errorHttpStatus always200 like every other error", async function () {
      const e = await start({ errorHttpStatus: "always200", faults: [{ endpoint: "auth.token", fault: { kind: "error", status: 502 } }] });
      const a = await send(e.url, "POST", TOKEN_PATH, { body: credentialsForm() });
      assert.equal(a.status, 200);
      assert.equal(envelope(a)["status"], 502);
    });

    it("rate-limit: answers 429 with Retry-After and an error envelope, without running the handler", async function () {
      const { token } = await login(em.url);
      em.faults.add({ endpoint: "order.save", fault: { kind: "rate-limit", retryAfterSeconds: 7 } });
      const a = await saveOrder(em.url, token);
      assert.equal(a.status, 429);
      assert.equal(a.headers.get("retry-after"), "7");
      const env = envelope(a);
      assert.equal(env["code"], "too_many_requests");
      assert.equal(env["status"], 429);
      assert.equal(em.orders.length, 0);
    });

    it("latency: waits at least the given time, then answers normally", async function () {
      const { token } = await login(em.url);
      em.faults.add({ endpoint: "pricing.product_list", fault: { kind: "latency", ms: 250 } });
      const t0 = performance.now();
      assert.equal(await getCode(em.url, token, PRODUCTS_PATH), "success");
      const slow = performance.now() - t0;
      assert.ok(slow >= 250, `took ${slow} ms`);
      const t1 = performance.now();
      assert.equal(await getCode(em.url, token, PRODUCTS_PATH), "success");
      assert.ok(performance.now() - t1 < 200, "only the first request is delayed");
    });

    it("latency: a client that gives up during the wait does not stop the order from being committed", async function () {
      const { token } = await login(em.url);
      em.faults.add({ endpoint: "order.save", fault: { kind: "latency", ms: 300 } });
      await assert.rejects(saveOrder(em.url, token, AbortSignal.timeout(50)), { name: "TimeoutError" });
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(em.orders.length, 1);
      assert.equal(em.requests[1]?.status, 0, "no answer was written to the closed connection");
    });

    it("hang: never answers, the client can give up, and close() still finishes promptly", async function () {
      const { token } = await login(em.url);
      em.faults.add({ endpoint: "pricing.product_list", times: 2, fault: { kind: "hang" } });
      const aborted = send(em.url, "GET", PRODUCTS_PATH, { headers: bearer(token), signal: AbortSignal.timeout(200) });
      await assert.rejects(aborted, { name: "TimeoutError" });
      const stillHanging = send(em.url, "GET", PRODUCTS_PATH, { headers: bearer(token) });
      const outcome = stillHanging.then(
        () => "answered",
        () => "rejected",
      );
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(
        em.faults.fired.map((f) => f.kind),
        ["hang", "hang"],
      );
      const t0 = performance.now();
      await em.close();
      assert.ok(performance.now() - t0 < 1000, `close() took ${performance.now() - t0} ms`);
      assert.equal(await outcome, "rejected");
      assert.deepEqual(
        em.requests.slice(1).map((r) => [r.status, r.code]),
        [
          [0, "injected_hang"],
          [0, "injected_hang"],
        ],
      );
    });

    it("reset-before: drops the connection before handling, so nothing is committed", async function () {
      const { token } = await login(em.url);
      em.faults.add({ endpoint: "order.save", fault: { kind: "reset-before" } });
      await assert.rejects(saveOrder(em.url, token));
      assert.equal(em.orders.length, 0);
      assert.deepEqual([em.requests[1]?.status, em.requests[1]?.code], [0, "injected_reset_before"]);
      assert.equal(envelope(await saveOrder(em.url, token))["code"], "success");
    });

    it("reset-after-commit: commits and persists the order, then drops the connection without answering", async function () {
      const dir = mkdtempSync(join(tmpdir(), "yeastar-faults-"));
      try {
        const stateFile = join(dir, "state.json");
        const e = await start({ stateFile });
        const { token } = await login(e.url);
        e.faults.add({ endpoint: "order.save", fault: { kind: "reset-after-commit" } });
        await assert.rejects(saveOrder(e.url, token));
        assert.equal(e.orders.length, 1);
        assert.equal(e.orders[0]?.orderId, "1507959");
        assert.match(readFileSync(stateFile, "utf8"), /"orderId": "1507959"/);
        assert.deepEqual([e.requests[1]?.status, e.requests[1]?.code], [0, "injected_reset_after_commit"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("kill-client-after-commit: kills the client process with SIGKILL after the order is committed and persisted", async function () {
      const dir = mkdtempSync(join(tmpdir(), "yeastar-faults-"));
      try {
        const stateFile = join(dir, "state.json");
        const e = await start({ stateFile });
        e.faults.add({ endpoint: "order.save", fault: { kind: "kill-client-after-commit" } });
        const child = await runOrderingChild(e.url);
        assert.equal(child.signal, "SIGKILL");
        assert.equal(child.code, null);
        assert.equal(child.stdout, "token\n", "the child never learned the outcome");
        assert.equal(e.orders.length, 1);
        assert.match(readFileSync(stateFile, "utf8"), /"orderId": "1507959"/);
        // The emulator records the fault once it has seen the child exit, which may be after we do.
        await eventually(() => e.faults.fired.length > 0);
        const fired = e.faults.fired[0];
        assert.equal(fired?.kind, "kill-client-after-commit");
        assert.match(fired?.detail ?? "", new RegExp(`^killed pid ${child.pid} with SIGKILL$`));
        assert.equal(e.requests[1]?.code, "injected_kill_client_after_commit");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("kill-client-after-commit: sends SIGTERM when asked", async function () {
      em.faults.add({ endpoint: "order.save", fault: { kind: "kill-client-after-commit", signal: "SIGTERM" } });
      const child = await runOrderingChild(em.url);
      assert.equal(child.signal, "SIGTERM");
      assert.equal(child.stdout, "token\n");
      assert.equal(em.orders.length, 1);
      await eventually(() => em.faults.fired.length > 0);
      assert.equal(em.faults.fired[0]?.detail, `killed pid ${child.pid} with SIGTERM`);
    });

    it("kill-client-after-commit: never kills the emulator's own process, and still drops the connection", async function () {
      const { token } = await login(em.url);
      em.faults.add({ endpoint: "order.save", fault: { kind: "kill-client-after-commit" } });
      await assert.rejects(saveOrder(em.url, token));
      assert.equal(em.orders.length, 1);
      assert.match(em.faults.fired[0]?.detail ?? "", new RegExp(`pid ${process.pid} is the emulator's own process; not killed`));
    });

    it("malformed-json: answers 200 with a truncated JSON body, without running the handler", async function () {
      const { token } = await login(em.url);
      em.faults.add({ endpoint: "order.save", fault: { kind: "malformed-json" } });
      const a = await saveOrder(em.url, token);
      assert.equal(a.status, 200);
      assert.match(a.headers.get("content-type") ?? "", /^application\/json/);
      assert.match(a.text, /^\{"code":"success"/);
      assert.throws(() => JSON.parse(a.text), SyntaxError);
      assert.equal(em.orders.length, 0);
    });

    it("html-502: answers 502 with an HTML Bad Gateway page, without running the handler", async function () {
      const { token } = await login(em.url);
      em.faults.add({ endpoint: "order.save", fault: { kind: "html-502" } });
      const a = await saveOrder(em.url, token);
      assert.equal(a.status, 502);
      assert.match(a.headers.get("content-type") ?? "", /^text\/html/);
      assert.match(a.text, /<title>502 Bad Gateway<\/title>/);
      assert.equal(em.orders.length, 0);
    });

    it("revoke-tokens: revokes every token, so that request gets 401 and a fresh token works", async function () {
      const { token, refreshToken } = await login(em.url);
      em.faults.add({ endpoint: "user.billing_contact_list", fault: { kind: "revoke-tokens" } });
      const a = await send(em.url, "GET", CONTACTS_PATH, { headers: bearer(token) });
      assert.equal(a.status, 401);
      assert.equal(envelope(a)["code"], "token_revoked");
      const refresh = await send(em.url, "POST", TOKEN_PATH, { body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }) });
      assert.equal(envelope(refresh)["code"], "invalid_grant");
      const fresh = await login(em.url);
      assert.equal(await getCode(em.url, fresh.token, CONTACTS_PATH), "success");
    });
  });

  describe("rule matching", function () {
    it("nth and times: covers requests nth … nth+times-1 of that endpoint only", async function () {
      const { token } = await login(em.url);
      em.faults.add({ endpoint: "pricing.product_list", nth: 2, times: 2, fault: { kind: "error", status: 500 } });
      const codes: string[] = [];
      for (let i = 0; i < 4; i++) {
        codes.push(await getCode(em.url, token, PRODUCTS_PATH));
        assert.equal(await getCode(em.url, token, CONTACTS_PATH), "success");
      }
      assert.deepEqual(codes, ["success", "internal_error", "internal_error", "success"]);
      assert.deepEqual(
        em.faults.fired.map((f) => [f.endpoint, f.nth]),
        [
          ["pricing.product_list", 2],
          ["pricing.product_list", 3],
        ],
      );
      assert.deepEqual(em.faults.rules, [], "a used-up rule is dropped");
    });

    it("times: -1 and Infinity cover every later request", async function () {
      const { token } = await login(em.url);
      em.faults.add({ endpoint: "pricing.product_list", times: -1, fault: { kind: "error", status: 500 } });
      em.faults.add({ endpoint: "user.billing_contact_list", times: Infinity, fault: { kind: "error", status: 503 } });
      for (let i = 0; i < 3; i++) {
        assert.equal(await getCode(em.url, token, PRODUCTS_PATH), "internal_error");
        assert.equal(await getCode(em.url, token, CONTACTS_PATH), "service_unavailable");
      }
      assert.deepEqual(
        em.faults.rules.map((r) => r.times),
        [-1, -1],
      );
    });

    it("without nth: targets the next request, counted when the rule is added", async function () {
      const { token } = await login(em.url);
      assert.equal(await getCode(em.url, token, PRODUCTS_PATH), "success");
      assert.equal(await getCode(em.url, token, PRODUCTS_PATH), "success");
      em.faults.add({ endpoint: "pricing.product_list", fault: { kind: "html-502" } });
      assert.deepEqual(
        em.faults.rules.map((r) => r.nth),
        [3],
      );
      assert.equal((await send(em.url, "GET", PRODUCTS_PATH, { headers: bearer(token) })).status, 502);
      assert.equal(await getCode(em.url, token, PRODUCTS_PATH), "success");
    });

    it('"*": nth counts every request, whatever the endpoint', async function () {
      em.faults.add({ endpoint: "*", nth: 3, fault: { kind: "error", status: 500 } });
      const { token } = await login(em.url); // request 1
      assert.equal(await getCode(em.url, token, CONTACTS_PATH), "success"); // 2
      assert.equal(await getCode(em.url, token, PRODUCTS_PATH), "internal_error"); // 3
      assert.equal(await getCode(em.url, token, PRODUCTS_PATH), "success");
      assert.deepEqual(
        em.faults.fired.map((f) => [f.endpoint, f.nth]),
        [["pricing.product_list", 1]],
      );
    });

    it("clear(): removes the rules, empties fired and restarts counting at 1", async function () {
      const { token } = await login(em.url);
      em.faults.add({ endpoint: "pricing.product_list", times: -1, fault: { kind: "error", status: 500 } });
      assert.equal(await getCode(em.url, token, PRODUCTS_PATH), "internal_error");
      em.faults.clear();
      assert.deepEqual([em.faults.rules, em.faults.fired], [[], []]);
      assert.equal(await getCode(em.url, token, PRODUCTS_PATH), "success"); // request 1 again
      em.faults.add({ endpoint: "pricing.product_list", nth: 2, fault: { kind: "error", status: 500 } });
      assert.equal(await getCode(em.url, token, PRODUCTS_PATH), "internal_error");
    });

    it("combines latency and revoke-tokens with one other fault on the same request", async function () {
      const { token } = await login(em.url);
      em.faults.add({ endpoint: "order.save", fault: { kind: "error", status: 504 } });
      em.faults.add({ endpoint: "order.save", fault: { kind: "latency", ms: 150 } });
      em.faults.add({ endpoint: "order.save", fault: { kind: "html-502" } });
      em.faults.add({ endpoint: "order.save", fault: { kind: "revoke-tokens" } });
      const t0 = performance.now();
      const a = await saveOrder(em.url, token);
      assert.ok(performance.now() - t0 >= 150);
      assert.equal(a.status, 504, "the first rule that replaces the answer wins");
      assert.deepEqual(
        em.faults.fired.map((f) => f.kind),
        ["latency", "revoke-tokens", "error"],
      );
      assert.equal(em.orders.length, 0);
      assert.equal(await getCode(em.url, token, CONTACTS_PATH), "token_revoked");
    });

    it("applies the faults option from the start", async function () {
      const e = await start({ faults: [{ endpoint: "auth.token", nth: 2, fault: { kind: "rate-limit", retryAfterSeconds: 1 } }] });
      await login(e.url);
      assert.equal((await send(e.url, "POST", TOKEN_PATH, { body: credentialsForm() })).status, 429);
    });

    it("refuses malformed rules with a message naming the problem", function () {
      const bad: unknown[] = [
        { endpoint: "order.create", fault: { kind: "hang" } },
        { endpoint: "order.save", fault: { kind: "explode" } },
        { endpoint: "order.save", fault: { kind: "rate-limit", retryAfter: 5 } },
        { endpoint: "order.save", nth: 0, fault: { kind: "hang" } },
        { endpoint: "order.save", times: 0, fault: { kind: "hang" } },
        { endpoint: "order.save", fault: { kind: "error", status: "503" } },
        { endpoint: "order.save", fault: { kind: "kill-client-after-commit", signal: "SIGINT" } },
      ];
      for (const rule of bad) assert.throws(() => em.faults.add(rule as FaultRule), { name: "FaultRuleError" }, JSON.stringify(rule));
      assert.throws(() => em.faults.add({ endpoint: "order.create" } as unknown as FaultRule), /endpoint: expected "\*" or one of auth\.token, /);
      assert.deepEqual(em.faults.rules, []);
      assert.equal(FAULT_KINDS.length, 10);
    });

    it("rejects startEmulator on a malformed initial rule or latencyMs", async function () {
      await assert.rejects(startEmulator({ faults: [{ endpoint: "*", fault: { kind: "latency", ms: -1 } }] }), { name: "FaultRuleError" });
      await assert.rejects(startEmulator({ latencyMs: 1.5 }), RangeError);
    });
  });

  describe("latencyMs", function () {
    it("delays every API request by at least latencyMs, but not the admin endpoints", async function () {
      const e = await start({ latencyMs: 100 });
      const t0 = performance.now();
      const { token } = await login(e.url);
      const t1 = performance.now();
      assert.equal(await getCode(e.url, token, PRODUCTS_PATH), "success");
      const t2 = performance.now();
      assert.ok(t1 - t0 >= 100, `token took ${t1 - t0} ms`);
      assert.ok(t2 - t1 >= 100, `product_list took ${t2 - t1} ms`);
      const t3 = performance.now();
      assert.equal((await admin(e.url, "GET", "faults")).status, 200);
      assert.ok(performance.now() - t3 < 100);
    });
  });

  describe("admin endpoints", function () {
    it("add, list and clear rules; list fired faults", async function () {
      const { token } = await login(em.url);
      const one = await admin(em.url, "POST", "faults", { endpoint: "pricing.product_list", fault: { kind: "error", status: 503 } });
      assert.equal(one.status, 200);
      assert.equal(obj(one.json)["added"], 1);
      const two = await admin(em.url, "POST", "faults", [
        { endpoint: "user.billing_contact_list", times: -1, fault: { kind: "html-502" } },
        { endpoint: "order.page", nth: 5, fault: { kind: "hang" } },
      ]);
      assert.equal(obj(two.json)["added"], 2);
      const listed = arr(obj((await admin(em.url, "GET", "faults")).json)["rules"]);
      assert.deepEqual(listed, [
        { endpoint: "pricing.product_list", nth: 1, times: 1, fault: { kind: "error", status: 503 } },
        { endpoint: "user.billing_contact_list", nth: 1, times: -1, fault: { kind: "html-502" } },
        { endpoint: "order.page", nth: 5, times: 1, fault: { kind: "hang" } },
      ]);
      assert.equal(await getCode(em.url, token, PRODUCTS_PATH), "service_unavailable");
      assert.equal((await send(em.url, "GET", CONTACTS_PATH, { headers: bearer(token) })).status, 502);
      const fired = arr((await admin(em.url, "GET", "faults/fired")).json).map((f) => {
        const o = obj(f);
        assert.equal(typeof o["at"], "number");
        return [o["endpoint"], o["nth"], o["kind"]];
      });
      assert.deepEqual(fired, [
        ["pricing.product_list", 1, "error"],
        ["user.billing_contact_list", 1, "html-502"],
      ]);
      assert.equal((await admin(em.url, "DELETE", "faults")).status, 200);
      assert.deepEqual(em.faults.rules, []);
      assert.equal(await getCode(em.url, token, CONTACTS_PATH), "success");
    });

    it("refuses a malformed rule with 400 and adds none of the batch", async function () {
      const bad = await admin(em.url, "POST", "faults", [
        { endpoint: "order.save", fault: { kind: "hang" } },
        { endpoint: "order.save", fault: { kind: "nope" } },
      ]);
      assert.equal(bad.status, 400);
      assert.match(obj(bad.json)["error"] as string, /faults\[1\]\.fault\.kind/);
      assert.deepEqual(em.faults.rules, []);
      const res = await fetch(`${em.url}/__emulator/faults`, { method: "POST", body: "{not json" });
      assert.equal(res.status, 400);
    });

    it("show the ledger with string IDs, change an order's status, revoke tokens and show the request log", async function () {
      const { token } = await login(em.url);
      assert.equal(envelope(await saveOrder(em.url, token))["code"], "success");
      const orders = arr((await admin(em.url, "GET", "orders")).json).map(obj);
      assert.equal(orders.length, 1);
      assert.equal(orders[0]?.["orderId"], "1507959");
      assert.equal(orders[0]?.["billingId"], "3197218168379846218");
      assert.deepEqual(orders[0]?.["serviceIds"], ["3299326068732223488"]);

      const changed = await admin(em.url, "POST", "orders/AW3327600636501164032/status", { status: "refunded" });
      assert.equal(changed.status, 200);
      assert.equal(obj(changed.json)["orderStatus"], "refunded");
      assert.equal(em.orders[0]?.orderStatus, "refunded");
      assert.equal((await admin(em.url, "POST", "orders/1507959/status", { status: "gone" })).status, 400);
      assert.equal((await admin(em.url, "POST", "orders/999/status", { status: "cancelled" })).status, 404);

      assert.equal((await admin(em.url, "POST", "revoke-tokens")).status, 200);
      assert.equal(await getCode(em.url, token, CONTACTS_PATH), "token_revoked");

      const log = arr((await admin(em.url, "GET", "requests")).json).map((r) => [obj(r)["path"], obj(r)["status"]]);
      assert.deepEqual(log, [
        [TOKEN_PATH, 200],
        [SAVE_PATH, 200],
        [CONTACTS_PATH, 401],
      ]);
      assert.ok(
        em.requests.every((r) => !r.path.startsWith("/__emulator/")),
        "admin calls are not recorded",
      );
    });

    it("answers 404 for an unknown admin path and 405 with Allow for a wrong method", async function () {
      assert.equal((await admin(em.url, "GET", "nothing")).status, 404);
      const res = await fetch(`${em.url}/__emulator/orders`, { method: "DELETE" });
      assert.equal(res.status, 405);
      assert.equal(res.headers.get("allow"), "GET");
      assert.equal(em.requests.length, 0);
    });
  });

  describe("command line", function () {
    it("takes rules from YEASTAR_EMULATOR_FAULTS and latency from YEASTAR_EMULATOR_LATENCY_MS, and serves the admin endpoints", async function () {
      const faults: FaultRule[] = [{ endpoint: "pricing.product_list", nth: 1, fault: { kind: "error", status: 503 } }];
      const cli = await startCli({ YEASTAR_EMULATOR_FAULTS: JSON.stringify(faults), YEASTAR_EMULATOR_LATENCY_MS: "120" });
      try {
        assert.match(cli.url, /^http:\/\/127\.0\.0\.1:\d+$/);
        const t0 = performance.now();
        const { token } = await login(cli.url);
        assert.ok(performance.now() - t0 >= 120);
        assert.equal(await getCode(cli.url, token, PRODUCTS_PATH), "service_unavailable");
        assert.equal(await getCode(cli.url, token, PRODUCTS_PATH), "success");
        await admin(cli.url, "POST", "faults", { endpoint: "order.save", fault: { kind: "reset-after-commit" } });
        await assert.rejects(saveOrder(cli.url, token));
        const orders = arr((await admin(cli.url, "GET", "orders")).json);
        assert.equal(orders.length, 1);
        const fired = arr((await admin(cli.url, "GET", "faults/fired")).json).map((f) => obj(f)["kind"]);
        assert.deepEqual(fired, ["error", "reset-after-commit"]);
      } finally {
        cli.child.kill("SIGTERM");
      }
      assert.equal(await cli.exited, 0);
    });

    it("exits 1 with a message on a malformed YEASTAR_EMULATOR_FAULTS or YEASTAR_EMULATOR_LATENCY_MS", async function () {
      const bad = await startCli({ YEASTAR_EMULATOR_FAULTS: '[{"endpoint":"order.save","fault":{"kind":"hang","ms":1}}]' });
      assert.equal(await bad.exited, 1);
      assert.match(bad.stderr(), /YEASTAR_EMULATOR_FAULTS\[0\]\.fault: unknown key "ms"/);
      const notJson = await startCli({ YEASTAR_EMULATOR_FAULTS: "[{" });
      assert.equal(await notJson.exited, 1);
      assert.match(notJson.stderr(), /YEASTAR_EMULATOR_FAULTS is not JSON/);
      const latency = await startCli({ YEASTAR_EMULATOR_LATENCY_MS: "fast" });
      assert.equal(await latency.exited, 1);
      assert.match(latency.stderr(), /YEASTAR_EMULATOR_LATENCY_MS/);
    });
  });
});

/**
 * Runs a separate `node -e` process that gets a token and POSTs the tutorial order, printing
 * "token" after the first step and "answered"/"failed" after the second.
 */
async function runOrderingChild(url: string): Promise<{ pid: number; code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  const script = `
    const url = process.env.EMULATOR_URL;
    const ua = { "User-Agent": "OpenAPI" };
    (async () => {
      const form = new URLSearchParams({ grant_type: "pp_credentials", client_id: process.env.CLIENT_ID, client_secret: process.env.CLIENT_SECRET });
      const t = await fetch(url + ${JSON.stringify(TOKEN_PATH)}, { method: "POST", headers: ua, body: form });
      const token = (await t.json()).result.token;
      process.stdout.write("token\\n");
      await fetch(url + ${JSON.stringify(SAVE_PATH)}, {
        method: "POST",
        headers: { ...ua, Authorization: "Bearer " + token, "Content-Type": "application/json" },
        body: process.env.ORDER_BODY,
      });
      process.stdout.write("answered\\n");
    })().catch(() => { process.stdout.write("failed\\n"); process.exitCode = 3; });
  `;
  const child = spawn(process.execPath, ["-e", script], {
    env: { ...process.env, EMULATOR_URL: url, CLIENT_ID: EMULATOR_CLIENT_ID, CLIENT_SECRET: EMULATOR_CLIENT_SECRET, ORDER_BODY: TUTORIAL_ORDER_BODY },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout?.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on("close", (c, s) => r([c, s])));
  assert.ok(child.pid !== undefined);
  return { pid: child.pid, code, signal, stdout };
}
