/**
 * Admin endpoints under `/__emulator/`: control of a running emulator from another process (fault
 * rules, ledger, token revocation, request log). Plain JSON in and out, no envelope, no auth; not
 * recorded in `requests` and not subject to faults or `latencyMs`. The transport refuses them from
 * non-loopback peers.
 */
import { FaultRuleError, parseFaultRules } from "./fault-rules";
import type { Ledger } from "./ledger";
import { ORDER_STATUSES, type FaultControl, type FaultRule, type OrderStatus, type RecordedRequest } from "./types";

export const ADMIN_PREFIX = "/__emulator/";

export interface AdminDeps {
  readonly faults: FaultControl;
  readonly ledger: Ledger;
  readonly revokeTokens: () => void;
}

export interface AdminRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  /** The transport's request log. */
  readonly requests: RecordedRequest[];
}

export interface AdminReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface AdminRoute {
  readonly pattern: RegExp;
  readonly methods: Readonly<Record<string, (deps: AdminDeps, req: AdminRequest, params: Record<string, string>) => AdminReply>>;
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const ROUTES: readonly AdminRoute[] = [
  {
    pattern: /^\/__emulator\/faults$/,
    methods: {
      GET: (d) => json(200, { rules: d.faults.rules }),
      POST: (d, req) => {
        const rules = rulesFrom(req.body);
        for (const rule of rules) d.faults.add(rule);
        return json(200, { added: rules.length, rules: d.faults.rules });
      },
      DELETE: (d) => {
        d.faults.clear();
        return json(200, { cleared: true });
      },
    },
  },
  { pattern: /^\/__emulator\/faults\/fired$/, methods: { GET: (d) => json(200, d.faults.fired) } },
  { pattern: /^\/__emulator\/orders$/, methods: { GET: (d) => json(200, d.ledger.orders) } },
  {
    pattern: /^\/__emulator\/orders\/(?<id>[^/]+)\/status$/,
    methods: {
      POST: (d, req, params) => {
        const id = decodeURIComponent(params["id"] ?? "");
        const body = parseBody(req.body);
        const status = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)["status"] : undefined;
        if (typeof status !== "string" || !ORDER_STATUSES.includes(status as OrderStatus)) {
          throw new AdminError(400, `body must be {"status": one of ${ORDER_STATUSES.join(", ")}}`);
        }
        if (!d.ledger.find(id)) throw new AdminError(404, `no order with ID or number ${id}`);
        d.ledger.setStatus(id, status as OrderStatus);
        return json(200, d.ledger.find(id));
      },
    },
  },
  {
    pattern: /^\/__emulator\/revoke-tokens$/,
    methods: {
      POST: (d) => {
        d.revokeTokens();
        return json(200, { revoked: true });
      },
    },
  },
  {
    pattern: /^\/__emulator\/requests$/,
    methods: {
      GET: (_d, req) => json(200, req.requests),
      DELETE: (_d, req) => {
        req.requests.length = 0;
        return json(200, { cleared: true });
      },
    },
  },
];

export function isAdminPath(path: string): boolean {
  return path.startsWith(ADMIN_PREFIX) || path === ADMIN_PREFIX.slice(0, -1);
}

export function handleAdmin(deps: AdminDeps, req: AdminRequest): AdminReply {
  const route = ROUTES.find((r) => r.pattern.test(req.path));
  if (!route) return json(404, { error: `no admin endpoint ${req.path}` });
  const handler = route.methods[req.method];
  if (!handler) {
    const allow = Object.keys(route.methods).join(", ");
    return { ...json(405, { error: `use ${allow} on ${req.path}` }), headers: { Allow: allow } };
  }
  try {
    return handler(deps, req, { ...route.pattern.exec(req.path)?.groups });
  } catch (e) {
    if (e instanceof AdminError) return json(e.status, { error: e.message });
    return json(500, { error: e instanceof Error ? e.message : String(e) });
  }
}

/** Every rule of the body, validated before any is added. */
function rulesFrom(body: string): FaultRule[] {
  try {
    return parseFaultRules(parseBody(body));
  } catch (e) {
    if (e instanceof FaultRuleError) throw new AdminError(400, e.message);
    throw e;
  }
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AdminError(400, "the body must be JSON");
  }
}

function json(status: number, body: unknown): AdminReply {
  return { status, body };
}
