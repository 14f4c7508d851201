/**
 * Reading and vetting a webhook body before anything is stored.
 *
 * - Size: 1 MiB. Real payloads are a few KB; Instantly's are the largest because they carry the
 *   sent email's and the reply's full HTML. The cap bounds memory per request (50 concurrent
 *   deliveries ≤ 50 MiB) and is enforced while streaming, so a lying or absent Content-Length
 *   cannot get more than the cap read (ingest.server.ts checks the header, the readers below the bytes).
 * - Storability: Postgres `jsonb` refuses NUL (\u0000) and unpaired UTF-16 surrogates, both of which
 *   JSON.parse accepts, and very deep nesting costs stack in every later consumer. Such bodies are
 *   refused here with a reason rather than failing later inside an INSERT as a 500.
 */
import type { Readable } from "node:stream";

export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;
export const MAX_JSON_DEPTH = 32;

export type BodyRead = { ok: true; bytes: Buffer } | { ok: false; tooLarge: true };

/** A Content-Length over the cap is refused before a byte is read; an absent or lying one is caught while reading. */
export function declaredTooLarge(contentLength: string | null, maxBytes = MAX_WEBHOOK_BODY_BYTES): boolean {
  const declared = contentLength === null ? NaN : Number(contentLength);
  return Number.isFinite(declared) && declared > maxBytes;
}

/** Chunks kept until the cap; the readers below differ only in how they pull and how they stop. */
class CappedChunks {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  /** False once the cap is passed: the caller stops reading. */
  add(chunk: Uint8Array): boolean {
    this.size += chunk.byteLength;
    if (this.size > this.maxBytes) return false;
    this.chunks.push(chunk);
    return true;
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

/** A fetch body (Remix's Request). Past the cap the stream is cancelled. */
export async function readCappedWebBody(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<BodyRead> {
  if (!body) return { ok: true, bytes: Buffer.alloc(0) };
  const reader = body.getReader();
  const kept = new CappedChunks(maxBytes);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { ok: true, bytes: kept.bytes() };
    if (!kept.add(value)) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, tooLarge: true };
    }
  }
}

/**
 * A Node request stream (Express). Past the cap it is paused, not destroyed: destroying an
 * IncomingMessage destroys its socket, and the sender would get a reset instead of our 413 (the
 * Express adapter answers it with `connection: close`, so the unread rest is never read).
 */
export function readCappedNodeBody(stream: Readable, maxBytes: number): Promise<BodyRead> {
  return new Promise<BodyRead>((resolve, reject) => {
    // Gone while the credentials were being checked: its "close" has already been emitted.
    if (stream.destroyed) return reject(new Error("request closed before its body was read"));
    const kept = new CappedChunks(maxBytes);
    const settle = (finish: () => void) => {
      stream.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      finish();
    };
    const onData = (chunk: Buffer) => {
      if (kept.add(chunk)) return;
      stream.pause();
      settle(() => resolve({ ok: false, tooLarge: true }));
    };
    const onEnd = () => settle(() => resolve({ ok: true, bytes: kept.bytes() }));
    const onError = (error: Error) => settle(() => reject(error));
    // The sender went away mid-body: nothing to store, and nobody to answer.
    const onClose = () => settle(() => reject(new Error("request closed before its body ended")));
    stream.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
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
