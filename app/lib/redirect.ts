/**
 * Only same-origin paths are accepted as redirect targets, so `?redirectTo=https://evil.example`
 * or the protocol-relative `//evil.example` cannot turn the app into an open redirector.
 */
export function safeRedirectPath(target: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof target !== "string") return fallback;
  if (!target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return fallback;
  return target;
}
