/**
 * Templates as the send path renders them, kept per process for a few seconds.
 *
 * Why: a template with its versions is one Prisma read (~2 ms of CPU in its transaction), and every
 * WhatsApp send of a sequence step renders the same template. The price: an edit (new version, new
 * weight, a deactivated version) reaches sends up to TTL_MS later. What went out stays reproducible:
 * the log records the version id actually used.
 */
import { withTenant } from "../db/client.server";
import { loadTemplate, type LoadedTemplate } from "./templates.server";

const TTL_MS = 5_000;
const MAX_ENTRIES = 1_000;

const entries = new Map<string, { loadedAt: number; template: Promise<LoadedTemplate> }>();

export function templateForSend(tenantId: string, templateId: string): Promise<LoadedTemplate> {
  const key = `${tenantId}:${templateId}`;
  const now = performance.now();
  const hit = entries.get(key);
  if (hit && now - hit.loadedAt < TTL_MS) return hit.template;
  if (entries.size >= MAX_ENTRIES) entries.clear();
  const template = withTenant(tenantId, (tx) => loadTemplate(tx, templateId));
  entries.set(key, { loadedAt: now, template });
  // A failed read is not remembered: the next send tries again.
  template.catch(() => {
    if (entries.get(key)?.template === template) entries.delete(key);
  });
  return template;
}

/** Tests that edit a template and send at once. */
export function forgetSendTemplates(): void {
  entries.clear();
}
