import type { ComponentType } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData, useRouteLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { roleAtLeast, type Role } from "#server/auth/roles";
import { requireUser } from "#server/auth/session.server";
import { AlertBell } from "~/components/alerts/alert-bell";
import {
  BanIcon,
  ChartIcon,
  DashboardIcon,
  BellIcon,
  FlaskIcon,
  InboxIcon,
  LogOutIcon,
  PhoneIcon,
  SequenceIcon,
  SlidersIcon,
  ServerIcon,
  SproutIcon,
  TemplateIcon,
  UsersIcon,
  type IconProps,
} from "~/components/icons";
import { LanguageSwitch } from "~/components/language-switch";
import { NotificationBell } from "~/components/notifications/bell";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Tooltip } from "~/components/ui/tooltip";
import { useT, type PlainMessageKey } from "~/lib/i18n";
import { cn } from "~/lib/utils";
import type { RootData } from "~/root";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { user: { name: user.name, email: user.email, role: user.role, tenantName: user.tenantName } };
}

/**
 * A change of the query string alone (the leads list keeps its filters, sort and page there and changes
 * them on every click) does not reload this route's data, which does not depend on it: the address then
 * updates at once instead of after a round trip. Submissions and other pages revalidate as usual.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) =>
  !formMethod && currentUrl.pathname === nextUrl.pathname ? false : defaultShouldRevalidate;

interface NavItem {
  to: string;
  label: PlainMessageKey;
  icon: ComponentType<IconProps>;
  /** Shown only from this role up (the page and its procedures check again). */
  minRole?: Role;
}

/** The order reps work in: overview, the people, how they are contacted, then the follow-up work. */
const NAV: readonly NavItem[] = [
  { to: "/outreach/dashboard", label: "nav.dashboard", icon: DashboardIcon },
  { to: "/outreach/leads", label: "nav.leads", icon: UsersIcon },
  { to: "/outreach/sequences", label: "nav.sequences", icon: SequenceIcon },
  { to: "/outreach/templates", label: "nav.templates", icon: TemplateIcon },
  { to: "/outreach/phones", label: "nav.phones", icon: PhoneIcon },
  { to: "/outreach/review", label: "nav.review", icon: InboxIcon },
  { to: "/outreach/analytics", label: "nav.analytics", icon: ChartIcon, minRole: "MANAGER" },
  { to: "/outreach/do-not-contact", label: "nav.doNotContact", icon: BanIcon, minRole: "MANAGER" },
  { to: "/outreach/settings", label: "nav.settings", icon: SlidersIcon, minRole: "ADMIN" },
  { to: "/outreach/alerts", label: "nav.alerts", icon: BellIcon, minRole: "MANAGER" },
  { to: "/outreach/operations", label: "nav.operations", icon: ServerIcon, minRole: "ADMIN" },
];

export default function OutreachLayout() {
  const { user } = useLoaderData<typeof loader>();
  const root = useRouteLoaderData<RootData>("root");
  const t = useT();

  return (
    <div className="min-h-screen md:grid md:grid-cols-[15rem_minmax(0,1fr)]">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-3 focus:top-3 focus:z-50 focus:rounded-md focus:bg-card focus:px-3 focus:py-2 focus:shadow"
      >
        {t("app.skipToContent")}
      </a>

      {/* One navigation for every width: a sidebar from md up, a scrollable strip above the page below it.
          The aside stretches with the page (its border runs the full height); its content stays in view. */}
      <aside className="border-b bg-card md:border-b-0 md:border-r">
        <div className="md:sticky md:top-0 md:flex md:h-screen md:flex-col">
          <div className="flex h-14 items-center gap-2 px-4 md:h-16 md:px-5">
            <span className="flex size-8 items-center justify-center rounded-full bg-primary text-primary-foreground">
              <SproutIcon className="size-5" />
            </span>
            <span className="font-semibold tracking-tight">{t("app.name")}</span>
          </div>
          {/* On a phone the sections sit in a grid of four (icon over a short label), so every label is
              whole without scrolling; from sm a wrapping row, from md the sidebar. */}
          <nav aria-label={t("nav.label")} className="px-2 pb-2 md:flex-1 md:px-3 md:py-2">
            <ul className="grid grid-cols-4 gap-1 sm:flex sm:flex-wrap md:flex-col">
              {NAV.filter((item) => !item.minRole || roleAtLeast(user.role, item.minRole)).map(({ to, label, icon: Icon }) => (
                <li key={to}>
                  <NavLink
                    to={to}
                    prefetch="intent"
                    className={({ isActive }) =>
                      cn(
                        "flex flex-col items-center gap-1 whitespace-nowrap rounded-md px-1 py-1.5 text-xs font-medium transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring sm:flex-row sm:gap-3 sm:px-3 sm:py-2 sm:text-sm",
                        isActive
                          ? "bg-primary/10 text-primary"
                          : "text-muted-foreground hover:bg-accent hover:text-accent-foreground",
                      )
                    }
                  >
                    <Icon className="size-4 shrink-0" />
                    {t(label)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </aside>

      <div className="flex min-w-0 flex-col">
        <header className="flex min-h-14 flex-wrap items-center gap-x-4 gap-y-2 border-b bg-card/80 px-4 py-2 backdrop-blur md:h-16 md:px-8">
          <div className="flex min-w-0 items-center gap-2">
            <span className="truncate text-sm font-semibold" title={t("header.tenant")}>
              {user.tenantName}
            </span>
            {root?.sandbox ? (
              <Tooltip content={t("header.sandboxHint")} side="bottom" align="start">
                <Badge variant="warning" tabIndex={0} className="cursor-help">
                  <FlaskIcon className="size-3" />
                  {t("header.sandbox")}
                </Badge>
              </Tooltip>
            ) : null}
          </div>
          <div className="ml-auto flex items-center gap-3">
            <NotificationBell />
            {roleAtLeast(user.role, "MANAGER") ? <AlertBell /> : null}
            <LanguageSwitch />
            <div className="hidden text-right leading-tight sm:block">
              <div className="text-sm font-medium">{user.name}</div>
              <div className="text-xs text-muted-foreground">{t(`role.${user.role}`)}</div>
            </div>
            <Form method="post" action="/logout">
              <Button type="submit" variant="outline" size="sm">
                <LogOutIcon />
                <span className="sr-only sm:not-sr-only">{t("header.logout")}</span>
              </Button>
            </Form>
          </div>
        </header>
        <main id="main" tabIndex={-1} className="flex-1 px-4 py-6 focus:outline-none md:px-8 md:py-8">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
