/** Rows one do-not-contact import may hold (the page splits nothing: a larger file is refused before upload). */
export const MAX_IMPORT_ROWS = 20_000;
