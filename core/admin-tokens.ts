import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './errors.ts';

/** `read`: look at everything; `write`: change things too (sources, index, best bets). */
export const ADMIN_RIGHTS = ['read', 'write'] as const;
export type AdminRight = (typeof ADMIN_RIGHTS)[number];

/** An admin token as configured: its name (for the audit log), its rights, and only its hash. */
export const AdminTokenSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._@-]{1,64}$/, 'a name of letters, digits, . _ @ -, e.g. alice or ops-bot'),
    rights: z.enum(ADMIN_RIGHTS),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the token, 64 lower-case hex digits (npm run admin:token)'),
  })
  .strict();
export type AdminToken = z.infer<typeof AdminTokenSchema>;

const TokensFileSchema = z.object({ tokens: z.array(AdminTokenSchema) }).strict();

/**
 * The admin tokens of `ADMIN_TOKENS` (`name:rights:sha256`, comma-separated) and of
 * `ADMIN_TOKENS_FILE` (YAML, `tokens: [{ name, rights, sha256 }]`). Hashes only: a token's value
 * is shown once, by `npm run admin:token`, and kept by its holder; a leaked configuration gives
 * nobody a token. SHA-256 without salt suffices for 256 random bits: there is nothing to guess.
 */
export async function loadAdminTokens(
  env: string | undefined,
  file: string | undefined,
): Promise<AdminTokens> {
  const tokens: AdminToken[] = [];
  if (env) tokens.push(...parseTokensVariable(env));
  if (file) tokens.push(...(await readTokensFile(file)));
  const names = tokens.map((token) => token.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) {
    throw new ConfigError([{ variable: 'ADMIN_TOKENS', message: `the name '${repeated}' is given twice` }]);
  }
  return new AdminTokens(tokens);
}

function parseTokensVariable(value: string): AdminToken[] {
  return value.split(',').map((item, index) => {
    const [name, rights, sha256, ...rest] = item.trim().split(':');
    const parsed = AdminTokenSchema.safeParse({ name, rights, sha256 });
    if (!parsed.success || rest.length > 0) {
      const why = parsed.success
        ? 'too many fields'
        : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new ConfigError([
        { variable: 'ADMIN_TOKENS', message: `token ${index + 1}: expected name:rights:sha256 (${why})` },
      ]);
    }
    return parsed.data;
  });
}

async function readTokensFile(file: string): Promise<AdminToken[]> {
  let raw: unknown;
  try {
    raw = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([
      { variable: 'ADMIN_TOKENS_FILE', message: `cannot read ${file}: ${String(error)}` },
    ]);
  }
  const parsed = TokensFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: 'ADMIN_TOKENS_FILE',
        message: `${file}: ${issue.path.join('.') || '(file)'}: ${issue.message}`,
      })),
    );
  }
  return parsed.data.tokens;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A new token: 32 random bytes, with a prefix that says what it is (and lets secret scanners find it). */
export function generateAdminToken(): string {
  return `pasadm_${randomBytes(32).toString('base64url')}`;
}

/** The configured tokens, checked by hash in constant time. */
export class AdminTokens {
  private readonly digests: { token: AdminToken; digest: Buffer }[];

  constructor(tokens: readonly AdminToken[]) {
    this.digests = tokens.map((token) => ({ token, digest: Buffer.from(token.sha256, 'hex') }));
  }

  get size(): number {
    return this.digests.length;
  }

  /**
   * The token whose hash matches `presented`, if any. Every configured hash is compared, each in
   * constant time, so the time taken says nothing about which one (nearly) matched.
   */
  verify(presented: string): AdminToken | undefined {
    const digest = createHash('sha256').update(presented, 'utf8').digest();
    let found: AdminToken | undefined;
    for (const candidate of this.digests) {
      if (timingSafeEqual(candidate.digest, digest) && !found) found = candidate.token;
    }
    return found;
  }
}
