import { useState, type ReactNode } from "react";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { getEnv } from "#server/config/env.server";
import { getSessionUser } from "#server/auth/session.server";
import type { Role } from "#server/auth/roles";
import { AlertTriangleIcon } from "~/components/icons";
import { useRouteErrorCopy } from "~/components/route-error";
import { Button } from "~/components/ui/button";
import { localeFromMatches, translate, useLocale, useT } from "~/lib/i18n";
import type { Locale } from "~/lib/locale";
import { resolveLocale } from "~/lib/locale.server";
import { TRPCProvider, createBrowserTrpcClient, trpcErrorCode } from "~/lib/trpc";
import stylesheet from "~/tailwind.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.ico", sizes: "any" },
];

export const meta: MetaFunction = ({ matches }) => [{ title: translate(localeFromMatches(matches), "app.name") }];

/** What the browser may know about the signed-in user: no session id, no tenant id. */
export interface PublicUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  tenantName: string;
}

export interface RootData {
  user: PublicUser | null;
  locale: Locale;
  sandbox: boolean;
}

export async function loader({ request }: LoaderFunctionArgs): Promise<RootData> {
  const user = await getSessionUser(request);
  return {
    user: user ? { id: user.id, name: user.name, email: user.email, role: user.role, tenantName: user.tenantName } : null,
    locale: resolveLocale(request, user),
    sandbox: getEnv().sandbox,
  };
}

/** The query string alone does not change who is signed in or the language (see app/routes/outreach.tsx). */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) =>
  !formMethod && currentUrl.pathname === nextUrl.pathname ? false : defaultShouldRevalidate;

/** Client errors that retrying cannot fix; everything else (network, 5xx) is retried twice. */
const FINAL_ERROR_CODES = new Set(["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "BAD_REQUEST", "PARSE_ERROR"]);

function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError(error) {
        // The session expired while the page was open: send the user to sign in and back here,
        // rather than leaving every panel in an error state.
        if (trpcErrorCode(error) === "UNAUTHORIZED") {
          const here = `${window.location.pathname}${window.location.search}`;
          window.location.assign(`/login?redirectTo=${encodeURIComponent(here)}`);
        }
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failureCount, error) => {
          const code = trpcErrorCode(error);
          return !(code && FINAL_ERROR_CODES.has(code)) && failureCount < 2;
        },
      },
    },
  });
}

/** The document shell, shared by the app and the error boundary (which may render without loader data). */
export function Layout({ children }: { children: ReactNode }) {
  const locale = useLocale();
  return (
    <html lang={locale} className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-full">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  // Created once per browser tab (and once per server render), never shared between requests.
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(createBrowserTrpcClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <Outlet />
      </TRPCProvider>
    </QueryClientProvider>
  );
}

export function ErrorBoundary() {
  const t = useT();
  const { status, title, body } = useRouteErrorCopy();
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-md rounded-lg border bg-card p-8 text-center shadow-sm">
        <AlertTriangleIcon className="mx-auto size-8 text-destructive" />
        <h1 className="mt-4 text-xl font-semibold">{title}</h1>
        <p className="mt-2 text-sm text-muted-foreground">{body}</p>
        <p className="mt-3 text-xs text-muted-foreground">{t("error.status", { status: String(status) })}</p>
        <div className="mt-6 flex justify-center gap-2">
          <Button asChild>
            <Link to="/outreach/dashboard" reloadDocument>
              {t("error.backHome")}
            </Link>
          </Button>
        </div>
      </div>
    </main>
  );
}
