/**
 * The HotelModuleLicense provider: check, diff, create, read, update, delete. Loaded at run time
 * by the small serialized shim in `resource.ts`, so none of this code is stored in state.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { warn } from "./diagnostics";
import { ConfigError, PartnerApiError } from "./errors";
import { UNKNOWN_VALUE, validateInputs, type LicenseInputs } from "./inputs";
import { getOrderDetails } from "./orders";
import { readStoredOutputs, type LicenseOutputs } from "./outputs";
import { ensureHotelModule } from "./purchase";
import { SessionHolder, type Session } from "./session";

type Props = Record<string, unknown>;

/**
 * Inputs that only matter when buying: once the licence is bought, changing them is no change
 * (nothing to update, nothing to spend). Compared on old and new inputs, which `check` gets.
 */
const PURCHASE_ONLY_INPUTS = ["serviceId", "billingContactId", "billingContactEmail", "adoptExisting", "existingOrderId"] as const;

function requireValid(props: Props): LicenseInputs {
  const checked = validateInputs(props);
  if (!checked.ok) throw new Error(checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
  return checked.inputs;
}

/** True when the API says, for certain, that the order does not exist. */
function isDefinitelyNotFound(err: unknown): boolean {
  return err instanceof PartnerApiError && err.kind === "api" && (err.status === 404 || /not[_ ]?found|not[_ ]?exist/i.test(err.code ?? ""));
}

export class HotelModuleProvider implements dynamic.ResourceProvider {
  constructor(private readonly sessions: SessionHolder = new SessionHolder()) {}

  async configure(req: dynamic.ConfigureRequest): Promise<void> {
    this.sessions.configure((key) => req.config.get(key));
  }

  async check(olds: Props, news: Props): Promise<dynamic.CheckResult> {
    const failures: dynamic.CheckFailure[] = [];
    const checked = validateInputs(news);
    if (!checked.ok) failures.push(...checked.failures);
    let session: Session | undefined;
    try {
      session = this.sessions.get();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      failures.push({ property: "yeastar", reason: err.message });
    }
    const changedPurchaseInputs = PURCHASE_ONLY_INPUTS.filter((k) => olds.productNo !== undefined && olds.productNo === news.productNo && olds[k] !== news[k]);
    if (checked.ok && changedPurchaseInputs.length > 0) {
      warn(
        `${changedPurchaseInputs.join(", ")} changed for SN ${checked.inputs.productNo}: the Hotel Module is already bought, so nothing is ordered or changed; the new value applies only to a future purchase (a new SN)`,
      );
    }
    if (
      checked.ok &&
      session &&
      olds.productNo !== checked.inputs.productNo &&
      checked.inputs.existingOrderId === undefined &&
      checked.inputs.productNo !== UNKNOWN_VALUE
    ) {
      // The only step that spends money: say so at preview, per resource.
      warn(
        session.settings.purchasingEnabled
          ? `\`pulumi up\` will buy the Hotel Module for SN ${checked.inputs.productNo}, unless the SN already has a live Hotel Module order (then it is adopted)`
          : `\`pulumi up\` would buy the Hotel Module for SN ${checked.inputs.productNo}, but buying is not enabled for this stack: run \`pulumi config set yeastar:purchasing enabled\` to allow it`,
      );
    }
    return { inputs: news, failures };
  }

  async diff(_id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
    const old = readStoredOutputs(olds);
    const next = validateInputs(news);
    if (!next.ok) return { changes: true };
    if (next.inputs.productNo !== old.productNo) {
      // A new device needs a new licence; the old one stays on the old PBX (no refund exists).
      return { changes: true, replaces: ["productNo"] };
    }
    // Purchase-only inputs (serviceId, billing contact, adoption) change nothing once bought.
    return { changes: olds.__provider !== news.__provider };
  }

  async create(inputs: Props): Promise<dynamic.CreateResult> {
    const wanted = requireValid(inputs);
    const outs = await ensureHotelModule(this.sessions.get(), wanted, inputs.__provider);
    return { id: outs.orderId, outs };
  }

  async read(id: string, props: Props): Promise<dynamic.ReadResult> {
    const old = readStoredOutputs(props);
    const outs = await this.refreshed(this.sessions.get(), id, old);
    if (outs.orderStatus === "refunded" || outs.orderStatus === "cancelled") {
      warn(
        `Hotel Module order ${outs.orderNo || id} for SN ${outs.productNo} is now ${outs.orderStatus}: the PBX may no longer hold the licence. The resource stays in state; buy again deliberately by replacing it (\`pulumi up --replace <urn>\`)`,
      );
    }
    return { id, props: outs };
  }

  /**
   * The stored outputs brought up to date: from the order list read once per process when it
   * holds what is needed (so refreshing a fleet costs a few pages, not a request per licence),
   * else from Get Order Details. A definite "not found" is refused, never turned into "gone".
   */
  private async refreshed(session: Session, id: string, old: LicenseOutputs): Promise<LicenseOutputs> {
    const listed = old.orderNo && old.instanceId ? await session.history.find(id) : undefined;
    if (listed?.orderStatus && (!listed.productNo || listed.productNo === old.productNo)) {
      return { ...old, orderStatus: listed.orderStatus, orderNo: listed.orderNo ?? old.orderNo };
    }
    let details;
    try {
      details = await getOrderDetails(session.client, id);
    } catch (err) {
      if (isDefinitelyNotFound(err)) {
        // Dropping the resource would make the next `up` buy again: refuse, and say so.
        throw new Error(
          `Hotel Module order ${id} for SN ${old.productNo} was not found by the Partner API (${(err as Error).message}); the resource is kept in state so that nothing is bought again. If the licence is really gone, remove it with \`pulumi state delete\` and run \`pulumi up\` to buy a new one`,
        );
      }
      throw err;
    }
    const info = details.orderInformation;
    return {
      ...old,
      productNo: details.basicInformation?.productNo ?? old.productNo,
      orderNo: info?.orderNo ?? old.orderNo,
      orderStatus: info?.orderStatus ?? old.orderStatus,
      transactionNo: info?.transactionNo ?? old.transactionNo,
      instanceId: info?.instanceId ?? old.instanceId,
    };
  }

  async update(_id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult> {
    const old = readStoredOutputs(olds);
    const next = requireValid(news);
    // Every output must be returned: the SDK wipes the ones update leaves out.
    let outs: LicenseOutputs = { ...old };
    if (!old.orderStatus || !old.orderNo) {
      // A create that failed after ordering left partial outputs: complete them, never order.
      outs = await this.refreshed(this.sessions.get(), old.orderId, old);
    }
    if (next.billingContactEmail !== undefined) outs.billingContactEmail = next.billingContactEmail;
    else delete outs.billingContactEmail;
    return { outs };
  }

  async delete(id: string, props: Props): Promise<void> {
    const old = readStoredOutputs(props);
    // The Partner API has no refund or cancel endpoint: the licence stays on the PBX.
    warn(
      `Hotel Module order ${old.orderNo || id} for SN ${old.productNo} is removed from the stack only: the Partner API has no refund, so the licence stays on the PBX and nothing is refunded`,
    );
  }
}

/** The process-wide provider instance the serialized shim delegates to. */
export const hotelModuleProvider = new HotelModuleProvider();
