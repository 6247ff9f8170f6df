/**
 * Files that must never leave the machine, whatever the ignore settings say and even when open
 * in an editor: environment files, keys and certificates with private parts, credential stores,
 * cloud and cluster configuration, infrastructure state. A pure predicate on the path (and one
 * on the content, for private keys pasted into any file), each answer with a reason.
 */

interface NameRule {
  test: (lowerName: string) => boolean;
  label: string;
}

const startsWith = (prefix: string): NameRule => ({ test: (n) => n.startsWith(prefix), label: `${prefix}*` });
const endsWith = (suffix: string): NameRule => ({ test: (n) => n.endsWith(suffix), label: `*${suffix}` });
const exactly = (name: string): NameRule => ({ test: (n) => n === name, label: name });

/** Rules on the file name (compared in lower case). */
const NAME_RULES: readonly NameRule[] = [
  // Environment files: .env, .env.local, .env.production, prod.env, .envrc.
  startsWith('.env'),
  endsWith('.env'),
  // Private keys, keystores and certificate bundles with private keys.
  ...['.pem', '.key', '.p12', '.pfx', '.p8', '.ppk', '.keystore', '.jks', '.bks', '.kdbx', '.gpg', '.pgp', '.age'].map(endsWith),
  ...['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519'].map(startsWith),
  // Credential stores of package managers, VCS, network tools and databases.
  ...['.npmrc', '.yarnrc', '.yarnrc.yml', '.pypirc', '.netrc', '_netrc', '.git-credentials', '.gitcookies', '.htpasswd', '.pgpass', '.my.cnf', '.boto', '.s3cfg', '.dockercfg', '.vault-token', '.authinfo', 'kubeconfig'].map(exactly),
  startsWith('credentials'),
  startsWith('secrets.'),
  exactly('secrets'),
  exactly('.secrets'),
  endsWith('.secret'),
  endsWith('.secrets'),
  // Infrastructure state and variables (hold passwords and keys in plain text).
  endsWith('.tfstate'),
  endsWith('.tfstate.backup'),
  endsWith('.tfvars'),
  endsWith('.tfvars.json'),
  // Keychains and key databases.
  endsWith('.keychain'),
  endsWith('.keychain-db'),
  startsWith('secring.'),
];

/** Folders whose every file is secret, wherever they are. */
const SECRET_FOLDERS: readonly string[] = ['.ssh', '.aws', '.gnupg', '.azure', '.kube', '.docker', '.password-store', 'secrets', '.secrets', '.terraform'];

/** Folders that are secret only where a home directory keeps them (matched on the full path). */
const NESTED_SECRET_FOLDERS: readonly string[][] = [
  ['.config', 'gcloud'],
  ['.config', 'gh'],
  ['terraform.tfstate.d'],
];

function segments(path: string): string[] {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
}

/**
 * Why the file at `path` is secret, or undefined. `path` is workspace-relative (or absolute for
 * files outside the workspace); `absolutePath`, when given, is also checked for the home-folder
 * stores (`.ssh/`, `.aws/`, `.gnupg/`, `.kube/`, …), so opening `~/.ssh` as a folder still counts.
 */
export function secretFileReason(path: string, absolutePath?: string): string | undefined {
  const parts = segments(path);
  const name = (parts[parts.length - 1] ?? '').toLowerCase();
  for (const rule of NAME_RULES) {
    if (rule.test(name)) {
      return `secret file (${rule.label})`;
    }
  }
  const checkFolders = (all: string[]): string | undefined => {
    const dirs = all.slice(0, -1).map((s) => s.toLowerCase());
    for (const folder of SECRET_FOLDERS) {
      if (dirs.includes(folder)) {
        return `secret file (under ${folder}/)`;
      }
    }
    for (const nested of NESTED_SECRET_FOLDERS) {
      for (let i = 0; i + nested.length <= dirs.length; i++) {
        if (nested.every((s, j) => dirs[i + j] === s)) {
          return `secret file (under ${nested.join('/')}/)`;
        }
      }
    }
    return undefined;
  };
  return checkFolders(parts) ?? (absolutePath !== undefined ? checkFolders(segments(absolutePath)) : undefined);
}

const PRIVATE_KEY_MARKERS = ['PRIVATE KEY-----', 'PRIVATE KEY BLOCK-----'];

/**
 * Why the text itself is secret (a PEM/OpenSSH/PGP private key pasted into any file, including
 * untitled ones), or undefined. A few `indexOf` calls: cheap enough for every keystroke.
 */
export function secretContentReason(text: string): string | undefined {
  for (const marker of PRIVATE_KEY_MARKERS) {
    const at = text.indexOf(marker);
    if (at >= 0 && text.lastIndexOf('-----BEGIN', at) >= 0) {
      return 'contains a private key';
    }
  }
  return undefined;
}
