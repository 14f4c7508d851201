// remix.config.js turns on future.v3_singleFetch; this tells the type system the same, so
// useLoaderData/useActionData infer what single fetch actually sends (including `data()` responses).
import "@remix-run/node";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
