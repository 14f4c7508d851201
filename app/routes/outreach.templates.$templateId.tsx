import { useMemo, useRef, useState } from "react";
import type { MetaFunction } from "@remix-run/node";
import { Link, useNavigate, useParams, useRouteLoaderData } from "@remix-run/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, ArrowLeft, CopyPlus, Power, Save } from "lucide-react";
import { PageHeader } from "~/components/page-header";
import { checkTemplate, insertAt, isEmailChannel, markedTokens, variableAt, type TemplateIssue, type TemplateVariable } from "~/components/templates/editor-model";
import { PreviewPanel } from "~/components/templates/preview-panel";
import { SpintaxEditor } from "~/components/templates/spintax-editor";
import { VariablesEditor } from "~/components/templates/variables-editor";
import { VersionsPanel } from "~/components/templates/versions-panel";
import { Alert, AlertDescription, AlertTitle } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { ErrorState } from "~/components/ui/error-state";
import { FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { Skeleton } from "~/components/ui/skeleton";
import { ToastProvider, useToast } from "~/components/ui/toast";
import { errorMessageKey } from "~/lib/domain-errors";
import { formatNumber } from "~/lib/format";
import { pageTitle, useLocale, useT, type Translate } from "~/lib/i18n";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import type { RootData } from "~/root";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.templates") }];

type Template = RouterOutputs["templates"]["get"];
type Channel = "WHATSAPP" | "EMAIL_COLD" | "EMAIL_WARM";
const CHANNELS: readonly Channel[] = ["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"];

export default function TemplateEditorPage() {
  return (
    <ToastProvider>
      <Editor />
    </ToastProvider>
  );
}

function Editor() {
  const t = useT();
  const trpc = useTRPC();
  const { templateId = "new" } = useParams();
  const isNew = templateId === "new";
  const role = useRouteLoaderData<RootData>("root")?.user?.role ?? null;
  const canManage = role === "MANAGER" || role === "ADMIN";
  const template = useQuery({ ...trpc.templates.get.queryOptions({ templateId }), enabled: !isNew });

  return (
    <>
      <div className="mb-2">
        <Button asChild variant="link" size="sm" className="px-0">
          <Link to="/outreach/templates">
            <ArrowLeft />
            {t("templates.editor.back")}
          </Link>
        </Button>
      </div>
      {!isNew && template.isPending ? (
        <div className="grid gap-4" aria-busy="true">
          <PageHeader title={t("common.loading")} />
          <Skeleton className="h-64 w-full" />
        </div>
      ) : !isNew && template.isError ? (
        <ErrorState title={t(errorMessageKey(template.error))} onRetry={() => void template.refetch()} retrying={template.isFetching} />
      ) : (
        <EditorForm key={template.data?.id ?? "new"} template={template.data ?? null} canManage={canManage} />
      )}
    </>
  );
}

/** The version the editor opens on: the newest active one (what a send most likely uses), else the newest. */
function defaultVersion(template: Template) {
  const sorted = [...template.versions].sort((a, b) => b.versionNumber - a.versionNumber);
  return sorted.find((v) => v.isActive) ?? sorted[0] ?? null;
}

function EditorForm({ template, canManage }: { template: Template | null; canManage: boolean }) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const readOnly = !canManage;
  const start = template ? defaultVersion(template) : null;
  const [name, setName] = useState(template?.name ?? "");
  const [channel, setChannel] = useState<Channel>((template?.channel as Channel | undefined) ?? "WHATSAPP");
  const [subject, setSubject] = useState(start?.subject ?? template?.subject ?? "");
  const [content, setContent] = useState(start?.content ?? "");
  const [variables, setVariables] = useState<TemplateVariable[]>(template?.variables ?? [{ name: "companyName", required: true }]);
  const [editingVersionId, setEditingVersionId] = useState<string | null>(start?.id ?? null);
  const [submitted, setSubmitted] = useState(false);
  const editor = useRef<HTMLTextAreaElement | null>(null);

  const email = isEmailChannel(channel);
  const check = useMemo(() => checkTemplate({ channel, subject: email ? subject : null, content, variables }), [channel, subject, content, variables, email]);
  const contentTokens = useMemo(() => markedTokens(content, check.issues, "content"), [content, check.issues]);
  const subjectTokens = useMemo(() => markedTokens(subject, check.issues, "subject"), [subject, check.issues]);
  const nameError = name.trim() ? null : "templates.editor.nameRequired";
  const valid = check.issues.length === 0 && !nameError;

  const create = useMutation(trpc.templates.create.mutationOptions());
  const update = useMutation(trpc.templates.update.mutationOptions());
  const addVersion = useMutation(trpc.templates.addVersion.mutationOptions());
  const pending = create.isPending || update.isPending || addVersion.isPending;
  const error = create.error ?? update.error ?? addVersion.error;

  const refresh = async (id: string) => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.templates.get.queryKey({ templateId: id }) }),
      queryClient.invalidateQueries({ queryKey: trpc.templates.abResults.queryKey({ templateId: id }) }),
      queryClient.invalidateQueries({ queryKey: trpc.templates.list.queryKey() }),
    ]);
  };

  const loadVersion = (versionId: string) => {
    const v = template?.versions.find((x) => x.id === versionId);
    if (!v) return;
    setEditingVersionId(v.id);
    setContent(v.content);
    setSubject(v.subject ?? template?.subject ?? "");
    requestAnimationFrame(() => editor.current?.focus());
  };

  const insertVariable = (variable: string) => {
    const el = editor.current;
    const at = insertAt(content, el?.selectionStart ?? content.length, el?.selectionEnd ?? content.length, `{{${variable}}}`);
    setContent(at.value);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at.caret, at.caret);
    });
  };

  const save = async (asVariant: boolean) => {
    setSubmitted(true);
    if (!valid || readOnly) return;
    const subjectValue = email ? subject : null;
    try {
      if (!template) {
        const created = await create.mutateAsync({ name: name.trim(), channel, subject: subjectValue, content, variables });
        await refresh(created.id);
        navigate(`/outreach/templates/${created.id}`, { replace: true });
        return;
      }
      if (asVariant) {
        // Variables first: the new version is checked against the template's saved variables.
        if (JSON.stringify(variables) !== JSON.stringify(template.variables) || name.trim() !== template.name) {
          await update.mutateAsync({ templateId: template.id, name: name.trim(), variables });
        }
        const r = await addVersion.mutateAsync({ templateId: template.id, subject: subjectValue, content, weight: 100 });
        setEditingVersionId(r.versionId);
        await refresh(template.id);
        toast({ title: t("templates.editor.variantAdded", { n: r.template.versions.find((v) => v.id === r.versionId)?.versionNumber ?? 0 }) });
        return;
      }
      const r = await update.mutateAsync({ templateId: template.id, name: name.trim(), variables, content, subject: subjectValue, ...(editingVersionId ? { versionId: editingVersionId } : {}) });
      if (r.newVersionId) setEditingVersionId(r.newVersionId);
      await refresh(template.id);
      const created = r.newVersionId ? r.template.versions.find((v) => v.id === r.newVersionId) : null;
      toast({ title: created ? t("templates.editor.savedNewVersion", { n: created.versionNumber }) : t("templates.editor.saved") });
    } catch {
      // Shown below the editor.
    }
  };

  const toggleActive = async () => {
    if (!template) return;
    try {
      await update.mutateAsync({ templateId: template.id, isActive: !template.isActive });
      await refresh(template.id);
      toast({ title: template.isActive ? t("templates.editor.deactivated") : t("templates.editor.activated") });
    } catch {
      // Shown below.
    }
  };

  const editing = template?.versions.find((v) => v.id === editingVersionId) ?? null;
  const contentIssues = check.issues.filter((i) => i.field === "content");
  const subjectIssues = check.issues.filter((i) => i.field === "subject");
  const otherIssues = check.issues.filter((i) => i.field === "variables");

  return (
    <div className="grid gap-6">
      <PageHeader
        title={template ? template.name : t("templates.editor.newTitle")}
        description={
          template ? (
            <span className="flex flex-wrap items-center gap-2">
              {t(`channel.${template.channel as Channel}`)}
              {template.isActive ? <Badge variant="success">{t("templates.badge.active")}</Badge> : <Badge variant="outline">{t("templates.badge.inactive")}</Badge>}
              {editing ? <span>{t("templates.editor.editingVersion", { n: editing.versionNumber })}</span> : null}
            </span>
          ) : (
            t("templates.editor.newDescription", { spintax: "{Bună ziua|Salut}", variable: "{{companyName}}" })
          )
        }
        actions={
          !readOnly ? (
            <>
              {template ? (
                <Button variant="outline" size="sm" onClick={() => void toggleActive()} disabled={pending}>
                  <Power />
                  {template.isActive ? t("templates.editor.deactivate") : t("templates.editor.activate")}
                </Button>
              ) : null}
              {template ? (
                <Button variant="outline" size="sm" onClick={() => void save(true)} disabled={pending}>
                  <CopyPlus />
                  {t("templates.editor.saveAsVariant")}
                </Button>
              ) : null}
              <Button size="sm" onClick={() => void save(false)} disabled={pending}>
                <Save />
                {pending ? t("common.saving") : t("templates.editor.save")}
              </Button>
            </>
          ) : null
        }
      />
      {readOnly ? (
        <Alert variant="info">
          <AlertDescription>{t("templates.editor.readOnly")}</AlertDescription>
        </Alert>
      ) : null}

      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 xl:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle as="h2">{t("templates.editor.textTitle")}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4">
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField label={t("templates.editor.name")} required error={(submitted || name) && nameError ? t(nameError) : null}>
                {(field) => <Input {...field} value={name} disabled={readOnly} maxLength={200} onChange={(e) => setName(e.target.value)} />}
              </FormField>
              <FormField label={t("templates.editor.channel")} hint={template ? t("templates.editor.channelFixed") : undefined}>
                {(field) => (
                  <Select {...field} value={channel} disabled={readOnly || Boolean(template)} onChange={(e) => setChannel(e.target.value as Channel)}>
                    {CHANNELS.map((c) => (
                      <option key={c} value={c}>
                        {t(`channel.${c}`)}
                      </option>
                    ))}
                  </Select>
                )}
              </FormField>
            </div>
            {email ? (
              <FormField label={t("templates.editor.subject")} required error={subjectIssues[0] ? issueText(t, subjectIssues[0], subject) : null}>
                {(field) => <SpintaxEditor {...field} minRows={1} value={subject} tokens={subjectTokens} disabled={readOnly} onValueChange={setSubject} />}
              </FormField>
            ) : null}
            <FormField label={t("templates.editor.content")} required hint={t("templates.editor.contentHint", { group: "{a|b}", variable: "{{companyName}}", escape: "\\{" })} error={contentIssues[0] ? issueText(t, contentIssues[0], content) : null}>
              {(field) => <SpintaxEditor {...field} ref={editor} value={content} tokens={contentTokens} disabled={readOnly} onValueChange={setContent} />}
            </FormField>
            <div className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground" aria-live="polite">
              <span data-testid="variant-count">{check.variants === null ? t("templates.editor.variantsUnknown") : t("templates.preview.variants", { count: check.variants })}</span>
              {check.longestLength !== null ? <span>{t("templates.editor.longest", { length: formatNumber(check.longestLength, locale) })}</span> : null}
            </div>
            {check.issues.length > 0 ? (
              <Alert variant="destructive" data-testid="template-issues">
                <AlertTriangle />
                <AlertTitle>{t("templates.editor.issuesTitle", { count: check.issues.length })}</AlertTitle>
                <AlertDescription>
                  <ul className="mt-1 grid list-disc gap-1 pl-4">
                    {[...contentIssues, ...subjectIssues, ...otherIssues].map((issue, i) => (
                      <li key={`${issue.code}-${issue.offset ?? i}-${issue.field}`}>{issueText(t, issue, issue.field === "subject" ? subject : content)}</li>
                    ))}
                  </ul>
                </AlertDescription>
              </Alert>
            ) : null}
            <section aria-labelledby="vars-heading" className="grid gap-2 border-t pt-4">
              <h3 id="vars-heading" className="text-sm font-semibold">
                {t("templates.variables.title")}
              </h3>
              <VariablesEditor variables={variables} disabled={readOnly} onChange={setVariables} onInsert={insertVariable} />
            </section>
            {error ? (
              <Alert variant="destructive">
                <AlertTriangle />
                <AlertDescription>{t(errorMessageKey(error))}</AlertDescription>
              </Alert>
            ) : null}
            {submitted && !valid ? (
              <p role="alert" className="text-sm font-medium text-destructive">
                {t("templates.editor.fixErrors")}
              </p>
            ) : null}
          </CardContent>
        </Card>
        <PreviewPanel draft={{ channel, subject: email ? subject : null, content, variables, ...(editingVersionId ? { versionId: editingVersionId } : {}) }} longestLength={check.longestLength} />
      </div>
      {template ? <VersionsPanel template={template} editingVersionId={editingVersionId} canManage={canManage} onEdit={loadVersion} /> : null}
    </div>
  );
}

/** An issue in Romanian: what is wrong, and where (line and column) when it points into the text. */
function issueText(t: Translate, issue: TemplateIssue, source: string): string {
  const position = issue.line !== undefined ? { line: issue.line, column: issue.column ?? 1 } : issue.offset !== undefined ? positionOf(source, issue.offset) : null;
  const where = position ? t("templates.issue.at", position) : "";
  switch (issue.code) {
    case "UNKNOWN_VARIABLE":
      return t("templates.issue.UNKNOWN_VARIABLE", { code: `{{${variableAt(source, issue.offset) ?? "?"}}}` }) + where;
    case "UNBALANCED_OPEN":
    case "UNBALANCED_CLOSE":
    case "EMPTY_GROUP":
    case "SINGLE_OPTION":
    case "INVALID_VARIABLE":
    case "DUPLICATE_VARIABLE":
    case "WHATSAPP_TOO_LONG":
    case "SUBJECT_REQUIRED":
    case "EMPTY_CONTENT":
      // Literal syntax goes in as a parameter: braces in a message would read as placeholders.
      return t(`templates.issue.${issue.code}`, { code: ISSUE_CODE_TEXT[issue.code] ?? "", escape: "\\}" }) + where;
    default:
      return issue.message;
  }
}

const ISSUE_CODE_TEXT: Partial<Record<TemplateIssue["code"], string>> = { UNBALANCED_OPEN: "{", UNBALANCED_CLOSE: "}", EMPTY_GROUP: "{}", SINGLE_OPTION: "{{nume}}" };

function positionOf(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset).split("\n");
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}
