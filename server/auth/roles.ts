export const ROLES = ["SALES_REP", "MANAGER", "ADMIN"] as const;
export type Role = (typeof ROLES)[number];

/** Roles are ordered: an ADMIN may do what a MANAGER may, a MANAGER what a SALES_REP may. */
export function roleAtLeast(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}

export interface SessionUser {
  id: string;
  tenantId: string;
  tenantName: string;
  role: Role;
  name: string;
  email: string;
  locale: "ro" | "en";
  sessionId: string;
}
