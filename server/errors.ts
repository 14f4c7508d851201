/**
 * Domain errors carry a stable code; one formatter (server/trpc/init.server.ts) maps the kind to a
 * tRPC/HTTP code, and the UI turns the code into a Romanian sentence. Messages here are for logs and
 * API callers, in English.
 */
export type DomainErrorKind =
  | "BAD_INPUT"
  | "NOT_FOUND"
  | "CONFLICT"
  | "FORBIDDEN"
  | "UNAUTHORIZED"
  | "PRECONDITION_FAILED"
  | "RATE_LIMITED"
  | "UNAVAILABLE";

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (entity: string, id?: string) =>
  new DomainError("NOT_FOUND", `${entity.toUpperCase()}_NOT_FOUND`, `${entity} ${id ?? ""} not found`.replace(/\s+/g, " ").trim());
