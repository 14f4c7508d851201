/**
 * The template's declared variables and the picker that inserts one: a lead field (filled from the
 * lead's record) or a variable of the manager's own with a default. Inserting declares the variable
 * too, so the text never refers to an undeclared one by way of the picker.
 */
import { useState } from "react";
import { Plus, Trash2 } from "lucide-react";
import { Button } from "~/components/ui/button";
import { Input } from "~/components/ui/input";
import { useT } from "~/lib/i18n";
import { LEAD_FIELDS, type TemplateVariable } from "./editor-model";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function VariablesEditor({
  variables,
  disabled,
  onChange,
  onInsert,
}: {
  variables: TemplateVariable[];
  disabled: boolean;
  onChange: (variables: TemplateVariable[]) => void;
  /** Inserts `{{name}}` at the editor's caret. */
  onInsert: (name: string) => void;
}) {
  const t = useT();
  const [custom, setCustom] = useState("");
  const customValid = NAME.test(custom);
  const declare = (name: string) => {
    if (!variables.some((v) => v.name === name)) onChange([...variables, { name, required: LEAD_FIELDS.includes(name as never) && name === "companyName" }]);
  };
  const insert = (name: string) => {
    declare(name);
    onInsert(name);
  };
  const addCustom = () => {
    if (!customValid) return;
    insert(custom);
    setCustom("");
  };
  const patch = (index: number, change: Partial<TemplateVariable>) => onChange(variables.map((v, i) => (i === index ? { ...v, ...change } : v)));

  return (
    <div className="grid gap-3">
      {!disabled ? (
        <div className="grid gap-2">
          <p className="text-sm font-medium" id="picker-label">
            {t("templates.variables.insert")}
          </p>
          <div className="flex flex-wrap gap-2" role="group" aria-labelledby="picker-label">
            {LEAD_FIELDS.map((field) => (
              <Button key={field} variant="outline" size="sm" onClick={() => insert(field)} title={`{{${field}}}`}>
                <Plus />
                {t(`templates.field.${field}`)}
              </Button>
            ))}
          </div>
          {/* Not a <form>: the editor around it may be one, and forms cannot nest. */}
          <div className="flex flex-wrap items-end gap-2">
            <label className="grid gap-1 text-xs text-muted-foreground">
              {t("templates.variables.custom")}
              <Input
                className="h-8 w-48 font-mono"
                value={custom}
                onChange={(e) => setCustom(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === "Enter") {
                    e.preventDefault();
                    addCustom();
                  }
                }}
                placeholder="produsRecomandat"
                aria-invalid={custom && !customValid ? true : undefined}
              />
            </label>
            <Button variant="outline" size="sm" disabled={!customValid} onClick={addCustom}>
              {t("templates.variables.addCustom")}
            </Button>
            {custom && !customValid ? <p className="w-full text-xs text-destructive">{t("templates.variables.nameInvalid")}</p> : null}
          </div>
        </div>
      ) : null}
      {variables.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t("templates.variables.none")}</p>
      ) : (
        <table className="w-full text-sm">
          <caption className="sr-only">{t("templates.variables.caption")}</caption>
          <thead>
            <tr className="text-left text-xs text-muted-foreground">
              <th scope="col" className="py-1 pr-2 font-medium">
                {t("templates.variables.name")}
              </th>
              <th scope="col" className="py-1 pr-2 font-medium">
                {t("templates.variables.required")}
              </th>
              <th scope="col" className="py-1 pr-2 font-medium">
                {t("templates.variables.default")}
              </th>
              <th scope="col" className="py-1 font-medium">
                <span className="sr-only">{t("templates.variables.remove")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {variables.map((v, i) => (
              <tr key={v.name} className="border-t">
                <th scope="row" className="py-1.5 pr-2 text-left font-mono text-xs font-normal">
                  {`{{${v.name}}}`}
                  {LEAD_FIELDS.includes(v.name as never) ? <span className="block font-sans text-muted-foreground">{t(`templates.field.${v.name as (typeof LEAD_FIELDS)[number]}`)}</span> : null}
                </th>
                <td className="py-1.5 pr-2">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked={v.required}
                    disabled={disabled}
                    onChange={(e) => patch(i, { required: e.target.checked })}
                    aria-label={t("templates.variables.requiredFor", { name: v.name })}
                  />
                </td>
                <td className="py-1.5 pr-2">
                  <Input
                    className="h-8"
                    value={v.default ?? ""}
                    disabled={disabled}
                    onChange={(e) => patch(i, { default: e.target.value === "" ? undefined : e.target.value })}
                    aria-label={t("templates.variables.defaultFor", { name: v.name })}
                    placeholder={v.required ? t("templates.variables.requiredNoDefault") : t("templates.variables.emptyDefault")}
                  />
                </td>
                <td className="py-1.5 text-right">
                  {!disabled ? (
                    <Button variant="ghost" size="icon" className="size-8" onClick={() => onChange(variables.filter((x) => x.name !== v.name))} aria-label={t("templates.variables.removeFor", { name: v.name })}>
                      <Trash2 />
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
