/**
 * Charts of the analytics page and the dashboard, drawn with Recharts (docs/decisions/0009). Every
 * chart sits beside a table with the same numbers (the accessible reading of it), so the drawing is
 * marked as an image with a summary for screen readers and keyboard users move on to the table.
 */
import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDayKey, formatNumber } from "~/lib/format";
import { useLocale } from "~/lib/i18n";

export const CHART_COLOURS = {
  sent: "#1f6f43",
  replied: "#c2410c",
  positive: "#0f766e",
  conversions: "#7c3aed",
  WHATSAPP: "#1f6f43",
  EMAIL_COLD: "#2563eb",
  EMAIL_WARM: "#b45309",
  muted: "#94a3b8",
} as const;

/** The frame: a figure with a caption, the drawing hidden from assistive tech (the table says it). */
export function ChartFrame({ label, height = 260, children }: { label: string; height?: number; children: ReactNode }) {
  return (
    <figure className="m-0 w-full" aria-label={label}>
      <div role="img" aria-label={label} className="w-full" style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          {children as never}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export interface TrendPoint {
  date: string;
  sent: number | null;
  replied: number | null;
  positiveReplies?: number | null;
}

export function TrendChart({ points, labels, height }: { points: readonly TrendPoint[]; labels: { sent: string; replied: string; positive?: string; summary: string }; height?: number }) {
  const locale = useLocale();
  const data = points.map((p) => ({ ...p, label: formatDayKey(p.date, locale, "short") }));
  return (
    <ChartFrame label={labels.summary} height={height}>
      <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e5e7eb" />
        <XAxis dataKey="label" tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={16} />
        <YAxis tick={{ fontSize: 11 }} allowDecimals={false} tickFormatter={(v: number) => formatNumber(v, locale)} width={48} />
        <Tooltip formatter={(v) => formatNumber(Number(v), locale)} labelFormatter={(_, payload) => (payload?.[0] ? formatDayKey(String((payload[0].payload as { date: string }).date), locale, "weekday") : "")} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="sent" name={labels.sent} fill={CHART_COLOURS.sent} radius={[3, 3, 0, 0]} isAnimationActive={false} />
        <Line dataKey="replied" name={labels.replied} stroke={CHART_COLOURS.replied} strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
        {labels.positive ? <Line dataKey="positiveReplies" name={labels.positive} stroke={CHART_COLOURS.positive} strokeWidth={2} strokeDasharray="4 3" dot={false} isAnimationActive={false} /> : null}
      </ComposedChart>
    </ChartFrame>
  );
}

export interface BarSeries {
  key: string;
  label: string;
  colour: string;
}

/** Grouped bars by category (channels, phones, reps): one bar per series. */
export function GroupedBars({ data, categoryKey, series, summary, height, layout = "horizontal" }: { data: ReadonlyArray<Record<string, string | number | null>>; categoryKey: string; series: readonly BarSeries[]; summary: string; height?: number; layout?: "horizontal" | "vertical" }) {
  const locale = useLocale();
  const vertical = layout === "vertical";
  return (
    <ChartFrame label={summary} height={height ?? (vertical ? Math.max(160, data.length * 34 + 60) : 260)}>
      <BarChart data={data as Array<Record<string, string | number | null>>} layout={layout} margin={{ top: 8, right: 8, bottom: 0, left: vertical ? 8 : -8 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={vertical} horizontal={!vertical} stroke="#e5e7eb" />
        {vertical ? (
          <>
            <XAxis type="number" tick={{ fontSize: 11 }} allowDecimals={false} tickFormatter={(v: number) => formatNumber(v, locale)} />
            <YAxis type="category" dataKey={categoryKey} tick={{ fontSize: 11 }} width={110} />
          </>
        ) : (
          <>
            <XAxis dataKey={categoryKey} tick={{ fontSize: 11 }} />
            <YAxis tick={{ fontSize: 11 }} allowDecimals={false} tickFormatter={(v: number) => formatNumber(v, locale)} width={48} />
          </>
        )}
        <Tooltip formatter={(v) => formatNumber(Number(v), locale)} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.colour} radius={vertical ? [0, 3, 3, 0] : [3, 3, 0, 0]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartFrame>
  );
}
