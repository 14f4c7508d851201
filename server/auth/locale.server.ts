/**
 * A person's language choice, kept on their user row so it follows them to every browser (issue 10's
 * shell list: it lived only in a cookie). The header's switch (app/routes/set-locale.tsx) and
 * session.setLocale both save it here; the cookie still carries it on the sign-in page.
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";

type Locale = "ro" | "en";

export async function saveUserLocale(tx: TenantTx, input: { tenantId: string; actor: Actor & { type: "USER" }; locale: Locale }): Promise<void> {
  const before = await tx.user.findUniqueOrThrow({ where: { id: input.actor.userId }, select: { locale: true } });
  if (before.locale === input.locale) return;
  await tx.user.update({ where: { id: input.actor.userId }, data: { locale: input.locale }, select: { id: true } });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: "user.locale",
    entityType: "user",
    entityId: input.actor.userId,
    before: { locale: before.locale },
    after: { locale: input.locale },
  });
}
