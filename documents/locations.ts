/** Where plangraf keeps issued documents: `var/documents/` of the checkout, or PLANGRAF_DOCUMENTS. */
import { fileURLToPath } from 'node:url';

export function documentsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PLANGRAF_DOCUMENTS ?? fileURLToPath(new URL('../var/documents/', import.meta.url));
}
