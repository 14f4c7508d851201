import { useEffect, useRef } from "react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { getSessionUser, logIn } from "#server/auth/session.server";
import { SproutIcon } from "~/components/icons";
import { LanguageSwitch } from "~/components/language-switch";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { pageTitle, useT } from "~/lib/i18n";
import { safeRedirectPath } from "~/lib/redirect";

const HOME = "/outreach/dashboard";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "login.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (user) {
    throw redirect(safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"), HOME));
  }
  return null;
}

type FieldError = "emailRequired" | "emailInvalid" | "passwordRequired";
type FormError = "INVALID_CREDENTIALS" | "ACCOUNT_DISABLED" | "RATE_LIMITED";

/** Codes, not sentences: the page translates them, so the action stays language-neutral. */
interface ActionResult {
  email: string;
  fieldErrors: { email?: FieldError; password?: FieldError };
  formError?: FormError;
}

// Deliberately loose: it catches typos like a missing "@" or domain; the account lookup does the rest.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const STATUS_BY_CODE: Record<FormError, number> = { INVALID_CREDENTIALS: 401, ACCOUNT_DISABLED: 403, RATE_LIMITED: 429 };

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const rawEmail = form.get("email");
  const rawPassword = form.get("password");
  const email = typeof rawEmail === "string" ? rawEmail.trim() : "";
  const password = typeof rawPassword === "string" ? rawPassword : "";

  const fieldErrors: ActionResult["fieldErrors"] = {};
  if (!email) fieldErrors.email = "emailRequired";
  else if (!EMAIL_SHAPE.test(email)) fieldErrors.email = "emailInvalid";
  if (!password) fieldErrors.password = "passwordRequired";
  if (fieldErrors.email || fieldErrors.password) {
    return data<ActionResult>({ email, fieldErrors }, { status: 400 });
  }

  const result = await logIn({ email, password, request });
  if (!result.ok) {
    return data<ActionResult>({ email, fieldErrors, formError: result.code }, { status: STATUS_BY_CODE[result.code] });
  }
  return redirect(safeRedirectPath(form.get("redirectTo"), HOME), { headers: result.headers });
}

export default function LoginPage() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  // Pending through both the POST and the redirect's page load, so the button cannot be pressed twice.
  const pending = navigation.state !== "idle" && navigation.formAction?.startsWith("/login") === true;
  const emailError = actionData?.fieldErrors.email;
  const passwordError = actionData?.fieldErrors.password;

  // After a failed attempt, put the cursor where the user has to act next.
  useEffect(() => {
    if (!actionData) return;
    if (actionData.fieldErrors.email) emailRef.current?.focus();
    else if (actionData.fieldErrors.password || actionData.formError) passwordRef.current?.focus();
  }, [actionData]);

  return (
    <div className="flex min-h-screen flex-col bg-gradient-to-b from-accent/60 to-background">
      {/* First in the tab order as it is on screen: no field is focused on arrival, so Tab reaches the
          language before the form (a failed attempt still moves focus to the field to fix). */}
      <header className="flex justify-end p-4">
        <LanguageSwitch />
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pb-16 pt-6 sm:items-center sm:pt-0">
        <div className="w-full max-w-sm">
          <div className="mb-6 flex items-center justify-center gap-2 text-primary">
            <span className="flex size-10 items-center justify-center rounded-full bg-primary text-primary-foreground">
              <SproutIcon className="size-6" />
            </span>
            <span className="text-xl font-semibold tracking-tight text-foreground">{t("app.name")}</span>
          </div>
          <Card>
            <CardHeader>
              <CardTitle as="h1" className="text-xl">
                {t("login.title")}
              </CardTitle>
              <CardDescription>{t("login.subtitle")}</CardDescription>
            </CardHeader>
            <CardContent>
              <Form method="post" noValidate className="grid gap-4" aria-describedby={actionData?.formError ? "login-error" : undefined}>
                <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
                {actionData?.formError ? (
                  <Alert variant="destructive" id="login-error">
                    <AlertDescription>{t(`login.error.${actionData.formError}`)}</AlertDescription>
                  </Alert>
                ) : null}
                <div className="grid gap-1.5">
                  <Label htmlFor="email">{t("login.email")}</Label>
                  <Input
                    ref={emailRef}
                    id="email"
                    name="email"
                    type="email"
                    autoComplete="username"
                    inputMode="email"
                    required
                    placeholder={t("login.emailPlaceholder")}
                    defaultValue={actionData?.email}
                    aria-invalid={emailError ? true : undefined}
                    aria-describedby={emailError ? "email-error" : undefined}
                  />
                  {emailError ? (
                    <p id="email-error" className="text-sm text-destructive">
                      {t(`login.validation.${emailError}`)}
                    </p>
                  ) : null}
                </div>
                <div className="grid gap-1.5">
                  <Label htmlFor="password">{t("login.password")}</Label>
                  <Input
                    ref={passwordRef}
                    id="password"
                    name="password"
                    type="password"
                    autoComplete="current-password"
                    required
                    aria-invalid={passwordError ? true : undefined}
                    aria-describedby={passwordError ? "password-error" : undefined}
                  />
                  {passwordError ? (
                    <p id="password-error" className="text-sm text-destructive">
                      {t(`login.validation.${passwordError}`)}
                    </p>
                  ) : null}
                </div>
                <Button type="submit" className="mt-1 w-full" disabled={pending}>
                  {pending ? t("login.submitting") : t("login.submit")}
                </Button>
              </Form>
            </CardContent>
          </Card>
          <p className="mt-6 text-center text-xs text-muted-foreground">{t("login.footer")}</p>
        </div>
      </main>
    </div>
  );
}
