// Key-like files: what must not leave the machine as a "document" unless the operator says so
// (--allow-secret-files). Decided by the file's name AND by its content, so a private key renamed
// notes.txt is caught as surely as ~/.ssh/id_rsa; a parsed document (docx, compressed PDF) is
// checked again on its extracted text, which the raw bytes hide.
import path from "node:path";

// Names that hold credentials by convention (SSH, cloud CLIs, package registries, Kubernetes,
// .env and direnv's .envrc, cargo's credentials.toml, npmrc without the dot as in $PREFIX/etc).
const SECRET_NAMES =
  /^(id_(rsa|dsa|ecdsa|ed25519)(_sk)?|\.env(\..+)?|\.envrc|[._]?npmrc|\.yarnrc(\.yml)?|[._]?pypirc|[._]netrc|\.pgpass|\.git-credentials|\.htpasswd|credentials(\.json|\.toml)?|(.*\.)?kubeconfig(\.ya?ml)?|.*\.(pem|key|p12|pfx|jks|keystore|kdbx|ppk))$/i;
// Folders whose files are credentials or configs with tokens.
const SECRET_DIRS = /(^|\/)(\.ssh|\.aws|\.kube|\.gnupg|\.docker|\.config\/(gcloud|gh|hub|op))(\/|$)/;
// Single files known by their path: a repository's .git/config (a token in a remote URL).
const SECRET_PATHS = /(^|\/)\.git\/config$/;

// Content that is a key or a token whatever the file is called.
const SECRET_CONTENT: readonly RegExp[] = [
  /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/, // PEM, OpenSSH, PGP, encrypted PKCS#8
  /PuTTY-User-Key-File-\d/,
  /\baws_secret_access_key\s*[=:]/i,
  /(^|\n)\s*(\/\/[^\s:]+\/:)?_auth(Token)?\s*=/, // .npmrc tokens
  /\b(client-key-data|client-certificate-data|token):\s*\S{16,}/, // kubeconfig user credentials
  /"private_key"\s*:\s*"-----BEGIN/, // cloud service-account JSON
  /(^|\n)\s*machine\s+\S+\s+login\s+\S+\s+password\s+\S+/, // .netrc
  /\boauth_token:\s*\S{16,}/, // gh / hub hosts.yml
  /"auths"\s*:\s*\{[^}]*"auth"\s*:\s*"[A-Za-z0-9+/=]{8,}"/, // docker config.json
  /\burl\s*=\s*[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]{8,}@/i, // .git/config remote with a token
  // Well-known token shapes: GitHub, GitLab, Slack, AWS access key ids, npm, OpenAI-style keys.
  /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}|glpat-[A-Za-z0-9_-]{20,}|xox[abpr]-[A-Za-z0-9-]{20,}|AKIA[0-9A-Z]{16}|npm_[A-Za-z0-9]{36}|sk-[A-Za-z0-9_-]{32,})\b/,
];

// In extracted document text, also .env lines: NAME_WITH_KEY/SECRET/TOKEN/PASSWORD=value (8+ chars).
// Only there: in source code "API_KEY=…" lines are common and harmless (process.env reads).
const ENV_LINE =
  /(^|\n)[ \t]*(export[ \t]+)?[A-Z][A-Z0-9_]*(KEY|SECRET|TOKEN|PASSWORD|PASSWD|PWD)[A-Z0-9_]*[ \t]*=[ \t]*['"]?[^\s'"$]{8,}/;

/** Why `file` with these bytes looks like a secret (a short clause), or undefined. */
export function secretFileReason(file: string, bytes: Buffer): string | undefined {
  const name = path.basename(file);
  const slashed = file.replace(/\\/g, "/");
  if (SECRET_NAMES.test(name)) return `its name (${name}) is one that holds keys or tokens`;
  if (SECRET_DIRS.test(slashed)) return "it lies in a folder of keys or credentials";
  if (SECRET_PATHS.test(slashed)) return "it is a git config, whose remote URLs may carry tokens";
  // Keys sit in the first lines; 64 KB covers any PEM bundle without scanning huge logs whole.
  const head = bytes.subarray(0, 64 * 1024).toString("latin1");
  if (SECRET_CONTENT.some((re) => re.test(head))) return "its content looks like a private key or token";
  return undefined;
}

/** Why text extracted from a document (docx, PDF…) looks like a secret (a short clause), or undefined. */
export function secretTextReason(text: string): string | undefined {
  if (SECRET_CONTENT.some((re) => re.test(text))) return "its text holds a private key or token";
  if (ENV_LINE.test(text)) return "its text holds .env-style secret lines (NAME_KEY=value)";
  return undefined;
}
