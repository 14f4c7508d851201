import type { z } from "zod";

/** The first few issues of a zod error as one line: "message.timestamp: not a TimelinesAI timestamp; …". */
export function zodMessage(error: z.ZodError, maxIssues = 3): string {
  const shown = error.issues.slice(0, maxIssues).map((issue) => `${issue.path.map(String).join(".") || "body"}: ${issue.message}`);
  const more = error.issues.length > maxIssues ? ` (+${error.issues.length - maxIssues} more)` : "";
  return `${shown.join("; ")}${more}`.slice(0, 500);
}
