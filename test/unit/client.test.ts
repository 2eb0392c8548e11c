import assert from "node:assert/strict";
import { z } from "zod";
import { TokenManager } from "../../provider/auth";
import { PartnerClient, type FetchLike } from "../../provider/client";
import { PartnerApiError } from "../../provider/errors";

type Reply = { status: number; body: string; headers?: Record<string, string> } | Error;

/** A fake fetch answering from a script and recording what was sent. */
function scriptedFetch(replies: Reply[]) {
  const sent: { url: string; method: string; headers: Record<string, string>; body: string | undefined }[] = [];
  const fetch: FetchLike = async (url, init) => {
    sent.push({ url, method: init.method, headers: init.headers, body: init.body });
    const reply = replies.shift();
    if (reply === undefined) throw new Error("no scripted reply left");
    if (reply instanceof Error) throw reply;
    const headers = new Map(Object.entries(reply.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    return { status: reply.status, headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null }, text: async () => reply.body };
  };
  return { fetch, sent };
}

const ok = (result: unknown) => ({ status: 200, body: JSON.stringify({ code: "success", detailMessage: "", requestId: "r1", result, status: 200 }) });
const apiError = (status: number, code: string, detailMessage = "", headers?: Record<string, string>) => ({
  status,
  headers,
  body: JSON.stringify({ code, detailMessage, requestId: "r-err", result: {}, status }),
});
const tokenReply = (token: string) => ok({ token, refreshToken: `refresh-${token}`, expiresIn: "1800", tokenHead: "Bearer " });

function clientWith(replies: Reply[]) {
  const script = scriptedFetch(replies);
  const delays: number[] = [];
  const client = new PartnerClient({
    baseUrl: "http://127.0.0.1:1",
    fetch: script.fetch,
    secrets: ["the-client-secret"],
    sleep: async (ms) => void delays.push(ms),
    random: () => 0.5,
  });
  client.useTokens(new TokenManager(client, "cid", "the-client-secret"));
  return { client, sent: script.sent, delays };
}

const get = { method: "GET" as const, path: "/x", auth: true, idempotent: true, schema: z.unknown() };
const post = { method: "POST" as const, path: "/order/openapi/order/v1/save", json: { a: 1n }, auth: true, idempotent: false, schema: z.unknown() };

describe("Partner API client", () => {
  it("sends User-Agent on every request and the bearer token on API calls", async () => {
    const { client, sent } = clientWith([tokenReply("tok1"), ok([])]);
    await client.request(get);
    assert.equal(sent.length, 2);
    for (const req of sent) assert.match(req.headers["User-Agent"] ?? "", /pulumi-yeastar-hotel-module/);
    assert.equal(sent[0]?.headers["Content-Type"], "application/x-www-form-urlencoded");
    assert.equal(sent[0]?.body, "grant_type=pp_credentials&client_id=cid&client_secret=the-client-secret");
    assert.equal(sent[1]?.headers.Authorization, "Bearer tok1");
  });

  it("logs in once for many concurrent requests", async () => {
    const { client, sent } = clientWith([tokenReply("tok1"), ok(1), ok(2), ok(3)]);
    await Promise.all([client.request(get), client.request(get), client.request(get)]);
    assert.equal(sent.filter((r) => r.url.includes("/oauth/token")).length, 1);
  });

  it("retries a read after a 503, a reset connection and a 429 honouring Retry-After", async () => {
    const { client, sent, delays } = clientWith([
      tokenReply("t"),
      apiError(503, "unavailable"),
      new Error("socket hang up"),
      apiError(429, "too_many_requests", "", { "Retry-After": "2" }),
      ok("done"),
    ]);
    const res = await client.request(get);
    assert.equal(res.result, "done");
    assert.equal(sent.length, 5);
    assert.equal(delays[2], 2000);
  });

  it("gives up on a read after the attempt limit", async () => {
    const { client } = clientWith([tokenReply("t"), apiError(500, "e"), apiError(500, "e"), apiError(500, "e"), apiError(500, "e")]);
    await assert.rejects(client.request(get), (err: PartnerApiError) => err.status === 500);
  });

  it("never retries the order POST, whatever the failure", async () => {
    for (const failure of [apiError(503, "unavailable"), new Error("ECONNRESET"), apiError(429, "slow_down")]) {
      const { client, sent } = clientWith([tokenReply("t"), failure, ok("would be a second order")]);
      await assert.rejects(client.request(post), PartnerApiError);
      assert.equal(sent.filter((r) => r.method === "POST" && r.url.endsWith("/save")).length, 1);
    }
  });

  it("refreshes a refused token once and repeats the request", async () => {
    const { client, sent } = clientWith([
      tokenReply("old"),
      apiError(401, "token_expired"),
      ok({ token: "new", refreshToken: "r2", expiresIn: "1800" }),
      ok("after"),
    ]);
    const res = await client.request(post);
    assert.equal(res.result, "after");
    assert.equal(sent[2]?.body, "grant_type=refresh_token&refresh_token=refresh-old");
    assert.equal(sent[3]?.headers.Authorization, "Bearer new");
  });

  it("reports the API's code, detailMessage and requestId, and the fix for bad credentials", async () => {
    const { client } = clientWith([apiError(401, "invalid_client", "client authentication failed")]);
    await assert.rejects(client.request(get), (err: PartnerApiError) => {
      assert.equal(err.code, "invalid_client");
      assert.equal(err.requestId, "r-err");
      assert.match(
        err.message,
        /Yeastar rejected POST \/auth\/openapi\/v1\/oauth\/token: invalid_client "client authentication failed" \(HTTP 401, request r-err\) — check yeastar:clientId and yeastar:clientSecret/,
      );
      return true;
    });
  });

  it("reads an error envelope sent with HTTP 200", async () => {
    const { client } = clientWith([
      tokenReply("t"),
      {
        status: 200,
        body: JSON.stringify({
          code: "parameter_validation_failed",
          detailMessage: "billingId",
          requestId: "abc",
          result: { field: "billingId" },
          status: 400,
        }),
      },
    ]);
    await assert.rejects(
      client.request(post),
      (err: PartnerApiError) => err.kind === "api" && err.status === 400 && err.code === "parameter_validation_failed",
    );
  });

  it("calls an HTML 502 page an unexpected answer with unknown outcome", async () => {
    const { client } = clientWith([tokenReply("t"), { status: 502, body: "<html><body>Bad Gateway</body></html>" }]);
    await assert.rejects(
      client.request(post),
      (err: PartnerApiError) => err.kind === "invalid-response" && err.outcomeUnknown && /Bad Gateway/.test(err.message),
    );
  });

  it("names the field when a result does not match its schema", async () => {
    const { client } = clientWith([tokenReply("t"), ok({ orderId: 1.5 })]);
    await assert.rejects(client.request({ ...get, schema: z.object({ orderId: z.string() }) }), /result\.orderId: Expected string/);
  });

  it("never puts the client secret or a token into an error message", async () => {
    const { client } = clientWith([tokenReply("tok-abcdef"), new Error("connect failed for Bearer tok-abcdef with the-client-secret")]);
    await assert.rejects(client.request(post), (err: PartnerApiError) => {
      assert.doesNotMatch(err.message, /tok-abcdef|the-client-secret/);
      assert.equal(err.kind, "network");
      return true;
    });
  });

  it("times out a request that never answers", async () => {
    const never: FetchLike = (_url, init) => new Promise((_resolve, reject) => init.signal?.addEventListener("abort", () => reject(new Error("aborted"))));
    const client = new PartnerClient({ baseUrl: "http://127.0.0.1:1", fetch: never, timeoutMs: 20 });
    await assert.rejects(client.request({ ...get, auth: false, idempotent: false }), (err: PartnerApiError) => err.kind === "timeout" && err.outcomeUnknown);
  });
});
