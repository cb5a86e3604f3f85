import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may not go: loopback, private, carrier-grade NAT, link-local (cloud metadata),
 * unique-local, multicast, reserved and unspecified addresses, IPv4 and IPv6, so that a registered webhook
 * cannot be pointed at the product's own PostgreSQL or Temporal, or at anything else inside the network.
 * IPv6 addresses that carry an IPv4 address to a translator (NAT64, 6to4) are refused whole: on a network
 * with such a gateway they reach any IPv4 address, internal ones included.
 */
const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  internal.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible addresses
  ['64:ff9b::', 96], // NAT64, well-known prefix
  ['64:ff9b:1::', 48], // NAT64, local use
  ['2002::', 16], // 6to4
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  internal.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is one that webhooks may not reach (IPv4-mapped IPv6 addresses count as IPv4). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return internal.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return internal.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether the operator allowed this URL's host (OMS_WEBHOOK_ALLOWED_HOSTS: `host` or `host:port`). */
export function isAllowedHost(url: URL, allowedHosts: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowedHosts.includes(host) || allowedHosts.includes(`${host}:${port}`);
}

/** Raised for a destination webhooks may not reach; the message is safe to show to anyone. */
export class ForbiddenDestinationError extends Error {}

const REFUSED =
  'resolves to a loopback, private, link-local or otherwise internal address, which webhooks may not reach';

/** The addresses of the URL's host (the host itself when it is an IP literal). */
async function addressesOf(url: URL): Promise<LookupAddress[]> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(host);
  if (family !== 0) return [{ address: host, family }];
  return lookup(host, { all: true, verbatim: true });
}

/**
 * Checks a webhook URL against the destination policy, resolving its host now; throws
 * ForbiddenDestinationError saying what is wrong. Called when a webhook is registered and again right
 * before each call (with `pinnedLookup`), so a name that later resolves elsewhere (DNS rebinding) is caught.
 */
export async function assertAllowedDestination(url: URL, allowedHosts: readonly string[]): Promise<void> {
  if (!['http:', 'https:'].includes(url.protocol))
    throw new ForbiddenDestinationError('must be an http:// or https:// URL');
  if (url.username || url.password)
    throw new ForbiddenDestinationError('must not carry a user name or password');
  if (isAllowedHost(url, allowedHosts)) return;
  let addresses: LookupAddress[];
  try {
    addresses = await addressesOf(url);
  } catch {
    throw new ForbiddenDestinationError('names a host that cannot be resolved');
  }
  if (addresses.length === 0 || addresses.some(({ address }) => isInternalAddress(address)))
    throw new ForbiddenDestinationError(REFUSED);
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that resolves the host and refuses internal addresses at connection time,
 * so the address checked is the address connected to.
 */
export function pinnedLookup(allowInternal: boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    lookup(hostname, { all: true, verbatim: true }).then(
      (addresses) => {
        const usable = allowInternal ? addresses : addresses.filter((a) => !isInternalAddress(a.address));
        if (usable.length === 0 || usable.length !== addresses.length) {
          callback(new ForbiddenDestinationError(REFUSED), []);
          return;
        }
        if (options.all) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      () => callback(new ForbiddenDestinationError('names a host that cannot be resolved'), []),
    );
  };
}
