/**
 * Exchange's addresses of a recipient, shared by the sources that read them (Entra ID users,
 * Active Directory users): `proxyAddresses` where `SMTP:` (upper case) marks the primary SMTP
 * address and `smtp:` the others; other prefixes (`SIP:`, `X500:`, `x400:`, `SPO:`, …) are not
 * mail addresses here.
 */
export function parseProxyAddresses(proxies: readonly string[]): {
  primary: string | undefined;
  secondaries: string[];
} {
  let primary: string | undefined;
  const secondaries: string[] = [];
  for (const proxy of proxies) {
    const colon = proxy.indexOf(':');
    if (colon < 0) continue;
    const prefix = proxy.slice(0, colon);
    const address = proxy.slice(colon + 1).trim();
    if (address === '') continue;
    if (prefix === 'SMTP' && primary === undefined) primary = address;
    else if (prefix.toLowerCase() === 'smtp') secondaries.push(address);
  }
  return { primary, secondaries };
}

/**
 * A recipient's primary and secondary addresses from its `mail` values and proxy addresses: the
 * `SMTP:` proxy is the primary when there is one (`mail` then becomes a secondary if it differs),
 * else the first `mail`; duplicates are dropped case-insensitively, the primary never repeated.
 */
export function recipientAddresses(
  mail: readonly string[],
  proxies: readonly string[],
): { primaryAddress: string; secondaryAddresses: string[] } | undefined {
  const mails = mail.map((value) => value.trim()).filter((value) => value !== '');
  const { primary, secondaries } = parseProxyAddresses(proxies);
  const primaryAddress = primary ?? mails[0];
  if (primaryAddress === undefined) return undefined;
  const seen = new Set([primaryAddress.toLowerCase()]);
  const secondaryAddresses = [...mails, ...secondaries].filter((address) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { primaryAddress, secondaryAddresses };
}
