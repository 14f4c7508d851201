/**
 * Reading and vetting a webhook body before anything is stored.
 *
 * - Size: 1 MiB. Real payloads are a few KB; Instantly's are the largest because they carry the
 *   sent email's and the reply's full HTML. The cap bounds memory per request (50 concurrent
 *   deliveries ≤ 50 MiB) and is enforced while streaming, so a lying or absent Content-Length
 *   cannot get more than the cap read.
 * - Storability: Postgres `jsonb` refuses NUL (\u0000) and unpaired UTF-16 surrogates, both of which
 *   JSON.parse accepts, and very deep nesting costs stack in every later consumer. Such bodies are
 *   refused here with a reason rather than failing later inside an INSERT as a 500.
 */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;
export const MAX_JSON_DEPTH = 32;

export type BodyRead = { ok: true; bytes: Buffer } | { ok: false; tooLarge: true };

export async function readCappedBody(request: Request, maxBytes = MAX_WEBHOOK_BODY_BYTES): Promise<BodyRead> {
  const header = request.headers.get("content-length");
  const declared = header === null ? NaN : Number(header);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, tooLarge: true };
  if (!request.body) return { ok: true, bytes: Buffer.alloc(0) };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, tooLarge: true };
    }
    chunks.push(value);
  }
  return { ok: true, bytes: Buffer.concat(chunks, size) };
}

/** `application/json`, `application/json; charset=utf-8`, `application/*+json`; a missing header is tolerated. */
export function isJsonContentType(header: string | null): boolean {
  if (header === null || header.trim() === "") return true;
  const type = header.split(";", 1)[0]!.trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

export type JsonRead = { ok: true; value: unknown } | { ok: false; error: string };

/** JSON.parse plus the storability rules above. */
export function parseStorableJson(bytes: Buffer): JsonRead {
  if (bytes.length === 0) return { ok: false, error: "empty body" };
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  const problem = storabilityProblem(value);
  return problem ? { ok: false, error: problem } : { ok: true, value };
}

/**
 * Walks the value iteratively (a recursive walk would itself overflow on the deep inputs it is
 * meant to refuse) and returns the first reason it cannot go into jsonb, or null.
 */
export function storabilityProblem(root: unknown): string | null {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value === "string") {
      if (!storableString(value)) return "contains a NUL character or an unpaired surrogate, which cannot be stored";
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) return `nested deeper than ${MAX_JSON_DEPTH} levels`;
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1 });
    } else {
      for (const [key, item] of Object.entries(value)) {
        if (!storableString(key)) return "contains a NUL character or an unpaired surrogate, which cannot be stored";
        stack.push({ value: item, depth: depth + 1 });
      }
    }
  }
  return null;
}

// String#isWellFormed is ES2024; the project targets ES2023 typings.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const storableString = (s: string): boolean => !s.includes("\u0000") && !LONE_SURROGATE.test(s);
