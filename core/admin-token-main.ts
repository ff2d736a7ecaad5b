/**
 * `npm run admin:token -- --name NAME [--rights read|write]`: makes a new admin token, prints it
 * once with the hash to configure (ADMIN_TOKENS or ADMIN_TOKENS_FILE). Exit 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { ADMIN_RIGHTS, AdminTokenSchema, generateAdminToken, sha256Hex } from './admin-tokens.ts';
import { isParseArgsError } from './parse-args-error.ts';

const USAGE = `Usage: npm run admin:token -- --name NAME [--rights read|write]

Prints a new admin token (give it to its holder; it is shown only now) and the line that
configures it: only its SHA-256 is kept in the API's configuration. --rights defaults to read.`;

function main(): number {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      rights: { type: 'string', default: 'read' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const token = generateAdminToken();
  const parsed = AdminTokenSchema.safeParse({
    name: values.name,
    rights: values.rights,
    sha256: sha256Hex(token),
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `--${String(issue.path[0])}: ${issue.message}`);
    console.error(`${problems.join('\n')}\n(rights: ${ADMIN_RIGHTS.join(' or ')})\n${USAGE}`);
    return 2;
  }
  const { name, rights, sha256 } = parsed.data;
  console.log(`Token for ${name} (${rights}), shown once:\n\n  ${token}\n`);
  console.log(
    `Configure it with ADMIN_TOKENS (comma-separated with the others):\n\n  ${name}:${rights}:${sha256}\n`,
  );
  console.log(
    `or in ADMIN_TOKENS_FILE:\n\n  tokens:\n    - { name: ${name}, rights: ${rights}, sha256: ${sha256} }`,
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  if (!isParseArgsError(error)) throw error;
  console.error(`${error.message}\n${USAGE}`);
  process.exitCode = 2;
}
