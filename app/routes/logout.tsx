import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logOut } from "#server/auth/session.server";

/** POST only: a GET that signs out could be triggered by any link or image on another site. */
export async function action({ request }: ActionFunctionArgs) {
  const headers = await logOut(request);
  return redirect("/login", { headers });
}

export function loader() {
  return redirect("/");
}
