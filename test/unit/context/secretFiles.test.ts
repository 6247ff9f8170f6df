import * as assert from 'node:assert/strict';
import { secretContentReason, secretFileReason } from '../../../src/core/context/secretFiles';

describe('secretFiles', () => {
  it('flags secret file names, with the rule as the reason', () => {
    const secret: Record<string, string> = {
      '.env': '.env*',
      'app/.env.local': '.env*',
      '.env.production': '.env*',
      '.envrc': '.env*',
      'config/prod.env': '*.env',
      'certs/server.pem': '*.pem',
      'tls/private.KEY': '*.key',
      'cert.p12': '*.p12',
      'cert.pfx': '*.pfx',
      'AuthKey_ABC.p8': '*.p8',
      'id_rsa': 'id_rsa*',
      'keys/id_ed25519.pub': 'id_ed25519*',
      'id_ecdsa': 'id_ecdsa*',
      '.npmrc': '.npmrc',
      '.pypirc': '.pypirc',
      '.netrc': '.netrc',
      '.git-credentials': '.git-credentials',
      'credentials.json': 'credentials*',
      'release.keystore': '*.keystore',
      'upload.jks': '*.jks',
      'infra/terraform.tfstate': '*.tfstate',
      'infra/prod.tfvars': '*.tfvars',
      'kubeconfig': 'kubeconfig',
      'config/secrets.yml': 'secrets.*',
    };
    for (const [path, rule] of Object.entries(secret)) {
      assert.equal(secretFileReason(path), `secret file (${rule})`, path);
    }
  });

  it('flags everything under secret folders', () => {
    assert.equal(secretFileReason('.aws/config'), 'secret file (under .aws/)');
    assert.equal(secretFileReason('home/.ssh/known_hosts'), 'secret file (under .ssh/)');
    assert.equal(secretFileReason('.gnupg/pubring.kbx'), 'secret file (under .gnupg/)');
    assert.equal(secretFileReason('deploy/secrets/db.txt'), 'secret file (under secrets/)');
    assert.equal(secretFileReason('.kube/config'), 'secret file (under .kube/)');
    assert.equal(secretFileReason('.config/gcloud/application_default_credentials.json'), 'secret file (under .config/gcloud/)');
    assert.equal(secretFileReason('gcp/credentials-prod.json'), 'secret file (credentials*)');
    assert.equal(secretFileReason('C:\\Users\\me\\.aws\\config'), 'secret file (under .aws/)');
  });

  it('checks the absolute path for home stores, so a folder opened inside ~/.ssh still counts', () => {
    assert.equal(secretFileReason('config'), undefined);
    assert.equal(secretFileReason('config', '/home/me/.ssh/config'), 'secret file (under .ssh/)');
  });

  it('leaves ordinary files alone', () => {
    for (const path of ['src/env.ts', 'src/environment.ts', 'docs/keys.md', 'src/keyboard.ts', 'README.md', 'src/secretFiles.ts', 'package.json', 'tsconfig.json', '.gitignore', 'src/identity.ts', 'cert.crt']) {
      assert.equal(secretFileReason(path), undefined, path);
    }
  });

  it('flags private keys pasted into any text', () => {
    assert.equal(secretContentReason('a\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n'), 'contains a private key');
    assert.equal(secretContentReason('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn'), 'contains a private key');
    assert.equal(secretContentReason('-----BEGIN PGP PRIVATE KEY BLOCK-----\n'), 'contains a private key');
    assert.equal(secretContentReason('-----BEGIN PUBLIC KEY-----\nMIIB\n'), undefined);
    assert.equal(secretContentReason('const marker = "PRIVATE KEY-----";'), undefined);
  });
});
