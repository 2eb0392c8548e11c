/**
 * Transport: a node:http server on loopback that reads each request, records it, hands it to the
 * dispatcher and writes the `Reply` (envelope, raw body or dropped connection).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Dispatcher, RequestContext } from "./dispatcher";
import { envelopeText, newRequestId, type EnvelopeReply, type Reply } from "./envelope";
import type { EmulatorState } from "./state";
import type { RecordedRequest } from "./types";

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpTransport {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function listen(state: EmulatorState, dispatcher: Dispatcher): Promise<HttpTransport> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => serve(state, dispatcher, requests, req, res, body))
      .catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(state.config.port, state.config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= closeServer(server));
  return { url: `http://${host}:${port}`, requests, close };
}

/** The body, or `undefined` when it exceeds MAX_BODY_BYTES (the rest is drained and discarded). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function serve(
  state: EmulatorState,
  dispatcher: Dispatcher,
  requests: RecordedRequest[],
  req: IncomingMessage,
  res: ServerResponse,
  rawBody: Buffer | undefined,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  const body = rawBody ?? Buffer.alloc(0);
  const record: RecordedRequest = { method: req.method ?? "", path: url.pathname, query, headers, body: body.toString("utf8"), status: 0, code: "", at: state.config.clock() };
  requests.push(record);
  const requestId = newRequestId();

  let reply: Reply;
  if (rawBody === undefined) {
    reply = { kind: "envelope", status: 413, code: "payload_too_large", detailMessage: `The request body exceeds ${MAX_BODY_BYTES} bytes`, result: null };
  } else {
    const ctx: RequestContext = {
      method: record.method,
      path: record.path,
      query,
      headers,
      rawBody: body,
      body: record.body,
      state,
      requestId,
      endpoint: "unknown",
      seq: 0,
      params: {},
      committed: undefined,
      commit(order) {
        state.ledger.add(order);
        ctx.committed = order;
      },
    };
    try {
      reply = await dispatcher.dispatch(ctx);
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      reply = { kind: "envelope", status: 500, code: "internal_error", detailMessage: `Emulator error: ${detail}`, result: null };
    }
  }
  write(state, res, record, reply, requestId);
}

function write(state: EmulatorState, res: ServerResponse, record: RecordedRequest, reply: Reply, requestId: string): void {
  record.code = reply.code;
  if (reply.kind === "drop") {
    res.socket?.destroy();
    return;
  }
  const { status, headers, body } = reply.kind === "raw" ? reply : envelopeResponse(state, reply, requestId);
  record.status = status;
  res.writeHead(status, { ...headers, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function envelopeResponse(state: EmulatorState, reply: EnvelopeReply, requestId: string): { status: number; headers: Record<string, string>; body: string } {
  const status = state.config.errorHttpStatus === "always200" ? 200 : reply.status;
  return { status, headers: { "Content-Type": "application/json;charset=UTF-8", ...reply.headers }, body: envelopeText(reply, requestId) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}
