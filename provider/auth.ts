/**
 * Access tokens, shared by every resource in the provider process: one login, refreshed before
 * its 30 minutes run out, single-flight so that a hundred concurrent creates wait on one request.
 */
import { tokenSchema, type TokenDetails } from "./api-schemas";
import type { PartnerClient, TokenSource } from "./client";
import { PartnerApiError } from "./errors";

export const TOKEN_PATH = "/auth/openapi/v1/oauth/token";

/** Documented lifetimes (§3.3). */
const ACCESS_TOKEN_LIFETIME_S = 30 * 60;
const REFRESH_TOKEN_LIFETIME_MS = 15 * 24 * 3600 * 1000;
/** Renew this long before expiry, so a token never dies in flight. */
const RENEW_MARGIN_MS = 2 * 60 * 1000;

interface HeldToken {
  token: string;
  refreshToken: string | undefined;
  renewAt: number;
  refreshUsableUntil: number;
}

export class TokenManager implements TokenSource {
  private held: HeldToken | undefined;
  private pending: Promise<HeldToken> | undefined;
  /** Token calls made (logins and refreshes), for tests and benchmarks. */
  issued = 0;

  constructor(
    private readonly client: PartnerClient,
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly now: () => number = Date.now,
  ) {}

  async token(): Promise<string> {
    const held = this.held;
    if (held && this.now() < held.renewAt) return held.token;
    if (!this.pending) {
      this.pending = this.obtain(held).finally(() => {
        this.pending = undefined;
      });
    }
    return (await this.pending).token;
  }

  invalidate(token: string): void {
    if (this.held?.token === token) this.held = { ...this.held, renewAt: 0 };
  }

  private async obtain(previous: HeldToken | undefined): Promise<HeldToken> {
    if (previous?.refreshToken && this.now() < previous.refreshUsableUntil) {
      try {
        return await this.call({ grant_type: "refresh_token", refresh_token: previous.refreshToken });
      } catch (err) {
        // A refused refresh token (rotated, revoked) is not fatal: log in again below.
        if (!(err instanceof PartnerApiError) || err.kind !== "api") throw err;
      }
    }
    return this.call({ grant_type: "pp_credentials", client_id: this.clientId, client_secret: this.clientSecret });
  }

  private async call(form: Record<string, string>): Promise<HeldToken> {
    this.issued++;
    let details: TokenDetails;
    try {
      ({ result: details } = await this.client.request({ method: "POST", path: TOKEN_PATH, form, auth: false, idempotent: true, schema: tokenSchema }));
    } catch (err) {
      if (
        err instanceof PartnerApiError &&
        err.kind === "api" &&
        form.grant_type === "pp_credentials" &&
        (err.status === 401 || err.status === 403 || err.status === 400)
      ) {
        throw err.withHint(
          "check yeastar:clientId and yeastar:clientSecret (Partner Portal → System → API; a reset makes a new secret) and that API access is switched on for the account",
        );
      }
      throw err;
    }
    this.client.addSecret(details.token);
    if (details.refreshToken) this.client.addSecret(details.refreshToken);
    const now = this.now();
    const lifetimeMs = (details.expiresIn ?? ACCESS_TOKEN_LIFETIME_S) * 1000;
    const held: HeldToken = {
      token: details.token,
      refreshToken: details.refreshToken,
      renewAt: now + Math.max(lifetimeMs - RENEW_MARGIN_MS, lifetimeMs / 2),
      refreshUsableUntil: now + REFRESH_TOKEN_LIFETIME_MS - RENEW_MARGIN_MS,
    };
    this.held = held;
    return held;
  }
}
