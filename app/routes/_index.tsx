import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getSessionUser } from "#server/auth/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  return redirect(user ? "/outreach/dashboard" : "/login");
}
