/**
 * A plain textarea with the text coloured behind it: groups `{a|b}` by depth, `|` separators,
 * `{{variables}}`, escapes, and errors underlined in red. The textarea stays the real control
 * (keyboard, screen readers, spell-check, mobile keyboards); its own text is transparent over the
 * coloured copy, which has the same font, padding and wrapping. It grows with its content so the two
 * never scroll apart.
 */
import { forwardRef, useImperativeHandle, useLayoutEffect, useRef, type TextareaHTMLAttributes } from "react";
import { cn } from "~/lib/utils";
import type { MarkedToken } from "./editor-model";

const DEPTH_COLOURS = ["text-sky-700", "text-violet-700", "text-amber-700"];

function tokenClass(token: MarkedToken): string {
  if (token.error) return "rounded-sm bg-destructive/15 text-destructive underline decoration-wavy decoration-destructive underline-offset-2";
  switch (token.kind) {
    case "variable":
      return "rounded-sm bg-emerald-100 text-emerald-900";
    case "open":
    case "close":
    case "separator":
      return cn("font-semibold", DEPTH_COLOURS[(token.depth - 1) % DEPTH_COLOURS.length]);
    case "escape":
      return "text-muted-foreground";
    default:
      return "";
  }
}

/** Same box for both layers: any difference here shows as the colours drifting off the letters. */
const LAYER = "whitespace-pre-wrap break-words px-3 py-2 font-mono text-sm leading-6 [overflow-wrap:anywhere]";

export interface SpintaxEditorProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "value" | "onChange"> {
  value: string;
  tokens: MarkedToken[];
  onValueChange: (value: string) => void;
  minRows?: number;
}

export const SpintaxEditor = forwardRef<HTMLTextAreaElement | null, SpintaxEditorProps>(function SpintaxEditor(
  { value, tokens, onValueChange, minRows = 6, className, ...props },
  ref,
) {
  const area = useRef<HTMLTextAreaElement>(null);
  useImperativeHandle(ref, () => area.current as HTMLTextAreaElement);
  useLayoutEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${el.scrollHeight + 2}px`;
  }, [value]);

  return (
    <div className={cn("relative rounded-md border border-input bg-card shadow-sm focus-within:ring-2 focus-within:ring-ring", className)}>
      <div aria-hidden="true" className={cn(LAYER, "pointer-events-none absolute inset-0 select-none overflow-hidden text-foreground")}>
        {tokens.map((token) => (
          <span key={token.start} className={tokenClass(token)}>
            {token.text}
          </span>
        ))}
        {/* A trailing newline needs a character after it to take up its line. */}
        {"\u200b"}
      </div>
      <textarea
        ref={area}
        value={value}
        rows={minRows}
        spellCheck={false}
        onChange={(e) => onValueChange(e.target.value)}
        className={cn(
          LAYER,
          "relative block w-full resize-none overflow-hidden rounded-md bg-transparent text-transparent caret-foreground outline-none selection:bg-primary/25 selection:text-transparent disabled:cursor-not-allowed",
        )}
        {...props}
      />
    </div>
  );
});
