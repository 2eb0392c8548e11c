#!/usr/bin/env node
/**
 * `npx yeastar-hotel …`: look up, with the provider's own client, the IDs a stack may pin —
 * the services offered for an SN, the billing contacts, and the orders of an SN. Read-only:
 * it never places an order. Credentials come from YEASTAR_CLIENT_ID / YEASTAR_CLIENT_SECRET
 * (and optionally YEASTAR_BASE_URL), as the provider's environment fallbacks.
 */
import { fetchOfferedServices } from "./catalog";
import { ConfigError, PartnerApiError, ResolutionError } from "./errors";
import { serialNumberProblem } from "./inputs";
import { Session } from "./session";
import { resolveSettings } from "./config";

const USAGE = `usage: yeastar-hotel <command>

  services <SN>   services product 11 offers for the PBX (the Hotel Module's serviceId)
  contacts        billing contacts (billingContactId, e-mail)
  orders <SN>     live Hotel Module orders of the PBX (an existingOrderId to adopt)

Credentials: YEASTAR_CLIENT_ID, YEASTAR_CLIENT_SECRET; YEASTAR_BASE_URL for another endpoint.
Read-only: no command places an order.`;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function requireSn(sn: string | undefined): string {
  const problem = serialNumberProblem(sn);
  if (problem) throw new ResolutionError(problem);
  return sn as string;
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const [command, arg] = argv;
  if (!command || command === "help" || command === "--help" || command === "-h") {
    out(USAGE);
    return command ? 0 : 2;
  }
  const session = new Session(resolveSettings(() => undefined, env));
  switch (command) {
    case "services": {
      const sn = requireSn(arg);
      const offered = await fetchOfferedServices(session.client, sn);
      out(table([["serviceId", "name", "purchaseType"], ...offered.map((s) => [s.serviceId, s.name, s.purchaseType ?? ""])]));
      return 0;
    }
    case "contacts": {
      const contacts = await session.billingContactList();
      out(
        table([
          ["billingContactId", "e-mail", "name", "company"],
          ...contacts.map((c) => [c.billingContactId, c.emailAddress ?? "", [c.firstName, c.lastName].filter(Boolean).join(" "), c.company ?? ""]),
        ]),
      );
      return 0;
    }
    case "orders": {
      const sn = requireSn(arg);
      const orders = await session.history.liveHotelModuleOrders(sn);
      if (orders.length === 0) out(`no live Hotel Module order for SN ${sn}`);
      else
        out(
          table([
            ["orderId", "orderNo", "status", "instanceId", "poNumber"],
            ...orders.map((o) => [o.orderId, o.orderNo, o.orderStatus, o.instanceId, o.customReferenceNo]),
          ]),
        );
      return 0;
    }
    default:
      out(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      return 2;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const known = err instanceof PartnerApiError || err instanceof ConfigError || err instanceof ResolutionError;
      process.stderr.write(`yeastar-hotel: ${known ? (err as Error).message : String(err)}\n`);
      process.exit(1);
    },
  );
}
