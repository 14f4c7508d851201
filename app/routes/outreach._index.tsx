import { redirect } from "@remix-run/node";

/** `/outreach` has no page of its own; the dashboard is the start page. */
export function loader() {
  return redirect("/outreach/dashboard");
}
