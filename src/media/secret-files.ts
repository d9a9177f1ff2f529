// Key-like files: what must not leave the machine as a "document" unless the operator says so
// (--allow-secret-files). Decided by the file's name AND by its content, so a private key renamed
// notes.txt is caught as surely as ~/.ssh/id_rsa.
import path from "node:path";

// Names that hold credentials by convention (SSH, cloud CLIs, package registries, Kubernetes, .env).
const SECRET_NAMES =
  /^(id_(rsa|dsa|ecdsa|ed25519)(_sk)?|\.env(\..+)?|\.npmrc|\.pypirc|\.netrc|_netrc|\.pgpass|\.git-credentials|\.htpasswd|credentials(\.json)?|kubeconfig|.*\.(pem|key|p12|pfx|jks|keystore|kdbx|ppk))$/i;
// Folders whose files are credentials or configs with tokens.
const SECRET_DIRS = /(^|\/)(\.ssh|\.aws|\.kube|\.gnupg|\.docker|\.config\/gcloud)(\/|$)/;

// Content that is a key or a token whatever the file is called.
const SECRET_CONTENT: readonly RegExp[] = [
  /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/, // PEM, OpenSSH, PGP, encrypted PKCS#8
  /PuTTY-User-Key-File-\d/,
  /\baws_secret_access_key\s*[=:]/i,
  /(^|\n)\s*(\/\/[^\s:]+\/:)?_auth(Token)?\s*=/, // .npmrc tokens
  /\b(client-key-data|client-certificate-data|token):\s*\S{16,}/, // kubeconfig user credentials
  /"private_key"\s*:\s*"-----BEGIN/, // cloud service-account JSON
  /(^|\n)\s*machine\s+\S+\s+login\s+\S+\s+password\s+\S+/, // .netrc
];

/** Why `file` with these bytes looks like a secret (a short clause), or undefined. */
export function secretFileReason(file: string, bytes: Buffer): string | undefined {
  const name = path.basename(file);
  if (SECRET_NAMES.test(name)) return `its name (${name}) is one that holds keys or tokens`;
  if (SECRET_DIRS.test(file.replace(/\\/g, "/"))) return "it lies in a folder of keys or credentials";
  // Keys sit in the first lines; 64 KB covers any PEM bundle without scanning huge logs whole.
  const head = bytes.subarray(0, 64 * 1024).toString("latin1");
  if (SECRET_CONTENT.some((re) => re.test(head))) return "its content looks like a private key or token";
  return undefined;
}
