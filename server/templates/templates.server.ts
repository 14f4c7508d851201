/**
 * Templates in the database: the library (outreach_templates), its versions (template_versions, the
 * A/B variants), the preview for a real lead, and `renderForLead`, which the send pipeline calls.
 *
 * Versions are immutable once they may have been sent: changing a version's text creates a new
 * version (the old one is deactivated and keeps its counts), so every communication log row's
 * template_version_id still names the exact text that lead received. The template row's own
 * content/subject mirror the newest version, for lists and for code that reads only the template.
 */
import type { TenantTx } from "../db/client.server";
import { DomainError, notFound } from "../errors";
import type { Channel } from "../generated/prisma/enums";
import type { Prisma } from "../generated/prisma/client";
import { chooseVersion, previewTemplate, renderTemplate, type PreviewRendered, type Rendered } from "./render.server";
import { assertValidTemplate, checkTemplate, leadVariableValues, parseVariables, variantChoices, variantSeed, type TemplateVariable } from "./template";

const VERSION_SELECT = {
  id: true,
  versionNumber: true,
  subject: true,
  content: true,
  weight: true,
  isActive: true,
  createdAt: true,
} as const;

export interface VersionCounts {
  sent: number;
  delivered: number;
  opened: number;
  replied: number;
}

const ZERO: VersionCounts = { sent: 0, delivered: 0, opened: 0, replied: 0 };

/**
 * Per-version counts from the communication log, the record of what happened. A message's status is
 * the furthest it got, so the funnel counts it at every earlier stage too: a REPLIED message was also
 * sent, delivered and opened (WhatsApp READ counts as opened). QUEUED and FAILED were never sent.
 */
export async function versionCounts(tx: TenantTx, templateIds: string[]): Promise<Map<string, VersionCounts>> {
  if (templateIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<Array<{ version_id: string; sent: number; delivered: number; opened: number; replied: number }>>`
    SELECT template_version_id::text AS version_id,
           count(*) FILTER (WHERE status NOT IN ('QUEUED', 'FAILED'))::int AS sent,
           count(*) FILTER (WHERE status IN ('DELIVERED', 'READ', 'OPENED', 'CLICKED', 'REPLIED'))::int AS delivered,
           count(*) FILTER (WHERE status IN ('READ', 'OPENED', 'CLICKED', 'REPLIED'))::int AS opened,
           count(*) FILTER (WHERE status = 'REPLIED')::int AS replied
      FROM gold_communication_log
     WHERE template_id = ANY(${templateIds}::uuid[]) AND direction = 'OUTBOUND' AND template_version_id IS NOT NULL
     GROUP BY 1`;
  return new Map(rows.map((r) => [r.version_id, { sent: r.sent, delivered: r.delivered, opened: r.opened, replied: r.replied }]));
}

export async function listTemplates(tx: TenantTx, filter: { channel?: Channel; includeInactive?: boolean }) {
  const rows = await tx.outreachTemplate.findMany({
    where: { ...(filter.channel ? { channel: filter.channel } : {}), ...(filter.includeInactive ? {} : { isActive: true }) },
    orderBy: [{ channel: "asc" }, { name: "asc" }],
    select: {
      id: true,
      name: true,
      channel: true,
      subject: true,
      isActive: true,
      hasMedia: true,
      updatedAt: true,
      versions: { where: { isActive: true }, select: { id: true } },
    },
  });
  const counts = await versionCounts(tx, rows.map((r) => r.id));
  return rows.map(({ versions, ...r }) => ({
    ...r,
    activeVersions: versions.length,
    totals: versions.reduce<VersionCounts>((acc, v) => {
      const c = counts.get(v.id) ?? ZERO;
      return { sent: acc.sent + c.sent, delivered: acc.delivered + c.delivered, opened: acc.opened + c.opened, replied: acc.replied + c.replied };
    }, ZERO),
  }));
}

/** A template with its versions, as the renderer needs it (exported for the send path's cache). */
export type LoadedTemplate = Awaited<ReturnType<typeof loadTemplate>>;

export async function loadTemplate(tx: TenantTx, templateId: string) {
  const t = await tx.outreachTemplate.findUnique({
    where: { id: templateId },
    select: {
      id: true,
      name: true,
      channel: true,
      subject: true,
      content: true,
      variables: true,
      hasMedia: true,
      mediaUrl: true,
      isActive: true,
      createdAt: true,
      updatedAt: true,
      versions: { orderBy: { versionNumber: "asc" }, select: VERSION_SELECT },
    },
  });
  if (!t) throw notFound("template", templateId);
  return { ...t, variables: parseVariables(t.variables) };
}

export async function getTemplate(tx: TenantTx, templateId: string) {
  const t = await loadTemplate(tx, templateId);
  const counts = await versionCounts(tx, [t.id]);
  return {
    ...t,
    versions: t.versions.map((v) => {
      const check = checkTemplate({ channel: t.channel, subject: v.subject ?? t.subject, content: v.content, variables: t.variables });
      return { ...v, counts: counts.get(v.id) ?? ZERO, longestLength: check.longestLength, variants: check.variants };
    }),
  };
}

export interface TemplateCreate {
  name: string;
  channel: Channel;
  subject?: string | null;
  content: string;
  variables: TemplateVariable[];
  hasMedia?: boolean;
  mediaUrl?: string | null;
  weight?: number;
}

async function assertNameFree(tx: TenantTx, name: string, exceptId: string | null) {
  const row = await tx.outreachTemplate.findFirst({ where: { name, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
  if (row) throw new DomainError("CONFLICT", "TEMPLATE_NAME_TAKEN", `a template named "${name}" exists`);
}

export async function createTemplate(tx: TenantTx, tenantId: string, input: TemplateCreate) {
  const subject = input.subject?.trim() ? input.subject : null;
  assertValidTemplate({ channel: input.channel, subject, content: input.content, variables: input.variables });
  await assertNameFree(tx, input.name, null);
  const t = await tx.outreachTemplate.create({
    data: {
      tenantId,
      name: input.name,
      channel: input.channel,
      subject,
      content: input.content,
      variables: input.variables as Prisma.InputJsonValue,
      hasMedia: input.hasMedia ?? false,
      mediaUrl: input.mediaUrl ?? null,
    },
    select: { id: true },
  });
  await tx.templateVersion.create({ data: { tenantId, templateId: t.id, versionNumber: 1, subject, content: input.content, weight: input.weight ?? 100 }, select: { id: true } });
  return getTemplate(tx, t.id);
}

export interface TemplateUpdate {
  templateId: string;
  name?: string;
  isActive?: boolean;
  variables?: TemplateVariable[];
  hasMedia?: boolean;
  mediaUrl?: string | null;
  /** New text for a version: creates a new version when it differs. */
  subject?: string | null;
  content?: string;
  /** The version being edited; default the newest active one. */
  versionId?: string;
}

/** Validates every active version against the (possibly new) variables and channel rules. */
function assertAllVersionsValid(channel: Channel, templateSubject: string | null, variables: TemplateVariable[], versions: Array<{ subject: string | null; content: string; isActive: boolean }>) {
  for (const v of versions.filter((x) => x.isActive)) {
    assertValidTemplate({ channel, subject: v.subject ?? templateSubject, content: v.content, variables });
  }
}

export async function updateTemplate(tx: TenantTx, tenantId: string, input: TemplateUpdate) {
  const t = await loadTemplate(tx, input.templateId);
  if (input.name !== undefined) await assertNameFree(tx, input.name, t.id);
  const variables = input.variables ?? t.variables;
  const versions = t.versions.map((v) => ({ ...v }));
  let newVersionId: string | null = null;

  if (input.content !== undefined || input.subject !== undefined) {
    const active = versions.filter((v) => v.isActive);
    const base = input.versionId ? versions.find((v) => v.id === input.versionId) : active[active.length - 1];
    if (!base) throw input.versionId ? notFound("template version", input.versionId) : new DomainError("PRECONDITION_FAILED", "TEMPLATE_NO_ACTIVE_VERSION", "the template has no active version to edit");
    const content = input.content ?? base.content;
    const subject = input.subject === undefined ? base.subject : input.subject?.trim() ? input.subject : null;
    if (content !== base.content || subject !== base.subject) {
      assertValidTemplate({ channel: t.channel, subject: subject ?? t.subject, content, variables });
      const number = Math.max(...versions.map((v) => v.versionNumber)) + 1;
      await tx.templateVersion.update({ where: { id: base.id }, data: { isActive: false } });
      base.isActive = false;
      const created = await tx.templateVersion.create({
        data: { tenantId, templateId: t.id, versionNumber: number, subject, content, weight: base.weight },
        select: VERSION_SELECT,
      });
      versions.push({ ...created });
      newVersionId = created.id;
      await tx.outreachTemplate.update({ where: { id: t.id }, data: { content, ...(subject ? { subject } : {}) } });
    }
  }
  assertAllVersionsValid(t.channel, t.subject, variables, versions);

  await tx.outreachTemplate.update({
    where: { id: t.id },
    data: {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.isActive !== undefined ? { isActive: input.isActive } : {}),
      ...(input.variables !== undefined ? { variables: input.variables as Prisma.InputJsonValue } : {}),
      ...(input.hasMedia !== undefined ? { hasMedia: input.hasMedia } : {}),
      ...(input.mediaUrl !== undefined ? { mediaUrl: input.mediaUrl } : {}),
    },
    select: { id: true },
  });
  return { template: await getTemplate(tx, t.id), newVersionId };
}

/** Adds an A/B variant next to the active versions. */
export async function addVersion(tx: TenantTx, tenantId: string, input: { templateId: string; subject?: string | null; content: string; weight: number }) {
  const t = await loadTemplate(tx, input.templateId);
  const subject = input.subject?.trim() ? input.subject : null;
  assertValidTemplate({ channel: t.channel, subject: subject ?? t.subject, content: input.content, variables: t.variables });
  const number = Math.max(0, ...t.versions.map((v) => v.versionNumber)) + 1;
  const v = await tx.templateVersion.create({
    data: { tenantId, templateId: t.id, versionNumber: number, subject, content: input.content, weight: input.weight },
    select: { id: true },
  });
  return { template: await getTemplate(tx, t.id), versionId: v.id };
}

/** Changes a version's weight or active flag; a template keeps at least one active version with weight > 0. */
export async function setVersion(tx: TenantTx, input: { versionId: string; weight?: number; isActive?: boolean }) {
  const v = await tx.templateVersion.findUnique({ where: { id: input.versionId }, select: { id: true, templateId: true } });
  if (!v) throw notFound("template version", input.versionId);
  const t = await loadTemplate(tx, v.templateId);
  const after = t.versions.map((x) => (x.id === v.id ? { ...x, weight: input.weight ?? x.weight, isActive: input.isActive ?? x.isActive } : x));
  if (!after.some((x) => x.isActive && x.weight > 0)) {
    throw new DomainError("PRECONDITION_FAILED", "TEMPLATE_NO_ACTIVE_VERSION", "a template needs at least one active version with a weight above 0");
  }
  if (input.isActive === true) assertAllVersionsValid(t.channel, t.subject, t.variables, after.filter((x) => x.id === v.id));
  await tx.templateVersion.update({
    where: { id: v.id },
    data: { ...(input.weight !== undefined ? { weight: input.weight } : {}), ...(input.isActive !== undefined ? { isActive: input.isActive } : {}) },
  });
  return getTemplate(tx, t.id);
}

// ---------------------------------------------------------------------------------------------------
// Rendering for a lead

async function loadLead(tx: TenantTx, leadId: string) {
  const lead = await tx.goldCompany.findUnique({
    where: { id: leadId },
    select: { id: true, denumire: true, contactPrincipalNume: true, judet: true, localitate: true },
  });
  if (!lead) throw notFound("lead", leadId);
  return lead;
}

function pickVersion(t: LoadedTemplate, leadId: string, versionId: string | undefined) {
  if (versionId) {
    const v = t.versions.find((x) => x.id === versionId);
    if (!v) throw notFound("template version", versionId);
    return v;
  }
  const v = chooseVersion(t.versions, leadId, t.id);
  if (!v) throw new DomainError("PRECONDITION_FAILED", "TEMPLATE_NO_ACTIVE_VERSION", `template ${t.id} has no active version with a weight above 0`);
  return v;
}

export interface RenderedForLead {
  templateId: string;
  versionId: string;
  versionNumber: number;
  channel: Channel;
  rendered: Rendered;
}

/**
 * What the send pipeline calls: the lead's A/B version and its deterministic variant, with every
 * variable filled. Throws TEMPLATE_VARIABLE_MISSING (never sends a blank) and TEMPLATE_TOO_LONG.
 * `extraValues` add or override variables (e.g. a custom field) for this render.
 */
export async function renderForLead(
  tx: TenantTx,
  input: { templateId: string; leadId: string; versionId?: string; extraValues?: Record<string, string | null> },
): Promise<RenderedForLead> {
  return renderLoadedForLead(await loadTemplate(tx, input.templateId), await loadLead(tx, input.leadId), input);
}

/** The lead's fields the variables read (see leadVariableValues). */
export type LeadForRender = Awaited<ReturnType<typeof loadLead>>;

/** renderForLead on data already loaded: the send path reads the lead with its own context. */
export function renderLoadedForLead(
  t: LoadedTemplate,
  lead: LeadForRender,
  input: { versionId?: string; extraValues?: Record<string, string | null> } = {},
): RenderedForLead {
  const v = pickVersion(t, lead.id, input.versionId);
  const rendered = renderTemplate({
    channel: t.channel,
    subject: v.subject ?? t.subject,
    content: v.content,
    variables: t.variables,
    values: { ...leadVariableValues(lead), ...input.extraValues },
    seed: variantSeed(lead.id, v.id),
  });
  return { templateId: t.id, versionId: v.id, versionNumber: v.versionNumber, channel: t.channel, rendered };
}

/**
 * The preview: same choice as a real send, but missing variables are shown, not thrown. With
 * `variant`, the k-th spintax variant instead of the lead's own (the editor's "another variant").
 */
export async function previewForLead(tx: TenantTx, input: { templateId: string; leadId: string; versionId?: string; variant?: number }) {
  const t = await loadTemplate(tx, input.templateId);
  const lead = await loadLead(tx, input.leadId);
  const v = pickVersion(t, lead.id, input.versionId);
  const subject = v.subject ?? t.subject;
  const choice = input.variant === undefined ? null : variantChoices(v.content, subject, input.variant);
  const r: PreviewRendered = previewTemplate({
    channel: t.channel,
    subject,
    content: v.content,
    variables: t.variables,
    values: leadVariableValues(lead),
    seed: variantSeed(lead.id, v.id),
    ...(choice ? { replay: choice.replay } : {}),
  });
  return {
    templateId: t.id,
    versionId: v.id,
    versionNumber: v.versionNumber,
    channel: t.channel,
    lead: { id: lead.id, name: lead.denumire },
    ...r,
    /** What a send would do with this lead now. */
    sendable: r.missing.length === 0,
    variant: choice ? { index: choice.index, total: choice.total } : null,
  };
}

export interface DraftPreviewInput {
  channel: Channel;
  subject: string | null;
  content: string;
  variables: TemplateVariable[];
  leadId: string;
  /** Variant k of the draft; absent = the variant this lead would get (seeded by the template version). */
  variant?: number;
  /** For the lead's own variant: the version the draft edits (a new version reseeds, see variantSeed). */
  versionId?: string;
}

/**
 * The editor's live preview of text not saved yet: the same checks as saving (checkTemplate) and, when
 * the text parses, the same rendering as a send for the chosen lead, missing variables shown in place.
 */
export async function previewDraftForLead(tx: TenantTx, input: DraftPreviewInput) {
  const lead = await loadLead(tx, input.leadId);
  const subject = input.subject?.trim() ? input.subject : null;
  const check = checkTemplate({ channel: input.channel, subject, content: input.content, variables: input.variables });
  const syntaxBroken = check.issues.some((i) => i.code !== "UNKNOWN_VARIABLE" && i.code !== "DUPLICATE_VARIABLE" && i.code !== "WHATSAPP_TOO_LONG" && i.code !== "SUBJECT_REQUIRED" && i.code !== "EMPTY_CONTENT");
  if (syntaxBroken) return { lead: { id: lead.id, name: lead.denumire }, check, rendered: null, variant: null };
  const choice = variantChoices(input.content, subject, input.variant ?? 0);
  const rendered = previewTemplate({
    channel: input.channel,
    subject,
    content: input.content,
    variables: input.variables,
    values: leadVariableValues(lead),
    seed: variantSeed(lead.id, input.versionId ?? "draft"),
    ...(input.variant !== undefined && choice ? { replay: choice.replay } : {}),
  });
  return {
    lead: { id: lead.id, name: lead.denumire },
    check,
    rendered,
    variant: input.variant !== undefined && choice ? { index: choice.index, total: choice.total } : null,
  };
}

/** Leads to preview with: the tenant's, by name (diacritics as typed); in id order, which the primary key serves on any table size. */
export async function previewLeads(tx: TenantTx, input: { search?: string; limit: number }) {
  const rows = await tx.goldCompany.findMany({
    where: input.search ? { denumire: { contains: input.search, mode: "insensitive" } } : {},
    orderBy: { id: "asc" },
    take: input.limit,
    select: { id: true, denumire: true, contactPrincipalNume: true, judet: true, localitate: true },
  });
  return rows.map((r) => ({ id: r.id, name: r.denumire, values: leadVariableValues(r) }));
}
