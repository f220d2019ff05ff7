import { isEgressRule } from '@mailkeep/egress';
import { IsOptional, ValidateBy } from 'class-validator';

import { EnvVar } from '../env-var.js';
import { ToList } from '../rules.js';

const ENTRIES = {
  each: true,
  message:
    'must be a comma-separated list of <IPv4 address or CIDR>[:<port>] or [<IPv6 address or CIDR>][:<port>]',
};

/** Each list item is an egress entry as `@mailkeep/egress` reads it (the one parser of the format). */
const IsEgressEntry = (): PropertyDecorator =>
  ValidateBy(
    { name: 'isEgressEntry', validator: { validate: (value: unknown) => isEgressRule(value) } },
    ENTRIES,
  );

/**
 * The egress (SSRF) policy of every process that connects to tenant-supplied hosts (connectors,
 * directory). Precedence: a deny entry, then an allow entry, then the default (loopback,
 * unspecified, link-local incl. cloud metadata and multicast refused; everything else allowed).
 * Empty lists are the default: unlike a server list, "no extra entries" is a meaningful setting.
 */
export class EgressEnv {
  @EnvVar(
    'Destinations tenant-supplied hosts may reach besides the default (which refuses loopback, link-local incl. 169.254.169.254, unspecified and multicast): comma-separated <address or CIDR>[:<port>], IPv6 in brackets; an entry with a port allows that port only, e.g. 127.0.0.1:10993 for a local test server.',
  )
  @ToList()
  @IsOptional()
  @IsEgressEntry()
  MAILKEEP_EGRESS_ALLOW: readonly string[] = [];

  @EnvVar(
    'Destinations tenant-supplied hosts may never reach, winning over MAILKEEP_EGRESS_ALLOW: comma-separated <address or CIDR>[:<port>], IPv6 in brackets, e.g. 10.0.0.0/8 or [fd00::/8]:25.',
  )
  @ToList()
  @IsOptional()
  @IsEgressEntry()
  MAILKEEP_EGRESS_DENY: readonly string[] = [];
}
