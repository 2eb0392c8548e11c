/**
 * Access and refresh tokens (reference section 3): JWT-shaped, random, signed with a per-emulator key.
 * Access tokens live `tokenTtlSeconds` (default 30 min), refresh tokens 15 days, both by the injected clock.
 */
import { createHmac, randomBytes } from "node:crypto";

export const REFRESH_TOKEN_TTL_SECONDS = 15 * 24 * 60 * 60;

export type TokenKind = "access" | "refresh";
export type TokenCheck = "ok" | "unknown" | "expired" | "revoked" | "wrong_kind";

interface TokenRecord {
  kind: TokenKind;
  expiresAt: number; // ms epoch
  revoked: boolean;
}

export interface IssuedTokens {
  token: string;
  refreshToken: string;
  expiresInSeconds: number;
}

export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly signingKey = randomBytes(32);

  constructor(
    private readonly clock: () => number,
    private readonly accessTtlSeconds: number,
    private readonly clientId: string,
  ) {}

  /** Issues a fresh access + refresh token pair. */
  issue(): IssuedTokens {
    const now = this.clock();
    const accessJti = randomBytes(20).toString("base64");
    const token = this.mint("access", now, this.accessTtlSeconds, accessJti);
    const refreshToken = this.mint("refresh", now, REFRESH_TOKEN_TTL_SECONDS, accessJti);
    return { token, refreshToken, expiresInSeconds: this.accessTtlSeconds };
  }

  check(token: string, expected: TokenKind): TokenCheck {
    const record = this.tokens.get(token);
    if (!record) return "unknown";
    if (record.kind !== expected) return "wrong_kind";
    if (record.revoked) return "revoked";
    if (this.clock() >= record.expiresAt) return "expired";
    return "ok";
  }

  revokeAll(): void {
    for (const record of this.tokens.values()) record.revoked = true;
  }

  all(): string[] {
    return [...this.tokens.keys()];
  }

  private mint(kind: TokenKind, now: number, ttlSeconds: number, accessJti: string): string {
    const user = {
      expr: "0",
      type: "partner",
      ucId: "3076915454468767744",
      userCode: "Partner",
      userId: "3076915454489739264",
      username: "partner@emulator.invalid",
    };
    const claims: Record<string, unknown> = {
      aud: ["res1"],
      "X-MS-USER": JSON.stringify(user),
      user_name: user.username,
      scope: ["all"],
      exp: Math.floor((now + ttlSeconds * 1000) / 1000),
      token_type: kind === "access" ? "openapi" : "refresh",
      jti: kind === "access" ? accessJti : randomBytes(20).toString("base64"),
      authorities: ["79"],
      client_id: this.clientId,
    };
    if (kind === "refresh") claims["ati"] = accessJti;
    const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
    const body = b64url(JSON.stringify(claims));
    const signature = createHmac("sha256", this.signingKey).update(`${head}.${body}`).digest("base64url");
    const token = `${head}.${body}.${signature}`;
    this.tokens.set(token, { kind, expiresAt: now + ttlSeconds * 1000, revoked: false });
    return token;
  }
}

function b64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}
