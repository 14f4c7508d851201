/**
 * The REST face of a tRPC procedure (docs/decisions/0013-operations-rest-api.md). Adding a procedure
 * to the REST API is one line in its file, before `.input`:
 *
 *   .meta(rest("GET", "/reviews/{reviewId}", "One review item with its analysis and draft"))
 *
 * Paths are relative to /api/v1/outreach; `{name}` takes the input field of that name. GET and DELETE
 * read the other input fields from the query string (flat values only: strings, numbers, enums, dates,
 * and booleans through `queryBoolean`), POST and PATCH from a JSON body. The procedure's output schema
 * is the response; its tier (rep/manager/admin) applies to API keys through the key's role, and a key
 * with scope READ may call queries only. The first path segment becomes the OpenAPI tag.
 */
import { z } from "zod";
import type { OpenApiMeta } from "trpc-to-openapi";

export type RestMethod = "GET" | "POST" | "PATCH" | "DELETE";

export function rest(method: RestMethod, path: `/${string}`, summary: string, extra: { description?: string; deprecated?: boolean } = {}): OpenApiMeta {
  const tag = path.split("/")[1] ?? "outreach";
  return { openapi: { method, path, summary, tags: [tag], protect: true, ...extra } };
}

/**
 * A boolean input that also arrives as text in a query string ("true"/"false", "1"/"0"). A plain
 * z.boolean() would be coerced by the REST adapter with Boolean("false") === true.
 */
export function queryBoolean(fallback: boolean) {
  return z.preprocess((v) => (v === "true" || v === "1" ? true : v === "false" || v === "0" || v === "" ? false : v), z.boolean()).default(fallback);
}
