// The names of the CI formats, without loading their formatters (start-up time).
export const documentFormats = ['junit', 'github', 'sarif', 'markdown'] as const;
export type DocumentFormat = (typeof documentFormats)[number];

/** junit, github, sarif and markdown: rendered once from the whole run (table, json and jsonl stream). */
export function isDocumentFormat(f: string): f is DocumentFormat {
  return (documentFormats as readonly string[]).includes(f);
}
