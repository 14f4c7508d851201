/**
 * Enrolling one lead from the sequence's own page: search the tenant's leads by name or CUI and enroll
 * one (tRPC sequences.enroll, the same use case and checks as every other enrollment: opted-out, do not
 * contact, already in a sequence, not eligible). Enrolling many at once is the leads list's bulk
 * action, started from the list or from a saved filter on the sequences page (enroll-from-view-dialog.tsx).
 */
import { useEffect, useRef, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Search, UserPlus } from "lucide-react";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { ErrorState } from "~/components/ui/error-state";
import { Input } from "~/components/ui/input";
import { Skeleton } from "~/components/ui/skeleton";
import { useToast } from "~/components/ui/toast";
import { errorMessageKey } from "~/lib/domain-errors";
import { useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { useDebounced } from "~/lib/use-debounced";

const RESULTS = 8;

export function EnrollPanel({ sequenceId, sequenceName }: { sequenceId: string; sequenceName: string }) {
  const t = useT();
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const settled = useDebounced(search.trim(), 300);
  const leads = useQuery({ ...trpc.templates.previewLeads.queryOptions({ search: settled || undefined, limit: RESULTS }), enabled: settled.length >= 2 });
  const enroll = useMutation(trpc.sequences.enroll.mutationOptions());
  const [pendingLead, setPendingLead] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  // The card's "Enroll leads" link lands here (#enroll); the panel appears only once the sequence has
  // loaded, after the browser looked for the anchor, so bring it into view and start with the search.
  useEffect(() => {
    if (window.location.hash !== "#enroll") return;
    searchRef.current?.scrollIntoView({ block: "center" });
    searchRef.current?.focus({ preventScroll: true });
  }, []);

  const enrollLead = async (lead: { id: string; name: string }) => {
    setPendingLead(lead.id);
    try {
      const result = await enroll.mutateAsync({ sequenceId, leadId: lead.id });
      const outcome = result.leads[0]?.outcome ?? "NOT_FOUND";
      toast({ title: t(`sequences.enroll.outcome.${outcome}`, { lead: lead.name, name: sequenceName }), variant: outcome === "ENROLLED" ? "success" : "error" });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.sequences.get.queryKey({ sequenceId }) }),
        queryClient.invalidateQueries({ queryKey: trpc.sequences.overview.queryKey() }),
      ]);
    } catch (error) {
      toast({ title: t(errorMessageKey(error)), variant: "error" });
    } finally {
      setPendingLead(null);
    }
  };

  return (
    <Card id="enroll">
      <CardHeader>
        <CardTitle as="h2">{t("sequences.enroll.title")}</CardTitle>
        <CardDescription>{t("sequences.enroll.description")}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <label className="grid gap-1 text-sm font-medium" htmlFor="enroll-search">
          {t("sequences.enroll.search")}
          <span className="relative">
            <Search className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden="true" />
            <Input ref={searchRef} id="enroll-search" type="search" className="pl-8" value={search} maxLength={100} placeholder={t("sequences.enroll.placeholder")} onChange={(e) => setSearch(e.target.value)} />
          </span>
        </label>
        {settled.length < 2 ? (
          <p className="text-sm text-muted-foreground">{t("sequences.enroll.typeMore")}</p>
        ) : leads.isPending ? (
          <div className="grid gap-2" aria-busy="true">
            <Skeleton className="h-9 w-full" />
            <Skeleton className="h-9 w-full" />
          </div>
        ) : leads.isError ? (
          <ErrorState title={t(errorMessageKey(leads.error))} onRetry={() => void leads.refetch()} retrying={leads.isFetching} />
        ) : leads.data.length === 0 ? (
          <p className="text-sm text-muted-foreground">{t("sequences.enroll.none", { search: settled })}</p>
        ) : (
          <ul className="divide-y rounded-md border" aria-label={t("sequences.enroll.results")} data-testid="enroll-results">
            {leads.data.map((lead) => (
              <li key={lead.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
                <span className="min-w-0 break-words text-sm">{lead.name}</span>
                <Button
                  size="sm"
                  variant="outline"
                  disabled={enroll.isPending}
                  onClick={() => void enrollLead(lead)}
                  aria-label={t("sequences.enroll.forLead", { lead: lead.name })}
                >
                  <UserPlus />
                  {pendingLead === lead.id ? t("common.saving") : t("sequences.enroll.action")}
                </Button>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
