import { useEffect, useState } from "react";
import { Button } from "~/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "~/components/ui/dialog";
import { FormField } from "~/components/ui/form-field";
import { Select } from "~/components/ui/select";
import { Textarea } from "~/components/ui/textarea";
import { useT, type PlainMessageKey } from "~/lib/i18n";

export type DialogKind = "reject" | "escalate" | "takeOver" | "note" | "outcome";
export type Outcome = "NEGOTIATION" | "BACK_TO_SEQUENCE" | "DEAD";
export interface DialogResult {
  text: string;
  outcome: Outcome;
}

const SPEC: Record<DialogKind, { title: PlainMessageKey; hint: PlainMessageKey | null; text: "none" | "optional" | "required"; confirm: PlainMessageKey; destructive?: boolean }> = {
  reject: { title: "review.dialog.reject", hint: "review.dialog.rejectHint", text: "optional", confirm: "review.action.reject", destructive: true },
  escalate: { title: "review.dialog.escalate", hint: "review.dialog.escalateHint", text: "optional", confirm: "review.action.escalate" },
  takeOver: { title: "review.dialog.takeOver", hint: "review.dialog.takeOverHint", text: "none", confirm: "review.action.takeOver" },
  note: { title: "review.action.note", hint: null, text: "required", confirm: "review.action.note" },
  outcome: { title: "review.dialog.outcome", hint: null, text: "required", confirm: "review.dialog.confirm" },
};
const OUTCOMES: readonly Outcome[] = ["NEGOTIATION", "BACK_TO_SEQUENCE", "DEAD"];

/** One dialog for the actions that ask for a confirmation, a note or a reason. */
export function ReviewActionDialog({ kind, pending, onClose, onConfirm }: { kind: DialogKind | null; pending: boolean; onClose: () => void; onConfirm: (r: DialogResult) => void }) {
  const t = useT();
  const [text, setText] = useState("");
  const [outcome, setOutcome] = useState<Outcome>("NEGOTIATION");
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    setText("");
    setOutcome("NEGOTIATION");
    setTouched(false);
  }, [kind]);
  if (!kind) return null;
  const spec = SPEC[kind];
  const missing = spec.text === "required" && text.trim() === "";
  return (
    <Dialog open onOpenChange={(open) => !open && !pending && onClose()}>
      <DialogContent>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
            if (!missing) onConfirm({ text: text.trim(), outcome });
          }}
        >
          <DialogHeader>
            <DialogTitle>{t(spec.title)}</DialogTitle>
            {spec.hint ? <DialogDescription>{t(spec.hint)}</DialogDescription> : null}
          </DialogHeader>
          {kind === "outcome" ? (
            <FormField label={t("review.action.outcome")} required>
              {(control) => (
                <Select {...control} value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome)}>
                  {OUTCOMES.map((o) => (
                    <option key={o} value={o}>
                      {t(`review.outcome.${o}`)}
                    </option>
                  ))}
                </Select>
              )}
            </FormField>
          ) : null}
          {spec.text !== "none" ? (
            <FormField
              label={kind === "outcome" ? t("review.dialog.outcomeReason") : t("review.dialog.noteLabel")}
              labelNote={spec.text === "optional" ? `(${t("common.optional")})` : undefined}
              required={spec.text === "required"}
              error={touched && missing ? t("common.required") : null}
            >
              {(control) => <Textarea {...control} rows={3} maxLength={kind === "note" ? 2000 : 1000} value={text} onChange={(e) => setText(e.target.value)} autoFocus />}
            </FormField>
          ) : null}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose} disabled={pending}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" variant={spec.destructive ? "destructive" : "default"} disabled={pending}>
              {pending ? t("common.saving") : t(spec.confirm)}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
