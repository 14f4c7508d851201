import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { ChevronDown, Filter, Search, X } from "lucide-react";
import type { Role } from "#server/auth/roles";
import { COUNTIES } from "#server/leads/counties";
import { LIST_CHANNELS, LIST_SORT_KEYS, LIST_SORTS, MIN_SEARCH_LENGTH, type ListSort } from "#server/leads/list/filters";
import { LEAD_STATES, type LeadState } from "#server/lead-state/transitions";
import { Button } from "~/components/ui/button";
import { Checkbox } from "~/components/ui/checkbox";
import { Input } from "~/components/ui/input";
import { Popover, PopoverContent, PopoverTrigger } from "~/components/ui/popover";
import { Select } from "~/components/ui/select";
import { useT } from "~/lib/i18n";
import type { RouterOutputs } from "~/lib/trpc";
import { cn } from "~/lib/utils";
import { DateRangeFilter } from "./date-range-filter";
import { activeFilterCount, type ListView, type TriState } from "./list-params";

type Options = RouterOutputs["leads"]["options"];

/** How long the search waits after the last keystroke before it asks the server. */
const SEARCH_DEBOUNCE_MS = 350;

function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="grid min-w-0 gap-1.5">
      <label htmlFor={id} className="text-xs font-medium text-muted-foreground">
        {label}
      </label>
      {children(id)}
    </div>
  );
}

function TriSelect({ label, value, onChange }: { label: string; value: TriState; onChange: (v: TriState) => void }) {
  const t = useT();
  return (
    <Field label={label}>
      {(id) => (
        <Select id={id} value={value ?? ""} onChange={(e) => onChange((e.target.value || undefined) as TriState)}>
          <option value="">{t("leadsList.filter.any")}</option>
          <option value="yes">{t("leadsList.filter.yes")}</option>
          <option value="no">{t("leadsList.filter.no")}</option>
        </Select>
      )}
    </Field>
  );
}

function StateFilter({ value, onChange }: { value: LeadState[]; onChange: (states: LeadState[]) => void }) {
  const t = useT();
  const shown = value.length === 0 ? t("leadsList.filter.stateAll") : value.length === 1 ? t(`state.${value[0]!}`) : t("leadsList.filter.stateSome", { count: value.length });
  const toggle = (state: LeadState) => onChange(value.includes(state) ? value.filter((s) => s !== state) : LEAD_STATES.filter((s) => s === state || value.includes(s)));
  return (
    <div className="grid gap-1.5">
      <span className="text-xs font-medium text-muted-foreground" aria-hidden="true">
        {t("leadsList.filter.state")}
      </span>
      <Popover>
        <PopoverTrigger asChild>
          <Button variant="outline" size="sm" className={cn("h-9 justify-between font-normal", value.length === 0 && "text-muted-foreground")} aria-label={`${t("leadsList.filter.state")}: ${shown}`}>
            <span className="truncate">{shown}</span>
            <ChevronDown className="opacity-60" aria-hidden="true" />
          </Button>
        </PopoverTrigger>
        <PopoverContent className="w-60 p-2">
          <fieldset>
            <legend className="sr-only">{t("leadsList.filter.state")}</legend>
            {LEAD_STATES.map((state) => (
              <label key={state} className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 hover:bg-accent">
                <Checkbox checked={value.includes(state)} onChange={() => toggle(state)} />
                {t(`state.${state}`)}
              </label>
            ))}
          </fieldset>
          {value.length > 0 ? (
            <Button variant="ghost" size="sm" className="mt-1 w-full" onClick={() => onChange([])}>
              {t("leadsList.filter.stateAll")}
            </Button>
          ) : null}
        </PopoverContent>
      </Popover>
    </div>
  );
}

/** The search box: typing updates the page address after a pause, Escape clears it. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const t = useT();
  const [text, setText] = useState(value);
  const last = useRef(value);
  const search = useRef(onSearch);
  search.current = onSearch;
  // The address changed by other means (back button, clear filters): show what it says.
  useEffect(() => {
    if (value !== last.current) {
      last.current = value;
      setText(value);
    }
  }, [value]);
  useEffect(() => {
    if (text === last.current) return;
    const timer = window.setTimeout(() => {
      last.current = text;
      search.current(text);
    }, SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [text]);
  const tooShort = text.trim().length > 0 && text.trim().length < MIN_SEARCH_LENGTH;
  return (
    <div className="grid min-w-0 flex-1 gap-1.5 sm:min-w-[16rem]">
      <label htmlFor="leads-search" className="text-xs font-medium text-muted-foreground">
        {t("leadsList.search.label")}
      </label>
      <div className="relative">
        <Search className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden="true" />
        <Input
          id="leads-search"
          type="search"
          value={text}
          placeholder={t("leadsList.search.placeholder")}
          className="pl-8"
          aria-describedby={tooShort ? "leads-search-hint" : undefined}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape" && text) setText("");
          }}
        />
      </div>
      {tooShort ? (
        <p id="leads-search-hint" className="text-xs text-muted-foreground">
          {t("leadsList.search.tooShort")}
        </p>
      ) : null}
    </div>
  );
}

export interface LeadsToolbarProps {
  view: ListView;
  role: Role | null;
  options: Options | undefined;
  onChange: (patch: Partial<ListView>, options?: { replace?: boolean }) => void;
  onClear: () => void;
}

export function LeadsToolbar({ view, role, options, onChange, onClear }: LeadsToolbarProps) {
  const t = useT();
  const active = activeFilterCount(view, role);
  // More filters open by default when one of them is already set (a shared link must show itself).
  const secondarySet = Boolean(view.channel || view.phone || view.county || view.sequence || view.replied || view.review || view.optedOut || view.contactFrom || view.replyFrom);
  const [more, setMore] = useState(secondarySet);
  useEffect(() => {
    if (secondarySet) setMore(true);
  }, [secondarySet]);
  const set = (patch: Partial<ListView>) => onChange({ ...patch, page: 1 });

  return (
    <section aria-label={t("leadsList.filter.label")} className="mb-4 grid gap-3 rounded-lg border bg-card p-3">
      <div className="flex flex-wrap items-end gap-3">
        <SearchBox value={view.q} onSearch={(q) => onChange({ q, page: 1 }, { replace: true })} />
        <div className="w-full sm:w-48">
          <StateFilter value={view.states} onChange={(states) => set({ states })} />
        </div>
        <div className="w-full sm:w-48">
          <Field label={t("leadsList.filter.owner")}>
            {(id) => (
              <Select id={id} value={view.owner} onChange={(e) => set({ owner: e.target.value })}>
                <option value="me">{t("leadsList.owner.me")}</option>
                <option value="all">{t("leadsList.owner.all")}</option>
                <option value="none">{t("leadsList.owner.none")}</option>
                {options?.owners.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
                {/* A link may name someone this list does not (yet) know. */}
                {!["me", "all", "none"].includes(view.owner) && !options?.owners.some((o) => o.id === view.owner) ? <option value={view.owner}>…</option> : null}
              </Select>
            )}
          </Field>
        </div>
        <div className="flex w-full items-end gap-2 sm:w-auto">
          <div className="min-w-0 flex-1 sm:w-52">
            <Field label={t("leadsList.sort.label")}>
              {(id) => (
                <Select id={id} value={view.sort} onChange={(e) => onChange({ sort: e.target.value as ListSort, dir: undefined, page: 1 })}>
                  {LIST_SORT_KEYS.map((key) => (
                    <option key={key} value={key}>
                      {t(`leadsList.sort.${key}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <Button
            variant="outline"
            size="sm"
            className="h-9"
            onClick={() => onChange({ dir: (view.dir ?? LIST_SORTS[view.sort]) === "asc" ? "desc" : "asc", page: 1 })}
            aria-label={`${t("leadsList.sort.label")}: ${t(`leadsList.sort.${view.dir ?? LIST_SORTS[view.sort]}`)}`}
          >
            {(view.dir ?? LIST_SORTS[view.sort]) === "asc" ? "↑" : "↓"}
          </Button>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button variant="ghost" size="sm" className="h-9" aria-expanded={more} aria-controls="leads-more-filters" onClick={() => setMore((m) => !m)}>
            <Filter aria-hidden="true" />
            {more ? t("leadsList.filter.fewer") : t("leadsList.filter.more")}
          </Button>
          {active > 0 ? (
            <Button variant="ghost" size="sm" className="h-9" onClick={onClear}>
              <X aria-hidden="true" />
              {t("leadsList.filter.clear")} ({active})
            </Button>
          ) : null}
        </div>
      </div>

      {more ? (
        <div id="leads-more-filters" className="grid grid-cols-1 gap-3 border-t pt-3 sm:grid-cols-2 lg:grid-cols-4 xl:grid-cols-5">
          <Field label={t("leadsList.filter.channel")}>
            {(id) => (
              <Select id={id} value={view.channel ?? ""} onChange={(e) => set({ channel: (e.target.value || undefined) as ListView["channel"] })}>
                <option value="">{t("leadsList.filter.any")}</option>
                {LIST_CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {t(`leadsList.channel.${c}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t("leadsList.filter.county")}>
            {(id) => (
              <Select id={id} value={view.county ?? ""} onChange={(e) => set({ county: e.target.value || undefined })}>
                <option value="">{t("leadsList.filter.any")}</option>
                {COUNTIES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t("leadsList.filter.phone")}>
            {(id) => (
              <Select id={id} value={view.phone ?? ""} onChange={(e) => set({ phone: e.target.value || undefined })}>
                <option value="">{t("leadsList.filter.any")}</option>
                {options?.phones.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t("leadsList.filter.sequence")}>
            {(id) => (
              <Select id={id} value={view.sequence ?? ""} onChange={(e) => set({ sequence: e.target.value || undefined })}>
                <option value="">{t("leadsList.filter.any")}</option>
                {options?.sequences.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <TriSelect label={t("leadsList.filter.replied")} value={view.replied} onChange={(replied) => set({ replied })} />
          <TriSelect label={t("leadsList.filter.review")} value={view.review} onChange={(review) => set({ review })} />
          <TriSelect label={t("leadsList.filter.optedOut")} value={view.optedOut} onChange={(optedOut) => set({ optedOut })} />
          <DateRangeFilter
            label={t("leadsList.filter.lastContact")}
            from={view.contactFrom}
            to={view.contactTo}
            onChange={({ from, to }) => set({ contactFrom: from, contactTo: to })}
          />
          <DateRangeFilter label={t("leadsList.filter.lastReply")} from={view.replyFrom} to={view.replyTo} onChange={({ from, to }) => set({ replyFrom: from, replyTo: to })} />
        </div>
      ) : null}
    </section>
  );
}
