import type { ExclusionPolicy } from '../../core/chat/workspaceFiles';

/**
 * Files the chat never reads or attaches. Until the context builder's predicates are wired in,
 * a conservative built-in list of secret-looking names.
 */
const SECRET_NAMES = [
  /^\.env(\..*)?$/i,
  /^\.npmrc$/i,
  /^\.netrc$/i,
  /^\.pypirc$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)(\.pub)?$/i,
  /\.(pem|key|p12|pfx|keystore|jks)$/i,
  /^credentials(\.json)?$/i,
  /^secrets?\.(json|ya?ml|toml)$/i,
];

export const fallbackExclusions: ExclusionPolicy = (relativePath) => {
  const segments = relativePath.split('/').filter(Boolean);
  const name = segments[segments.length - 1] ?? '';
  if (SECRET_NAMES.some((re) => re.test(name))) {
    return 'secret file';
  }
  if (segments.includes('node_modules')) {
    return 'ignored';
  }
  return undefined;
};
