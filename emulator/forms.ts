/**
 * Form bodies of the token endpoint: `application/x-www-form-urlencoded` and `multipart/form-data`.
 * Both parsers return `undefined` for a body that is not well-formed. The first value of a repeated field wins.
 */

/** The media type of a Content-Type header, lower-cased, without parameters ("" when absent). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

export function parseUrlEncoded(body: string): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  try {
    for (const [key, value] of new URLSearchParams(body)) if (!(key in fields)) fields[key] = value;
  } catch {
    return undefined;
  }
  return fields;
}

export function parseMultipart(body: Buffer, contentType: string): Record<string, string> | undefined {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) return undefined;
  const text = body.toString("utf8");
  const delimiter = `--${boundary}`;
  const chunks = text.split(delimiter);
  if (chunks.length < 2) return undefined;
  const fields: Record<string, string> = {};
  let closed = false;
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith("--")) {
      closed = true;
      break;
    }
    const part = chunk.startsWith("\r\n") ? chunk.slice(2) : chunk;
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd < 0) return undefined;
    const headerLines = part.slice(0, headerEnd).split("\r\n");
    let value = part.slice(headerEnd + 4);
    if (value.endsWith("\r\n")) value = value.slice(0, -2);
    const disposition = headerLines.find((line) => /^content-disposition\s*:/i.test(line));
    const name = disposition ? /;\s*name="([^"]*)"/i.exec(disposition)?.[1] : undefined;
    if (name === undefined) return undefined;
    if (!(name in fields)) fields[name] = value;
  }
  return closed ? fields : undefined;
}
