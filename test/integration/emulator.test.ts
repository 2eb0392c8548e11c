import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseJson, type JsonValue } from "../../provider/json";
import {
  DEFAULT_DEVICES,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  HOTEL_MODULE_SERVICE_ID,
  HOTEL_PMS_SERVICE_ID,
  SECOND_BILLING_CONTACT_ID,
  TUTORIAL_BILLING_CONTACT_ID,
  TUTORIAL_SN,
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from "../../emulator";
import { TUTORIAL_ORDER_BODY } from "../support/tutorial";
import { launchEmulator } from "../../emulator/launch";

const UA = { "User-Agent": "OpenAPI" };
const TOKEN_PATH = "/auth/openapi/v1/oauth/token";
const SAVE_PATH = "/order/openapi/order/v1/save";
const INFO_PATH = "/pricing/openapi/purchase/v1/purchase_product_info";

type JsonObject = { [key: string]: JsonValue };

interface Answer {
  status: number;
  text: string;
  headers: Headers;
  env: JsonObject;
  result: JsonValue;
}

function obj(v: JsonValue | undefined): JsonObject {
  assert.ok(typeof v === "object" && v !== null && !Array.isArray(v), `expected an object, got ${String(v)}`);
  return v;
}

function arr(v: JsonValue | undefined): JsonValue[] {
  assert.ok(Array.isArray(v), `expected an array, got ${String(v)}`);
  return v;
}

async function call(
  em: RunningEmulator,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string | URLSearchParams | FormData } = {},
): Promise<Answer> {
  const res = await fetch(em.url + path, { method, headers: init.headers ?? {}, ...(init.body !== undefined ? { body: init.body } : {}) });
  const text = await res.text();
  const env = obj(parseJson(text));
  return { status: res.status, text, headers: res.headers, env, result: env["result"] ?? null };
}

function form(fields: Record<string, string>): URLSearchParams {
  return new URLSearchParams(fields);
}

async function login(em: RunningEmulator): Promise<{ token: string; refreshToken: string }> {
  const a = await call(em, "POST", TOKEN_PATH, {
    headers: UA,
    body: form({ grant_type: "pp_credentials", client_id: EMULATOR_CLIENT_ID, client_secret: EMULATOR_CLIENT_SECRET }),
  });
  assert.equal(a.env["code"], "success", a.text);
  const r = obj(a.result);
  return { token: r["token"] as string, refreshToken: r["refreshToken"] as string };
}

async function authed(em: RunningEmulator, token: string, method: string, path: string, body?: string): Promise<Answer> {
  const headers: Record<string, string> = { ...UA, Authorization: `Bearer ${token}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return call(em, method, path, body !== undefined ? { headers, body } : { headers });
}

function assertError(a: Answer, status: number, code: string): void {
  assert.equal(a.env["code"], code, a.text);
  assert.equal(a.env["status"], status, a.text);
  assert.equal(a.status, status, a.text);
  assert.equal(typeof a.env["detailMessage"], "string");
  assert.notEqual(a.env["detailMessage"], "");
  assert.match(a.env["requestId"] as string, /^[0-9a-f]{32}$/);
}

function assertValidation(a: Answer, field: string, tag: string): void {
  assertError(a, 400, "parameter_validation_failed");
  assert.deepEqual(a.result, { field, tag });
}

function tutorialWith(replace: [string, string]): string {
  assert.ok(TUTORIAL_ORDER_BODY.includes(replace[0]), `tutorial body has no ${replace[0]}`);
  return TUTORIAL_ORDER_BODY.replace(replace[0], replace[1]);
}

/** Sends a request without any User-Agent header (fetch always adds one). */
function requestWithoutUserAgent(em: RunningEmulator, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(em.url + path, { method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("Yeastar Partner API emulator", function () {
  let em: RunningEmulator;
  let now: number;
  const extra: RunningEmulator[] = [];

  async function start(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
    const e = await startEmulator({ clock: () => now, ...opts });
    extra.push(e);
    return e;
  }

  beforeEach(async function () {
    now = Date.UTC(2025, 0, 15, 12, 0, 0);
    em = await startEmulator({ clock: () => now });
  });

  afterEach(async function () {
    await em.close();
    while (extra.length > 0) await extra.pop()?.close();
  });

  describe("envelope and transport", function () {
    it("listens on loopback with a URL without trailing slash", function () {
      assert.match(em.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it("answers an unknown path with a 404 error envelope", async function () {
      const { token } = await login(em);
      assertError(await authed(em, token, "GET", "/order/openapi/order/v1/nope"), 404, "not_found");
      assertError(await call(em, "GET", "/", { headers: UA }), 404, "not_found");
    });

    it("answers a wrong method with a 405 error envelope and an Allow header", async function () {
      const { token } = await login(em);
      const a = await authed(em, token, "GET", SAVE_PATH);
      assertError(a, 405, "method_not_allowed");
      assert.equal(a.headers.get("allow"), "POST");
      assertError(await call(em, "GET", TOKEN_PATH, { headers: UA }), 405, "method_not_allowed");
    });

    it("refuses a request without User-Agent with a 400 error envelope", async function () {
      const a = await requestWithoutUserAgent(em, "/pricing/openapi/purchase/v1/product_list");
      assert.equal(a.status, 400);
      const env = obj(parseJson(a.body));
      assert.equal(env["code"], "user_agent_required");
      assert.equal(env["status"], 400);
      const token = await call(em, "POST", TOKEN_PATH, {
        headers: { "User-Agent": "" },
        body: form({ grant_type: "pp_credentials", client_id: EMULATOR_CLIENT_ID, client_secret: EMULATOR_CLIENT_SECRET }),
      });
      assertError(token, 400, "user_agent_required");
    });

    it("in always200 mode sends HTTP 200 for errors but keeps the real status in the envelope", async function () {
      const e = await start({ errorHttpStatus: "always200" });
      const a = await call(e, "GET", "/pricing/openapi/purchase/v1/product_list", { headers: UA });
      assert.equal(a.status, 200);
      assert.equal(a.env["code"], "unauthorized");
      assert.equal(a.env["status"], 401);
      const missing = await call(e, "GET", "/nothing/here", { headers: UA });
      assert.equal(missing.status, 200);
      assert.equal(missing.env["status"], 404);
    });

    it("records every request, refused ones included, with status and envelope code", async function () {
      await requestWithoutUserAgent(em, "/x");
      const { token } = await login(em);
      await authed(em, token, "GET", "/pricing/openapi/purchase/v1/product_list?x=1");
      await call(em, "GET", "/pricing/openapi/purchase/v1/product_list", { headers: UA });
      await authed(em, token, "POST", SAVE_PATH, TUTORIAL_ORDER_BODY);
      const seen = em.requests.map((r) => [r.method, r.path, r.status, r.code]);
      assert.deepEqual(seen, [
        ["GET", "/x", 400, "user_agent_required"],
        ["POST", TOKEN_PATH, 200, "success"],
        ["GET", "/pricing/openapi/purchase/v1/product_list", 200, "success"],
        ["GET", "/pricing/openapi/purchase/v1/product_list", 401, "unauthorized"],
        ["POST", SAVE_PATH, 200, "success"],
      ]);
      const list = em.requests[2];
      assert.ok(list);
      assert.deepEqual(list.query, { x: "1" });
      assert.equal(list.headers["authorization"], `Bearer ${token}`);
      assert.equal(list.headers["user-agent"], "OpenAPI");
      assert.equal(list.at, now);
      assert.equal(em.requests[4]?.body, TUTORIAL_ORDER_BODY);
      em.clearRequests();
      assert.equal(em.requests.length, 0);
    });
  });

  describe("tokens", function () {
    it("issues a token for urlencoded credentials with expiresIn as a string", async function () {
      const a = await call(em, "POST", TOKEN_PATH, {
        headers: UA,
        body: form({ grant_type: "pp_credentials", client_id: EMULATOR_CLIENT_ID, client_secret: EMULATOR_CLIENT_SECRET }),
      });
      assert.equal(a.status, 200);
      assert.equal(a.env["code"], "success");
      assert.equal(a.env["detailMessage"], "");
      assert.equal(a.env["status"], 200);
      assert.match(a.env["requestId"] as string, /^[0-9a-f]{32}$/);
      assert.deepEqual(Object.keys(a.env), ["code", "detailMessage", "requestId", "result", "status"]);
      const r = obj(a.result);
      assert.equal(r["expiresIn"], "1800");
      assert.match(a.text, /"expiresIn":"1800"/);
      assert.equal(r["tokenHead"], "Bearer ");
      assert.match(r["token"] as string, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.match(r["refreshToken"] as string, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.notEqual(r["token"], r["refreshToken"]);
    });

    it("issues a token for multipart/form-data credentials", async function () {
      const body = new FormData();
      body.set("grant_type", "pp_credentials");
      body.set("client_id", EMULATOR_CLIENT_ID);
      body.set("client_secret", EMULATOR_CLIENT_SECRET);
      const a = await call(em, "POST", TOKEN_PATH, { headers: UA, body });
      assert.equal(a.env["code"], "success", a.text);
      assert.ok(em.requests[0]?.headers["content-type"]?.startsWith("multipart/form-data"));
    });

    it("issues distinct tokens on every call and lists them in issuedTokens()", async function () {
      const a = await login(em);
      const b = await login(em);
      assert.notEqual(a.token, b.token);
      assert.notEqual(a.refreshToken, b.refreshToken);
      assert.deepEqual(new Set(em.issuedTokens()), new Set([a.token, a.refreshToken, b.token, b.refreshToken]));
    });

    it("refuses a JSON token body", async function () {
      const a = await call(em, "POST", TOKEN_PATH, {
        headers: { ...UA, "Content-Type": "application/json" },
        body: JSON.stringify({ grant_type: "pp_credentials", client_id: EMULATOR_CLIENT_ID, client_secret: EMULATOR_CLIENT_SECRET }),
      });
      assertError(a, 415, "unsupported_media_type");
    });

    it("refuses wrong credentials, a missing field and an unknown grant type", async function () {
      assertError(
        await call(em, "POST", TOKEN_PATH, {
          headers: UA,
          body: form({ grant_type: "pp_credentials", client_id: EMULATOR_CLIENT_ID, client_secret: "wrong" }),
        }),
        401,
        "invalid_client",
      );
      assertValidation(
        await call(em, "POST", TOKEN_PATH, { headers: UA, body: form({ grant_type: "pp_credentials", client_id: EMULATOR_CLIENT_ID }) }),
        "client_secret",
        "required",
      );
      assertValidation(await call(em, "POST", TOKEN_PATH, { headers: UA, body: form({ client_id: EMULATOR_CLIENT_ID }) }), "grant_type", "required");
      assertError(await call(em, "POST", TOKEN_PATH, { headers: UA, body: form({ grant_type: "client_credentials" }) }), 400, "unsupported_grant_type");
    });

    it("refuses a missing, malformed or unknown bearer token", async function () {
      const path = "/user/openapi/user/v1/client/billing_contact_list";
      assertError(await call(em, "GET", path, { headers: UA }), 401, "unauthorized");
      assertError(await call(em, "GET", path, { headers: { ...UA, Authorization: "Basic abc" } }), 401, "unauthorized");
      assertError(await authed(em, "eyJhbGciOiJIUzI1NiJ9.e30.bm90LWlzc3VlZA", "GET", path), 401, "unauthorized");
      const { refreshToken } = await login(em);
      assertError(await authed(em, refreshToken, "GET", path), 401, "unauthorized");
    });

    it("refuses an expired access token (clock past 30 minutes)", async function () {
      const { token } = await login(em);
      const path = "/pricing/openapi/purchase/v1/product_list";
      now += 1799 * 1000;
      assert.equal((await authed(em, token, "GET", path)).env["code"], "success");
      now += 1000;
      assertError(await authed(em, token, "GET", path), 401, "token_expired");
    });

    it("honours tokenTtlSeconds", async function () {
      const e = await start({ tokenTtlSeconds: 60 });
      const a = await call(e, "POST", TOKEN_PATH, {
        headers: UA,
        body: form({ grant_type: "pp_credentials", client_id: EMULATOR_CLIENT_ID, client_secret: EMULATOR_CLIENT_SECRET }),
      });
      assert.equal(obj(a.result)["expiresIn"], "60");
      now += 60 * 1000;
      assertError(await authed(e, obj(a.result)["token"] as string, "GET", "/pricing/openapi/purchase/v1/product_list"), 401, "token_expired");
    });

    it("refreshes with grant_type=refresh_token, also after the access token expired", async function () {
      const first = await login(em);
      now += 31 * 60 * 1000;
      const a = await call(em, "POST", TOKEN_PATH, { headers: UA, body: form({ grant_type: "refresh_token", refresh_token: first.refreshToken }) });
      assert.equal(a.env["code"], "success", a.text);
      const r = obj(a.result);
      assert.equal(r["expiresIn"], "1800");
      assert.notEqual(r["token"], first.token);
      assert.equal((await authed(em, r["token"] as string, "GET", "/pricing/openapi/purchase/v1/product_list")).env["code"], "success");
    });

    it("refuses an access token as refresh token and a refresh token older than 15 days", async function () {
      const first = await login(em);
      assertError(
        await call(em, "POST", TOKEN_PATH, { headers: UA, body: form({ grant_type: "refresh_token", refresh_token: first.token }) }),
        401,
        "invalid_grant",
      );
      now += 15 * 24 * 3600 * 1000;
      assertError(
        await call(em, "POST", TOKEN_PATH, { headers: UA, body: form({ grant_type: "refresh_token", refresh_token: first.refreshToken }) }),
        401,
        "invalid_grant",
      );
    });

    it("revokeTokens() invalidates every issued access and refresh token", async function () {
      const first = await login(em);
      em.revokeTokens();
      assertError(await authed(em, first.token, "GET", "/pricing/openapi/purchase/v1/product_list"), 401, "token_revoked");
      assertError(
        await call(em, "POST", TOKEN_PATH, { headers: UA, body: form({ grant_type: "refresh_token", refresh_token: first.refreshToken }) }),
        401,
        "invalid_grant",
      );
      const second = await login(em);
      assert.equal((await authed(em, second.token, "GET", "/pricing/openapi/purchase/v1/product_list")).env["code"], "success");
    });
  });

  describe("catalogue and account", function () {
    let token: string;
    beforeEach(async function () {
      token = (await login(em)).token;
    });

    it("lists products 9, 11, 12, 13 and 15 with integer IDs", async function () {
      const a = await authed(em, token, "GET", "/pricing/openapi/purchase/v1/product_list");
      const products = arr(a.result).map(obj);
      for (const id of [9, 11, 12, 13, 15])
        assert.ok(
          products.some((p) => p["productId"] === id),
          `product ${id} missing`,
        );
      assert.deepEqual(
        products.find((p) => p["productId"] === 11),
        { name: "P-Series Appliance Edition", productId: 11 },
      );
    });

    it("lists the Hotel Module and the decoy with bare-number service IDs at the top level", async function () {
      const a = await authed(em, token, "GET", `${INFO_PATH}?productId=11&productNo=${TUTORIAL_SN}`);
      assert.match(a.text, new RegExp(`"serviceId":${HOTEL_MODULE_SERVICE_ID}[,}]`));
      assert.match(a.text, new RegExp(`"serviceId":${HOTEL_PMS_SERVICE_ID}[,}]`));
      const r = obj(a.result);
      assert.equal(typeof r["offeringId"], "string");
      assert.equal(r["productId"], 11);
      assert.equal(r["productNo"], TUTORIAL_SN);
      const services = arr(r["serviceList"]).map(obj);
      const hotel = services.find((s) => s["serviceName"] === "Hotel Module");
      assert.ok(hotel);
      assert.equal(hotel["serviceId"], BigInt(HOTEL_MODULE_SERVICE_ID));
      assert.equal(typeof hotel["pricingServiceId"], "string");
      assert.equal(hotel["purchaseType"], "purchase");
      assert.equal(hotel["billingModel"], "once");
      assert.equal(hotel["billingCycle"], "once");
      assert.ok(services.some((s) => s["serviceName"] === "Hotel PMS Integration" && s["serviceId"] === BigInt(HOTEL_PMS_SERVICE_ID)));
      for (const plan of arr(r["planList"]).map(obj)) {
        assert.equal(typeof plan["planId"], "bigint");
        assert.equal(plan["serviceList"], undefined);
      }
    });

    it("nests the services under each plan in the under-plans layout, with the name key chosen", async function () {
      const e = await start({ catalogLayout: "under-plans", serviceNameKey: "name" });
      const t = (await login(e)).token;
      const a = await authed(e, t, "GET", `${INFO_PATH}?productId=11&productNo=${TUTORIAL_SN}`);
      const r = obj(a.result);
      assert.equal(r["serviceList"], undefined);
      const plans = arr(r["planList"]).map(obj);
      assert.ok(plans.length > 0);
      for (const plan of plans) {
        const services = arr(plan["serviceList"]).map(obj);
        assert.ok(services.some((s) => s["name"] === "Hotel Module" && s["serviceId"] === BigInt(HOTEL_MODULE_SERVICE_ID) && s["serviceName"] === undefined));
      }
      assert.match(a.text, new RegExp(`"serviceId":${HOTEL_MODULE_SERVICE_ID}[,}]`));
    });

    it("validates purchase_product_info parameters and the SN", async function () {
      assertValidation(await authed(em, token, "GET", INFO_PATH), "productId", "required");
      assertValidation(await authed(em, token, "GET", `${INFO_PATH}?productId=eleven&productNo=${TUTORIAL_SN}`), "productId", "integer");
      assertValidation(await authed(em, token, "GET", `${INFO_PATH}?productId=11`), "productNo", "required");
      assertError(await authed(em, token, "GET", `${INFO_PATH}?productId=11&productNo=3631E0000000`), 404, "device_not_found");
      assertError(await authed(em, token, "GET", `${INFO_PATH}?productId=77&productNo=${TUTORIAL_SN}`), 404, "product_not_found");
      const other = await authed(em, token, "GET", `${INFO_PATH}?productId=12`);
      assert.equal(other.env["code"], "success");
      assert.deepEqual(obj(other.result)["serviceList"], []);
    });

    it("lists billing contacts with billingContactId as a string", async function () {
      const a = await authed(em, token, "GET", "/user/openapi/user/v1/client/billing_contact_list");
      assert.match(a.text, new RegExp(`"billingContactId":"${TUTORIAL_BILLING_CONTACT_ID}"`));
      const contacts = arr(a.result).map(obj);
      assert.deepEqual(
        contacts.map((c) => c["billingContactId"]),
        [TUTORIAL_BILLING_CONTACT_ID, SECOND_BILLING_CONTACT_ID],
      );
      for (const key of [
        "city",
        "company",
        "country",
        "emailAddress",
        "firstName",
        "lastName",
        "phoneNumber",
        "remark",
        "stateProvince",
        "street",
        "taxNum",
        "zipCode",
      ]) {
        assert.equal(typeof contacts[0]?.[key], "string", key);
      }
    });

    it("lists subordinate users as an array", async function () {
      const a = await authed(em, token, "GET", "/user/openapi/user/v1/client/partner_list");
      assert.deepEqual(a.result, []);
    });
  });

  describe("Create an Order", function () {
    let token: string;
    beforeEach(async function () {
      token = (await login(em)).token;
    });

    it("accepts the tutorial's order body and answers in the tutorial's shape", async function () {
      const a = await authed(em, token, "POST", SAVE_PATH, TUTORIAL_ORDER_BODY);
      assert.equal(a.status, 200);
      assert.equal(a.env["code"], "success", a.text);
      assert.equal(a.env["detailMessage"], "");
      assert.equal(a.env["status"], 200);
      assert.match(a.env["requestId"] as string, /^[0-9a-f]{32}$/);
      assert.deepEqual(a.result, {
        instanceId: "1139267",
        orderId: "1507959",
        orderNo: "AW3327600636501164032",
        orderStatus: "succeed",
        productNo: "3631E0997265",
        transactionNo: "RS3327600637180641281",
      });
      assert.equal(em.orders.length, 1);
      const order = em.orders[0];
      assert.ok(order);
      assert.equal(order.billingId, TUTORIAL_BILLING_CONTACT_ID);
      assert.deepEqual(order.serviceIds, [HOTEL_MODULE_SERVICE_ID]);
      assert.deepEqual(order.serviceNames, ["Hotel Module"]);
      assert.equal(order.productId, 11);
      assert.equal(order.operationType, "purchase_service");
      assert.equal(order.poNumber, "");
      assert.equal(order.rawBody, TUTORIAL_ORDER_BODY);
      assert.equal(order.requestId, a.env["requestId"]);
      assert.equal(order.createTime, now);
      assert.deepEqual(em.ordersFor(TUTORIAL_SN), [order]);
      assert.deepEqual(em.ordersFor("3631E3418911"), []);
    });

    it("does not refuse a second purchase of the same module and numbers orders upwards", async function () {
      await authed(em, token, "POST", SAVE_PATH, TUTORIAL_ORDER_BODY);
      const second = await authed(em, token, "POST", SAVE_PATH, TUTORIAL_ORDER_BODY);
      assert.equal(second.env["code"], "success");
      const r = obj(second.result);
      assert.equal(r["orderId"], "1507960");
      assert.equal(r["instanceId"], "1139267");
      assert.match(r["orderNo"] as string, /^AW\d{19}$/);
      assert.match(r["transactionNo"] as string, /^RS\d{19}$/);
      assert.notEqual(r["orderNo"], "AW3327600636501164032");
      const other = await authed(em, token, "POST", SAVE_PATH, tutorialWith(['"3631E0997265"', '"3631E3418911"']));
      assert.equal(obj(other.result)["instanceId"], "1139268");
      assert.equal(em.ordersFor(TUTORIAL_SN).length, 2);
    });

    it("starts orders as pending when initialOrderStatus is pending", async function () {
      const e = await start({ initialOrderStatus: "pending" });
      const a = await authed(e, (await login(e)).token, "POST", SAVE_PATH, TUTORIAL_ORDER_BODY);
      assert.equal(obj(a.result)["orderStatus"], "pending");
    });

    it("refuses a rounded billingId", async function () {
      const a = await authed(em, token, "POST", SAVE_PATH, tutorialWith(["3197218168379846218", "3197218168379846000"]));
      assertError(a, 400, "billing_contact_not_found");
      assert.equal(obj(a.result)["value"], "3197218168379846000");
      const b = await authed(em, token, "POST", SAVE_PATH, tutorialWith(["3197218168379846218", "3197218168379846144"]));
      assertError(b, 400, "billing_contact_not_found");
      assert.equal(em.orders.length, 0);
    });

    it("refuses a billingId sent as a string or as a fraction", async function () {
      assertValidation(await authed(em, token, "POST", SAVE_PATH, tutorialWith(["3197218168379846218", '"3197218168379846218"'])), "billingId", "integer");
      assertValidation(await authed(em, token, "POST", SAVE_PATH, tutorialWith(["3197218168379846218", "3.197218168379846218e18"])), "billingId", "integer");
      assertValidation(await authed(em, token, "POST", SAVE_PATH, tutorialWith(["3197218168379846218", "3197218168379846218.5"])), "billingId", "integer");
      assertValidation(await authed(em, token, "POST", SAVE_PATH, tutorialWith(['"billingId": 3197218168379846218,', ""])), "billingId", "required");
      assert.equal(em.orders.length, 0);
    });

    it("accepts the second billing contact", async function () {
      const a = await authed(em, token, "POST", SAVE_PATH, tutorialWith(["3197218168379846218", SECOND_BILLING_CONTACT_ID]));
      assert.equal(a.env["code"], "success", a.text);
      assert.equal(em.orders[0]?.billingId, SECOND_BILLING_CONTACT_ID);
    });

    it("refuses values outside the documented enums", async function () {
      const cases: [[string, string], string][] = [
        [['"purchase_service"', '"buy_service"'], "operationType"],
        [['"serviceType": "service"', '"serviceType": "addon"'], "serviceList[0].serviceType"],
        [['"purchaseType": "purchase"', '"purchaseType": "buy"'], "serviceList[0].purchaseType"],
        [['"billingModel": "once"', '"billingModel": "one-time"'], "serviceList[0].billingModel"],
        [['"billingCycle": "once"', '"billingCycle": "yearly"'], "serviceList[0].billingCycle"],
      ];
      for (const [replace, field] of cases) assertValidation(await authed(em, token, "POST", SAVE_PATH, tutorialWith(replace)), field, "oneof");
      assert.equal(em.orders.length, 0);
    });

    it("refuses other malformed order bodies", async function () {
      assertValidation(await authed(em, token, "POST", SAVE_PATH, tutorialWith(['"productId": 11', '"productId": "11"'])), "productId", "integer");
      assertValidation(
        await authed(em, token, "POST", SAVE_PATH, tutorialWith(['"serviceId": 3299326068732223488', '"serviceId": "3299326068732223488"'])),
        "serviceList[0].serviceId",
        "integer",
      );
      assertValidation(
        await authed(em, token, "POST", SAVE_PATH, tutorialWith(['"multiCycle": 0', '"multiCycle": "0"'])),
        "serviceList[0].multiCycle",
        "integer",
      );
      assertValidation(await authed(em, token, "POST", SAVE_PATH, tutorialWith(['"productNo": "3631E0997265",', ""])), "productNo", "required");
      assertValidation(
        await authed(
          em,
          token,
          "POST",
          SAVE_PATH,
          '{"operationType":"purchase_service","productId":11,"productNo":"3631E0997265","billingId":3197218168379846218,"serviceList":[]}',
        ),
        "serviceList",
        "min",
      );
      assertValidation(
        await authed(em, token, "POST", SAVE_PATH, tutorialWith(['"productNo": "3631E0997265",', '"productNo": "3631E0997265", "poNumber": 42,'])),
        "poNumber",
        "string",
      );
      assertValidation(
        await authed(em, token, "POST", SAVE_PATH, tutorialWith(['"serviceType": "service"', '"serviceType": "plan"'])),
        "serviceList[0].serviceType",
        "operation_type",
      );
      assertValidation(await authed(em, token, "POST", SAVE_PATH, "[1,2]"), "body", "object");
      assertError(await authed(em, token, "POST", SAVE_PATH, "{not json"), 400, "malformed_request_body");
      assert.equal(em.orders.length, 0);
    });

    it("refuses an unknown SN, an unknown or rounded service ID and a pricing mismatch", async function () {
      assertError(await authed(em, token, "POST", SAVE_PATH, tutorialWith(["3631E0997265", "3631E0000000"])), 404, "device_not_found");
      assertError(await authed(em, token, "POST", SAVE_PATH, tutorialWith(["3299326068732223488", "3299326068732223500"])), 400, "service_not_found");
      assertError(await authed(em, token, "POST", SAVE_PATH, tutorialWith(["3299326068732223488", "3299326068732223000"])), 400, "service_not_found");
      assertError(await authed(em, token, "POST", SAVE_PATH, tutorialWith(['"billingModel": "once"', '"billingModel": "recurring"'])), 400, "pricing_mismatch");
      assertError(await authed(em, token, "POST", SAVE_PATH, tutorialWith(['"productId": 11', '"productId": 99'])), 404, "product_not_found");
      assert.equal(em.orders.length, 0);
    });

    it("requires Content-Type application/json", async function () {
      const a = await call(em, "POST", SAVE_PATH, {
        headers: { ...UA, Authorization: `Bearer ${token}`, "Content-Type": "text/plain" },
        body: TUTORIAL_ORDER_BODY,
      });
      assertError(a, 415, "unsupported_media_type");
      const b = await call(em, "POST", SAVE_PATH, {
        headers: { ...UA, Authorization: `Bearer ${token}`, "Content-Type": "application/json; charset=utf-8" },
        body: TUTORIAL_ORDER_BODY,
      });
      assert.equal(b.env["code"], "success");
    });

    it("buys the decoy Hotel PMS Integration under its own name", async function () {
      const a = await authed(em, token, "POST", SAVE_PATH, tutorialWith([HOTEL_MODULE_SERVICE_ID, HOTEL_PMS_SERVICE_ID]));
      assert.equal(a.env["code"], "success", a.text);
      assert.deepEqual(em.orders[0]?.serviceNames, ["Hotel PMS Integration"]);
    });
  });

  describe("orders: list and details", function () {
    let token: string;
    beforeEach(async function () {
      token = (await login(em)).token;
      await authed(em, token, "POST", SAVE_PATH, TUTORIAL_ORDER_BODY);
      now += 1000;
      await authed(em, token, "POST", SAVE_PATH, tutorialWith(['"productNo": "3631E0997265",', '"productNo": "3631E3418911", "poNumber": "PO-7",']));
    });

    it("pages orders newest first with Order_Info fields", async function () {
      const a = await authed(em, token, "GET", "/order/openapi/order/v1/page");
      const r = obj(a.result);
      assert.equal(r["count"], 2);
      assert.equal(r["total"], 2);
      assert.equal(r["pageNo"], 1);
      assert.equal(r["pageSize"], 25);
      assert.equal(r["totalPage"], 1);
      const items = arr(r["results"]).map(obj);
      assert.deepEqual(items[0], {
        createTime: now,
        currencyCode: "USD",
        customReferenceNo: "PO-7",
        id: "1507960",
        invoiceNo: `INV${(em.orders[1]?.orderNo ?? "").slice(2)}`,
        orderNo: em.orders[1]?.orderNo ?? "",
        orderStatus: "succeed",
        productId: "11",
        productNo: "3631E3418911",
      });
      assert.equal(items[1]?.["id"], "1507959");
      assert.equal(items[1]?.["customReferenceNo"], "");
      assert.equal(typeof items[1]?.["createTime"], "number");
    });

    it("honours pageNo and pageSize and refuses invalid values", async function () {
      const a = obj((await authed(em, token, "GET", "/order/openapi/order/v1/page?pageNo=2&pageSize=1&sort=id")).result);
      assert.equal(a["totalPage"], 2);
      assert.deepEqual(
        arr(a["results"]).map((o) => obj(o)["id"]),
        ["1507959"],
      );
      assert.deepEqual(arr(obj((await authed(em, token, "GET", "/order/openapi/order/v1/page?pageNo=3&pageSize=1")).result)["results"]), []);
      assertValidation(await authed(em, token, "GET", "/order/openapi/order/v1/page?pageSize=101"), "pageSize", "max");
      assertValidation(await authed(em, token, "GET", "/order/openapi/order/v1/page?pageSize=0"), "pageSize", "min");
      assertValidation(await authed(em, token, "GET", "/order/openapi/order/v1/page?pageNo=x"), "pageNo", "integer");
    });

    it("omits productNo and productId from list items when orderListIncludesProduct is false", async function () {
      const e = await start({ orderListIncludesProduct: false });
      const t = (await login(e)).token;
      await authed(e, t, "POST", SAVE_PATH, TUTORIAL_ORDER_BODY);
      const item = obj(arr(obj((await authed(e, t, "GET", "/order/openapi/order/v1/page")).result)["results"])[0]);
      assert.equal(item["productNo"], undefined);
      assert.equal(item["productId"], undefined);
      assert.equal(item["id"], "1507959");
    });

    it("finds order details by order ID and by order number", async function () {
      const byId = await authed(em, token, "GET", "/order/openapi/order/v1/get/1507959");
      const byNo = await authed(em, token, "GET", "/order/openapi/order/v1/get/AW3327600636501164032");
      assert.equal(byId.env["code"], "success", byId.text);
      assert.deepEqual(byNo.result, byId.result);
      const r = obj(byId.result);
      assert.deepEqual(r["basicInformation"], { productId: "11", productName: "P-Series Plan for Appliance Edition", productNo: TUTORIAL_SN });
      const billing = obj(r["billingInformation"]);
      assert.equal(billing["billingContactId"], TUTORIAL_BILLING_CONTACT_ID);
      assert.equal(billing["emailAddress"], "partnerexample@outlook.com");
      const info = obj(r["orderInformation"]);
      assert.equal(info["id"], "1507959");
      assert.equal(info["orderNo"], "AW3327600636501164032");
      assert.equal(info["transactionNo"], "RS3327600637180641281");
      assert.equal(info["instanceId"], "1139267");
      assert.equal(info["operationType"], "purchase_service");
      assert.equal(info["orderStatus"], "succeed");
      const line = obj(arr(obj(r["orderSummary"])["serviceList"])[0]);
      assert.equal(line["serviceId"], BigInt(HOTEL_MODULE_SERVICE_ID));
      assert.equal(line["serviceName"], "Hotel Module");
      assert.equal(line["serviceType"], "service");
      assert.equal(line["billingModel"], "once");
      assert.equal(line["multiCycle"], 0);
      assert.match(byId.text, new RegExp(`"serviceId":${HOTEL_MODULE_SERVICE_ID}[,}]`));
    });

    it("answers an unknown order with a 404 order_not_found", async function () {
      assertError(await authed(em, token, "GET", "/order/openapi/order/v1/get/42"), 404, "order_not_found");
      assertError(await authed(em, token, "GET", "/order/openapi/order/v1/get/AW0000000000000000000"), 404, "order_not_found");
    });

    it("reflects setOrderStatus in the list and the details", async function () {
      em.setOrderStatus("AW3327600636501164032", "refunded");
      em.setOrderStatus("1507960", "cancelled");
      const items = arr(obj((await authed(em, token, "GET", "/order/openapi/order/v1/page")).result)["results"]).map(obj);
      assert.deepEqual(
        items.map((o) => o["orderStatus"]),
        ["cancelled", "refunded"],
      );
      assert.equal(obj(obj((await authed(em, token, "GET", "/order/openapi/order/v1/get/1507959")).result)["orderInformation"])["orderStatus"], "refunded");
      assert.throws(() => em.setOrderStatus("nope", "succeed"));
    });
  });

  describe("devices", function () {
    let token: string;
    beforeEach(async function () {
      token = (await login(em)).token;
    });

    it("lists the owned devices of product 11", async function () {
      const r = obj((await authed(em, token, "GET", "/product/openapi/instance_product/v1/client/instance_product_list?productId=11")).result);
      assert.equal(r["total"], DEFAULT_DEVICES.length);
      assert.deepEqual(
        arr(r["results"]).map((d) => obj(d)["productNo"]),
        [...DEFAULT_DEVICES],
      );
      assertValidation(await authed(em, token, "GET", "/product/openapi/instance_product/v1/client/instance_product_list"), "productId", "required");
    });

    it("gives details and model of an owned device and refuses an unknown one", async function () {
      const detail = obj((await authed(em, token, "GET", `/product/openapi/instance_product/v1/detail?productNo=${TUTORIAL_SN}&productId=11`)).result);
      assert.equal(detail["productNo"], TUTORIAL_SN);
      assert.equal(detail["activationStatus"], "activated");
      const model = obj((await authed(em, token, "GET", "/product/openapi/instance/v1/product_model?productNo=3631E3418911&productId=11")).result);
      assert.match(model["productModel"] as string, /^P5[567]0$/);
      assertError(await authed(em, token, "GET", "/product/openapi/instance/v1/product_model?productNo=3631E0000000&productId=11"), 404, "device_not_found");
      assertValidation(await authed(em, token, "GET", "/product/openapi/instance_product/v1/detail?productId=11"), "productNo", "required");
    });

    it('accepts any well-formed SN when devices is "any"', async function () {
      const e = await start({ devices: "any" });
      const t = (await login(e)).token;
      assert.equal((await authed(e, t, "POST", SAVE_PATH, tutorialWith(["3631E0997265", "ABCDEF123456"]))).env["code"], "success");
      assertError(await authed(e, t, "POST", SAVE_PATH, tutorialWith(["3631E0997265", "abc"])), 404, "device_not_found");
      const list = obj((await authed(e, t, "GET", "/product/openapi/instance_product/v1/client/instance_product_list?productId=11")).result);
      assert.deepEqual(
        arr(list["results"]).map((d) => obj(d)["productNo"]),
        ["ABCDEF123456"],
      );
    });

    it("accepts only the configured devices", async function () {
      const e = await start({ devices: ["3631E3418911"] });
      const t = (await login(e)).token;
      assertError(await authed(e, t, "POST", SAVE_PATH, TUTORIAL_ORDER_BODY), 404, "device_not_found");
    });
  });

  describe("dispatcher hook points (for fault injection)", function () {
    it("lets beforeHandle replace the answer with a raw body, per endpoint and request count", async function () {
      const e = await launchEmulator(
        { clock: () => now },
        {
          beforeHandle: (ctx) =>
            ctx.endpoint === "pricing.product_list" && ctx.seq === 2
              ? { kind: "raw", status: 502, code: "injected_html_502", headers: { "Content-Type": "text/html" }, body: "<html>502 Bad Gateway</html>" }
              : undefined,
        },
      );
      extra.push(e);
      const { token } = await login(e);
      const path = "/pricing/openapi/purchase/v1/product_list";
      assert.equal((await authed(e, token, "GET", path)).env["code"], "success");
      const res = await fetch(e.url + path, { headers: { ...UA, Authorization: `Bearer ${token}` } });
      assert.equal(res.status, 502);
      assert.equal(await res.text(), "<html>502 Bad Gateway</html>");
      assert.equal((await authed(e, token, "GET", path)).env["code"], "success");
      assert.deepEqual(
        e.requests.map((r) => r.code),
        ["success", "success", "injected_html_502", "success"],
      );
    });

    it("runs afterCommit once the order is in the ledger, so the connection can drop after the commit", async function () {
      const e = await launchEmulator({ clock: () => now }, { afterCommit: () => ({ kind: "drop", code: "injected_reset_after_commit" }) });
      extra.push(e);
      const { token } = await login(e);
      await assert.rejects(authed(e, token, "POST", SAVE_PATH, TUTORIAL_ORDER_BODY));
      assert.equal(e.orders.length, 1);
      assert.equal(e.requests[1]?.code, "injected_reset_after_commit");
      assert.equal(e.requests[1]?.status, 0);
      assertError(await authed(e, token, "POST", SAVE_PATH, tutorialWith(["3631E0997265", "3631E0000000"])), 404, "device_not_found");
    });
  });

  describe("state file", function () {
    let dir: string;
    beforeEach(function () {
      dir = mkdtempSync(join(tmpdir(), "yeastar-emulator-"));
    });
    afterEach(function () {
      rmSync(dir, { recursive: true, force: true });
    });

    it("persists orders losslessly across restarts and continues the numbering", async function () {
      const stateFile = join(dir, "state.json");
      const first = await start({ stateFile });
      await authed(first, (await login(first)).token, "POST", SAVE_PATH, TUTORIAL_ORDER_BODY);
      first.setOrderStatus("1507959", "refunded");
      await first.close();
      assert.match(readFileSync(stateFile, "utf8"), /"billingId": "3197218168379846218"/);

      const second = await start({ stateFile });
      assert.equal(second.orders.length, 1);
      const order = second.orders[0];
      assert.ok(order);
      assert.equal(order.orderStatus, "refunded");
      assert.equal(order.billingId, TUTORIAL_BILLING_CONTACT_ID);
      assert.deepEqual(order.serviceIds, [HOTEL_MODULE_SERVICE_ID]);
      assert.equal(order.rawBody, TUTORIAL_ORDER_BODY);
      const t = (await login(second)).token;
      const again = obj((await authed(second, t, "POST", SAVE_PATH, TUTORIAL_ORDER_BODY)).result);
      assert.equal(again["orderId"], "1507960");
      assert.equal(again["instanceId"], "1139267");
      const details = await authed(second, t, "GET", "/order/openapi/order/v1/get/AW3327600636501164032");
      assert.match(details.text, new RegExp(`"serviceId":${HOTEL_MODULE_SERVICE_ID}[,}]`));
      await second.close();
      const third = await start({ stateFile });
      assert.deepEqual(
        third.orders.map((o) => o.orderId),
        ["1507959", "1507960"],
      );
    });

    it("starts empty when the state file does not exist yet", async function () {
      const e = await start({ stateFile: join(dir, "missing.json") });
      assert.deepEqual(e.orders, []);
    });
  });

  describe("command line", function () {
    it("prints the listening line first, then credentials, and stops on SIGTERM", async function () {
      const cli = resolve(__dirname, "../../emulator/cli.js");
      const child = spawn(process.execPath, [cli], {
        env: {
          ...process.env,
          YEASTAR_EMULATOR_PORT: "0",
          YEASTAR_EMULATOR_DEVICES: "ABCDEF123456,3631E0997265",
          YEASTAR_EMULATOR_INITIAL_ORDER_STATUS: "pending",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
      const lines = createInterface({ input: child.stdout });
      const received: string[] = [];
      await new Promise<void>((r) => {
        lines.on("line", (line) => {
          received.push(line);
          if (received.length === 4) r();
        });
      });
      const match = /^Yeastar Partner API emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(received[0] ?? "");
      assert.ok(match, received[0]);
      assert.ok(received.includes(`YEASTAR_CLIENT_ID=${EMULATOR_CLIENT_ID}`));
      assert.ok(received.includes(`YEASTAR_CLIENT_SECRET=${EMULATOR_CLIENT_SECRET}`));
      const url = match[1] as string;
      const tokenRes = await fetch(url + TOKEN_PATH, {
        method: "POST",
        headers: UA,
        body: form({ grant_type: "pp_credentials", client_id: EMULATOR_CLIENT_ID, client_secret: EMULATOR_CLIENT_SECRET }),
      });
      const token = obj(obj(parseJson(await tokenRes.text()))["result"])["token"] as string;
      const orderRes = await fetch(url + SAVE_PATH, {
        method: "POST",
        headers: { ...UA, Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: tutorialWith(["3631E0997265", "ABCDEF123456"]),
      });
      assert.equal(obj(obj(parseJson(await orderRes.text()))["result"])["orderStatus"], "pending");
      child.kill("SIGTERM");
      assert.equal(await exited, 0);
    });
  });
});
