/**
 * The live preview: the text being edited, rendered for a real lead exactly as a send would render it
 * (server-side, templates.previewDraft), with missing variables shown in place as ⟦name⟧. "Another
 * variant" walks the spintax variants one by one (variant k of n); "the lead's own" goes back to the
 * variant this lead would actually get.
 */
import { useEffect, useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Shuffle, Undo2 } from "lucide-react";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { Skeleton } from "~/components/ui/skeleton";
import { errorMessageKey } from "~/lib/domain-errors";
import { formatNumber } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { useDebounced } from "~/lib/use-debounced";
import { cn } from "~/lib/utils";
import { charLength, WHATSAPP_MAX_CHARS, type TemplateVariable } from "./editor-model";

export interface PreviewDraft {
  channel: "WHATSAPP" | "EMAIL_COLD" | "EMAIL_WARM";
  subject: string | null;
  content: string;
  variables: TemplateVariable[];
  versionId?: string;
}

export function PreviewPanel({ draft, longestLength }: { draft: PreviewDraft; longestLength: number | null }) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const debouncedSearch = useDebounced(search.trim(), 300);
  const leads = useQuery({ ...trpc.templates.previewLeads.queryOptions({ search: debouncedSearch || undefined, limit: 20 }), placeholderData: keepPreviousData });
  const [leadId, setLeadId] = useState<string | null>(null);
  const [variant, setVariant] = useState<number | null>(null);
  useEffect(() => {
    if (!leadId && leads.data?.[0]) setLeadId(leads.data[0].id);
  }, [leadId, leads.data]);
  // A new text starts again from the lead's own variant.
  useEffect(() => setVariant(null), [draft.content, draft.subject]);

  const input = useDebounced({ ...draft, leadId: leadId ?? "", ...(variant === null ? {} : { variant }) }, 250);
  const preview = useQuery({
    ...trpc.templates.previewDraft.queryOptions({ ...input, leadId: input.leadId }),
    enabled: Boolean(input.leadId),
    placeholderData: keepPreviousData,
  });
  const rendered = preview.data?.rendered ?? null;
  const length = rendered ? charLength(rendered.text) : 0;
  const isWhatsApp = draft.channel === "WHATSAPP";
  const total = preview.data?.check.variants ?? null;

  return (
    <Card className="flex flex-col" aria-labelledby="preview-heading">
      <CardHeader>
        <CardTitle as="h2" id="preview-heading">
          {t("templates.preview.title")}
        </CardTitle>
        <CardDescription>{t("templates.preview.description")}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="grid gap-2 sm:grid-cols-2">
          <label className="grid gap-1 text-sm">
            <span className="font-medium">{t("templates.preview.searchLead")}</span>
            <Input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t("templates.preview.searchPlaceholder")} />
          </label>
          <label className="grid gap-1 text-sm">
            <span className="font-medium">{t("templates.preview.lead")}</span>
            <Select value={leadId ?? ""} onChange={(e) => setLeadId(e.target.value || null)} disabled={!leads.data?.length}>
              {leadId && !leads.data?.some((l) => l.id === leadId) && preview.data ? <option value={leadId}>{preview.data.lead.name}</option> : null}
              {(leads.data ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </Select>
          </label>
        </div>
        {leads.data?.length === 0 ? <p className="text-sm text-muted-foreground">{t("templates.preview.noLeads")}</p> : null}

        <div className="flex flex-wrap items-center gap-2">
          <Button variant="outline" size="sm" onClick={() => setVariant((v) => (v === null ? 0 : v + 1))} disabled={!rendered || (total ?? 1) <= 1}>
            <Shuffle />
            {t("templates.preview.another")}
          </Button>
          {variant !== null ? (
            <Button variant="ghost" size="sm" onClick={() => setVariant(null)}>
              <Undo2 />
              {t("templates.preview.own")}
            </Button>
          ) : null}
          <span className="text-sm text-muted-foreground" data-testid="variant-position" aria-live="polite">
            {preview.data?.variant
              ? t("templates.preview.variantOf", { n: formatNumber(preview.data.variant.index + 1, locale), total: formatNumber(preview.data.variant.total, locale) })
              : total !== null
                ? t("templates.preview.variants", { count: total })
                : null}
          </span>
        </div>

        <div aria-live="polite" aria-busy={preview.isFetching || undefined} data-testid="template-preview">
          {!leadId || (preview.isPending && preview.fetchStatus !== "idle") ? (
            <Skeleton className="h-32 w-full" />
          ) : preview.isError ? (
            <p className="text-sm text-destructive">{t(errorMessageKey(preview.error))}</p>
          ) : !rendered ? (
            <p className="rounded-md border border-dashed p-4 text-sm text-muted-foreground">{t("templates.preview.fixFirst")}</p>
          ) : (
            <div className={cn("grid gap-2 rounded-lg p-4", isWhatsApp ? "bg-emerald-50" : "border bg-background")}>
              {rendered.subject !== null ? (
                <p className="text-sm">
                  <span className="text-muted-foreground">{t("templates.preview.subject")}: </span>
                  <span className="font-semibold" data-testid="preview-subject">
                    {rendered.subject}
                  </span>
                </p>
              ) : null}
              <p className="whitespace-pre-wrap break-words text-sm leading-6" data-testid="preview-text">
                {rendered.text}
              </p>
            </div>
          )}
        </div>

        {rendered && rendered.missing.length > 0 ? (
          <p className="text-sm text-destructive" role="status">
            {t("templates.preview.missing", { names: rendered.missing.join(", ") })}
          </p>
        ) : null}
        {rendered && rendered.defaulted.length > 0 ? <p className="text-xs text-muted-foreground">{t("templates.preview.defaulted", { names: rendered.defaulted.join(", ") })}</p> : null}

        {isWhatsApp && rendered ? (
          <div className="flex flex-wrap gap-2 text-xs">
            <Badge variant={length > WHATSAPP_MAX_CHARS ? "destructive" : "outline"} data-testid="wa-length">
              {t("templates.preview.length", { length: formatNumber(length, locale), max: formatNumber(WHATSAPP_MAX_CHARS, locale) })}
            </Badge>
            {longestLength !== null ? (
              <Badge variant={longestLength > WHATSAPP_MAX_CHARS ? "destructive" : "outline"}>{t("templates.preview.longest", { length: formatNumber(longestLength, locale) })}</Badge>
            ) : null}
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
