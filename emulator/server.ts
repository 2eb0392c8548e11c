/**
 * Transport: a node:http server on loopback that reads each request, records it, hands it to the
 * dispatcher and writes the `Reply` (envelope, raw body or dropped connection). Requests under
 * `/__emulator/` go to the admin handler instead, unrecorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { isAdminPath, type AdminReply, type AdminRequest } from "./admin";
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

export type AdminHandler = (req: AdminRequest) => AdminReply;

export async function listen(state: EmulatorState, dispatcher: Dispatcher, admin?: AdminHandler): Promise<HttpTransport> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => {
        const path = new URL(req.url ?? "/", "http://emulator.invalid").pathname;
        if (admin && isAdminPath(path)) return serveAdmin(admin, requests, req, res, path, body);
        return serve(state, dispatcher, requests, req, res, body);
      })
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
  const record: RecordedRequest = {
    method: req.method ?? "",
    path: url.pathname,
    query,
    headers,
    body: body.toString("utf8"),
    status: 0,
    code: "",
    at: state.config.clock(),
  };
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
      socket: req.socket,
      endpoint: "unknown",
      seq: 0,
      seqAll: 0,
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
  write(state, req.socket, res, record, reply, requestId);
}

function write(state: EmulatorState, socket: Socket, res: ServerResponse, record: RecordedRequest, reply: Reply, requestId: string): void {
  record.code = reply.code;
  if (reply.kind === "drop") {
    if (reply.reset && !socket.destroyed) socket.resetAndDestroy();
    else socket.destroy();
    return;
  }
  if (socket.destroyed || res.destroyed) return; // the client gave up (or the emulator closed) meanwhile; status stays 0
  const { status, headers, body } = reply.kind === "raw" ? reply : envelopeResponse(state, reply, requestId);
  record.status = status;
  res.writeHead(status, { ...headers, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function serveAdmin(admin: AdminHandler, requests: RecordedRequest[], req: IncomingMessage, res: ServerResponse, path: string, body: Buffer | undefined): void {
  let reply: AdminReply;
  if (!isLoopback(req.socket.remoteAddress)) reply = { status: 403, body: { error: "admin endpoints answer loopback clients only" } };
  else if (body === undefined) reply = { status: 413, body: { error: `The request body exceeds ${MAX_BODY_BYTES} bytes` } };
  else reply = admin({ method: req.method ?? "", path, body: body.toString("utf8"), requests });
  const text = JSON.stringify(reply.body) + "\n";
  res.writeHead(reply.status, { ...reply.headers, "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (/^(::ffff:)?127\./.test(address) || address === "::1");
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
