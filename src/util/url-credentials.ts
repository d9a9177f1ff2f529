// Credentials inside URLs (Redis, proxies): `scheme://user:PW@host`, `scheme://:PW@host`, and
// query parameters such as `?password=PW`, which ioredis accepts as an option. One masking
// function for every place a URL may be printed (config errors, doctor, logs, tool errors), and
// the list of secret values so the redactor catches them anywhere else they turn up.

/** Query parameter names whose values are credentials. */
const SECRET_PARAM = /pass|pwd|secret|token|auth|key/i;
const MASK = "***";

/** `text` (a URL, or a sentence holding URLs) with every password in userinfo and secret query parameter masked. */
export function maskUrlCredentials(text: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\/\S*$/i.test(text) && URL.canParse(text)) {
    // One URL: through the URL parser, so the result is the normalised URL (as the config shows it).
    const u = new URL(text);
    if (u.password) u.password = MASK;
    for (const [name, value] of [...u.searchParams])
      if (SECRET_PARAM.test(name) && value) u.searchParams.set(name, MASK);
    return u.toString();
  }
  return (
    text
      // scheme://user:PW@ and scheme://:PW@ (the user name stays: it is not a secret).
      .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)[^\s/?#@]*@/gi, `$1${MASK}@`)
      // ?password=PW, &sentinelPassword=PW, ?auth=PW …
      .replace(/([?&][^=&#\s]*=)([^&#\s"']*)/g, (whole, name: string, value: string) =>
        SECRET_PARAM.test(name) && value ? `${name}${MASK}` : whole,
      )
  );
}

/** The secret values a URL carries, raw and percent-decoded (for the redactor), or none. */
export function urlSecrets(url: string | undefined): string[] {
  if (!url || !URL.canParse(url)) return [];
  const u = new URL(url);
  const out = new Set<string>();
  const add = (v: string) => {
    if (!v) return;
    out.add(v);
    try {
      out.add(decodeURIComponent(v));
    } catch {
      // a malformed escape: the raw form is registered already
    }
  };
  add(u.password);
  for (const [name, value] of u.searchParams) if (SECRET_PARAM.test(name)) add(value);
  return [...out];
}
