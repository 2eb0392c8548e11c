/**
 * What one provider process shares across all its resources: the settings read in `configure`,
 * one HTTP client, one token, and single-flight caches of catalogue-like look-ups.
 */
import type { BillingContact } from "./api-schemas";
import { TokenManager } from "./auth";
import { listBillingContacts } from "./billing";
import { PartnerClient, type FetchLike } from "./client";
import { resolveSettings, type ConfigLookup, type ProviderSettings } from "./config";

export interface SessionOptions {
  fetch?: FetchLike;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class Session {
  readonly client: PartnerClient;
  readonly tokens: TokenManager;
  private billingContacts: Promise<BillingContact[]> | undefined;

  constructor(
    readonly settings: ProviderSettings,
    options: SessionOptions = {},
  ) {
    this.client = new PartnerClient({
      baseUrl: settings.baseUrl,
      secrets: [settings.clientSecret],
      ...(options.fetch && { fetch: options.fetch }),
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      ...(options.sleep && { sleep: options.sleep }),
    });
    this.tokens = new TokenManager(this.client, settings.clientId, settings.clientSecret);
    this.client.useTokens(this.tokens);
  }

  /** The billing contact list, fetched once per process; a failure is not cached. */
  billingContactList(): Promise<BillingContact[]> {
    if (!this.billingContacts) {
      this.billingContacts = listBillingContacts(this.client).catch((err: unknown) => {
        this.billingContacts = undefined;
        throw err;
      });
    }
    return this.billingContacts;
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
