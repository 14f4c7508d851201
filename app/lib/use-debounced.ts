import { useEffect, useRef, useState } from "react";

/**
 * `value`, once it has stopped changing for `ms` (live previews ask the server after typing pauses).
 * Compared by content (JSON), so an object rebuilt on every render does not restart the wait.
 */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const latest = useRef(value);
  latest.current = value;
  const key = JSON.stringify(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(latest.current), ms);
    return () => window.clearTimeout(timer);
  }, [key, ms]);
  return settled;
}
