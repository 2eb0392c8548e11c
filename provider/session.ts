/**
 * What one provider process shares across all its resources: the settings read in `configure`,
 * one HTTP client, one token, and single-flight caches of catalogue-like look-ups.
 */
import type { BillingContact } from "./api-schemas";
import { TokenManager } from "./auth";
import { listBillingContacts } from "./billing";
import { PartnerClient, type FetchLike } from "./client";
import { resolveSettings, type ConfigLookup, type ProviderSettings } from "./config";
import { OrderHistory } from "./history";
import { fetchOfferedServices, type OfferedService } from "./catalog";
import { SpendGuardError } from "./errors";
import { SingleFlight } from "./memo";

export interface SessionOptions {
  fetch?: FetchLike;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class Session {
  readonly client: PartnerClient;
  readonly tokens: TokenManager;
  readonly history: OrderHistory;
  readonly sleep: (ms: number) => Promise<void>;
  private readonly billingContacts = new SingleFlight<BillingContact[]>();
  private readonly offer = new SingleFlight<OfferedService[]>();
  private readonly perDevice = new Map<string, Promise<unknown>>();
  /** Orders this process placed or is placing (the yeastar:maxOrdersPerRun budget). */
  private ordersReserved = 0;

  constructor(
    readonly settings: ProviderSettings,
    options: SessionOptions = {},
  ) {
    this.client = new PartnerClient({
      baseUrl: settings.baseUrl,
      secrets: [settings.clientSecret],
      maxConcurrency: settings.maxConcurrency,
      ...(options.fetch && { fetch: options.fetch }),
      timeoutMs: options.timeoutMs ?? settings.requestTimeoutMs,
      ...(options.sleep && { sleep: options.sleep }),
    });
    this.tokens = new TokenManager(this.client, settings.clientId, settings.clientSecret);
    this.client.useTokens(this.tokens);
    this.history = new OrderHistory(this.client);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Runs `task` after any earlier task for the same SN has finished, so that two resources
   * for one PBX in the same run cannot both decide to buy.
   */
  exclusive<T>(productNo: string, task: () => Promise<T>): Promise<T> {
    const previous = this.perDevice.get(productNo) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    this.perDevice.set(productNo, tail);
    void tail.then(() => {
      if (this.perDevice.get(productNo) === tail) this.perDevice.delete(productNo);
    });
    return run;
  }

  /**
   * Takes one order from this run's budget, or refuses with the reason and the fix: purchasing
   * must be enabled (implicit for the loopback emulator) and yeastar:maxOrdersPerRun not spent.
   * Returns a function that gives the order back when it surely was not placed.
   * @throws SpendGuardError
   */
  reserveOrder(productNo: string): () => void {
    if (!this.settings.purchasingEnabled) {
      throw new SpendGuardError(
        `buying is not enabled for this stack, so nothing was bought: \`pulumi up\` would buy the Hotel Module for SN ${productNo} (a paid order in the Partner Portal). To allow orders, run \`pulumi config set yeastar:purchasing enabled\``,
      );
    }
    if (this.ordersReserved >= this.settings.maxOrdersPerRun) {
      throw new SpendGuardError(
        `this run may place at most ${this.settings.maxOrdersPerRun} orders (yeastar:maxOrdersPerRun) and has placed them, so the Hotel Module for SN ${productNo} was not bought. Run \`pulumi up\` again to buy the next ones, or raise the limit with \`pulumi config set yeastar:maxOrdersPerRun <n>\``,
      );
    }
    this.ordersReserved++;
    let returned = false;
    return () => {
      if (!returned) this.ordersReserved--;
      returned = true;
    };
  }

  /** The billing contact list, fetched once per process. */
  billingContactList(): Promise<BillingContact[]> {
    return this.billingContacts.get(() => listBillingContacts(this.client));
  }

  /**
   * Product 11's services as offered for the first SN asked about, reused for every SN: the
   * Hotel Module's service ID is a catalogue ID, and an order that rejects it fails clearly.
   */
  offeredServices(productNo: string): Promise<OfferedService[]> {
    return this.offer.get(() => fetchOfferedServices(this.client, productNo));
  }
}

/** Holds the configuration given to `configure` and builds the session from it on first use. */
export class SessionHolder {
  private lookup: ConfigLookup = () => undefined;
  private session: Session | undefined;

  constructor(private readonly options: SessionOptions = {}) {}

  configure(lookup: ConfigLookup): void {
    this.lookup = lookup;
    this.session = undefined;
  }

  /**
   * The session, created on first use.
   * @throws ConfigError naming the `pulumi config set` command for a missing credential
   */
  get(): Session {
    if (!this.session) this.session = new Session(resolveSettings(this.lookup), this.options);
    return this.session;
  }
}
