/** Where the pages listen and how they are reached, from the environment. */

/** The address the pages are reached at from outside (links in mail and feeds): PLANGRAF_PUBLIC_URL. */
export function publicUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.PLANGRAF_PUBLIC_URL?.trim() || `http://127.0.0.1:${webPort(env)}`).replace(/\/+$/, '');
}

/** The port the pages listen on: PLANGRAF_WEB_PORT, 8080 by default. */
export function webPort(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.PLANGRAF_WEB_PORT?.trim() || 8080);
}
