/**
 * The link-signing keys of the store as a keyring every worker and page server shares. The ring
 * is read at start and again every `refreshMs`; a new key signs only once it is older than
 * `activationMs`, so by then every host has read it and verifies what it signs. A retired key
 * stops verifying at the next refresh.
 */
import type { Store } from '../store/database.ts';
import { ensureSigningKey, listSigningKeys, addSigningKey, type SigningKey } from '../store/signing-keys.ts';
import type { Keyring, LinkKey } from './links.ts';

export interface StoreKeyring extends Keyring {
  refresh(): Promise<void>;
  /** Stops the refreshing timer. */
  close(): void;
}

export async function storeKeyring(store: Store, options: { refreshMs?: number; activationMs?: number; env?: NodeJS.ProcessEnv; now?: () => number } = {}): Promise<StoreKeyring> {
  const env = options.env ?? process.env;
  const refreshMs = options.refreshMs ?? 30_000;
  const activationMs = options.activationMs ?? 4 * refreshMs;
  const now = options.now ?? Date.now;
  // PLANGRAF_SECRET, when given, is one of the keys: links signed with it before keep working.
  const given = secretFromEnv(env);
  if (given) await addSigningKey(store.pool, given);
  await store.transaction((client) => ensureSigningKey(client));

  let active: SigningKey[] = [];
  const load = async () => {
    active = (await listSigningKeys(store.pool)).filter((key) => key.retiredAt === null);
  };
  await load();
  const timer = setInterval(() => void load().catch(() => undefined), refreshMs);
  timer.unref();
  const asLink = (key: SigningKey): LinkKey => ({ kid: key.kid, secret: key.secret });
  return {
    current() {
      const ready = active.filter((key) => now() - key.createdAt.getTime() >= activationMs);
      // Keys come oldest first: sign with the newest that every host knows by now.
      return asLink(ready.at(-1) ?? active[0]!);
    },
    byId(kid) {
      const key = active.find((candidate) => candidate.kid === kid);
      return key ? asLink(key) : undefined;
    },
    all: () => active.map(asLink),
    refresh: load,
    close: () => clearInterval(timer),
  };
}

/**
 * PLANGRAF_SECRET (hex or base64, 32 bytes or more) as a signing key, or `undefined` when unset.
 * @throws a Russian message when it is too short
 */
export function secretFromEnv(env: NodeJS.ProcessEnv): Buffer | undefined {
  const text = env.PLANGRAF_SECRET?.trim();
  if (!text) return undefined;
  const secret = /^[0-9a-f]+$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (secret.length < 32) throw new Error('PLANGRAF_SECRET: нужно не меньше 32 байт (64 шестнадцатеричных знака)');
  return secret;
}
