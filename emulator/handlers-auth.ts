/** `POST /auth/openapi/v1/oauth/token`: the credentials grant and the refresh grant (reference section 3). */
import type { Route, RequestContext } from "./dispatcher";
import { ApiError, ok, validationError, type Reply } from "./envelope";
import { mediaType, parseMultipart, parseUrlEncoded } from "./forms";

export const tokenRoute: Route = {
  id: "auth.token",
  method: "POST",
  pattern: /^\/auth\/openapi\/v1\/oauth\/token$/,
  auth: false,
  classify: (ctx) => (peekGrantType(ctx) === "refresh_token" ? "auth.token_refresh" : "auth.token"),
  handle: issueToken,
};

/** The form's grant_type, without any check (undefined when the body is not a parsable form). */
function peekGrantType(ctx: RequestContext): string | undefined {
  const contentType = ctx.headers["content-type"] ?? "";
  const type = mediaType(contentType);
  if (type === "application/x-www-form-urlencoded") return parseUrlEncoded(ctx.body)?.["grant_type"];
  if (type === "multipart/form-data") return parseMultipart(ctx.rawBody, contentType)?.["grant_type"];
  return undefined;
}

function issueToken(ctx: RequestContext): Reply {
  const form = readForm(ctx);
  const grantType = required(form, "grant_type");
  const { config, tokens } = ctx.state;
  if (grantType === "pp_credentials") {
    const clientId = required(form, "client_id");
    const clientSecret = required(form, "client_secret");
    if (clientId !== config.clientId || clientSecret !== config.clientSecret) {
      throw new ApiError(401, "invalid_client", "Client authentication failed: unknown client_id or wrong client_secret");
    }
  } else if (grantType === "refresh_token") {
    const refreshToken = required(form, "refresh_token");
    const check = tokens.check(refreshToken, "refresh");
    if (check !== "ok") {
      const why = check === "expired" ? "has expired" : check === "revoked" ? "has been revoked" : "is invalid";
      throw new ApiError(401, "invalid_grant", `The refresh token ${why}; request a new access token with grant_type=pp_credentials`);
    }
  } else {
    throw new ApiError(400, "unsupported_grant_type", `Unsupported grant_type ${JSON.stringify(grantType)}; use pp_credentials or refresh_token`);
  }
  const issued = tokens.issue();
  return ok({ expiresIn: String(issued.expiresInSeconds), refreshToken: issued.refreshToken, token: issued.token, tokenHead: "Bearer " });
}

function readForm(ctx: RequestContext): Record<string, string> {
  const contentType = ctx.headers["content-type"] ?? "";
  const type = mediaType(contentType);
  let form: Record<string, string> | undefined;
  if (type === "application/x-www-form-urlencoded") form = parseUrlEncoded(ctx.body);
  else if (type === "multipart/form-data") form = parseMultipart(ctx.rawBody, contentType);
  else {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `Content-Type ${JSON.stringify(type)} is not supported here; send multipart/form-data or application/x-www-form-urlencoded`,
    );
  }
  if (!form) throw new ApiError(400, "malformed_request_body", `The ${type} body could not be parsed`);
  return form;
}

function required(form: Record<string, string>, field: string): string {
  const value = form[field];
  if (value === undefined || value === "") throw validationError(field, "required", `${field} is required`);
  return value;
}
