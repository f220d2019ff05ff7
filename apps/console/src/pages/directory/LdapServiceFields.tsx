import { Alert, Anchor, Checkbox, Group, Select, TextInput } from '@mantine/core';
import { Link } from 'react-router';

import { secretOptions } from '../../api/options';
import { tenantPath } from '../../app/tenant';
import { IconAlert } from '../../components/icons';
import { RemoteSelect } from '../../components/RemoteSelect';
import { LDAP_PROTOCOL_LABELS, LDAP_SECRET_TYPES, type LdapDraft, type LdapProtocol } from './ldap-model';

/** The fields of an ldap directory service (Active Directory or another LDAP server). */
export function LdapServiceFields({
  tenantId,
  draft,
  credentialsSecretId,
  errors,
  change,
  changeSecret,
}: {
  tenantId: string;
  draft: LdapDraft;
  credentialsSecretId: string;
  errors: Record<string, string>;
  change: (patch: Partial<LdapDraft>) => void;
  changeSecret: (id: string) => void;
}) {
  return (
    <>
      <Group grow align="flex-start">
        <TextInput
          label="Server name"
          required
          description="A domain controller or LDAP server: host name or IP address."
          placeholder="dc01.contoso.com"
          value={draft.serverName}
          onChange={(e) => change({ serverName: e.currentTarget.value })}
          error={errors.serverName}
        />
        <TextInput
          label="Port"
          description="Empty: 636 for LDAPS, else 389."
          inputMode="numeric"
          value={draft.port}
          onChange={(e) => change({ port: e.currentTarget.value })}
          error={errors.port}
        />
      </Group>
      <Select
        label="Connection security"
        data={Object.entries(LDAP_PROTOCOL_LABELS).map(([value, label]) => ({ value, label }))}
        value={draft.protocol}
        onChange={(value) => value && change({ protocol: value as LdapProtocol })}
        error={errors.protocol}
        allowDeselect={false}
      />
      <RemoteSelect
        {...secretOptions(tenantId, LDAP_SECRET_TYPES)}
        label="Bind account"
        required
        description={
          <>
            A user name and password secret: the bind DN (for Active Directory also user@domain) and its
            password. Read access to the users is enough.{' '}
            <Anchor component={Link} to={tenantPath(tenantId, 'secrets')} size="xs">
              Manage secrets
            </Anchor>
          </>
        }
        placeholder="Choose a secret"
        value={credentialsSecretId}
        onChange={changeSecret}
        error={errors.credentialsSecretId}
      />
      <TextInput
        label="Base DN"
        required
        description="Where the search for users starts (the whole subtree)."
        placeholder="DC=contoso,DC=com"
        value={draft.baseDn}
        onChange={(e) => change({ baseDn: e.currentTarget.value })}
        error={errors.baseDn}
      />
      <TextInput
        label="Filter"
        description="Optional LDAP filter for the users. Empty: (|(objectClass=user)(objectClass=inetOrgPerson)). Entries without an address are always left out."
        placeholder="(&(objectCategory=person)(objectClass=user)(msExchMailboxGuid=*))"
        value={draft.filter}
        onChange={(e) => change({ filter: e.currentTarget.value })}
        error={errors.filter}
      />
      <TextInput
        label="Group DN"
        description="Optional: only the members of this group, nested groups included."
        placeholder="CN=Archive-Scope,OU=Groups,DC=contoso,DC=com"
        value={draft.groupDn}
        onChange={(e) => change({ groupDn: e.currentTarget.value })}
        error={errors.groupDn}
      />
      <Group grow align="flex-start">
        <TextInput
          label="Mail attribute"
          description="Empty: mail. Exchange proxyAddresses are read too."
          value={draft.mailAttribute}
          onChange={(e) => change({ mailAttribute: e.currentTarget.value })}
          error={errors.mailAttribute}
        />
        <TextInput
          label="Display name attribute"
          description="Empty: displayName (then cn)."
          value={draft.displayNameAttribute}
          onChange={(e) => change({ displayNameAttribute: e.currentTarget.value })}
          error={errors.displayNameAttribute}
        />
      </Group>
      <Group grow align="flex-start">
        <TextInput
          label="Page size"
          description="Entries per page; empty: 500 (Active Directory allows up to 1,000)."
          inputMode="numeric"
          value={draft.pageSize}
          onChange={(e) => change({ pageSize: e.currentTarget.value })}
          error={errors.pageSize}
        />
        <TextInput
          label="Timeout (seconds)"
          description="10–600; empty: 60."
          inputMode="numeric"
          value={draft.timeoutSeconds}
          onChange={(e) => change({ timeoutSeconds: e.currentTarget.value })}
          error={errors.timeoutSeconds}
        />
      </Group>
      {draft.protocol !== 'ldap' ? (
        <Checkbox
          label="Ignore TLS certificate errors"
          description="Accepts any certificate the server presents. Unsafe: use only for a server with a self-signed certificate on a trusted network."
          checked={draft.ignoreTlsCertificateErrors}
          onChange={(e) => change({ ignoreTlsCertificateErrors: e.currentTarget.checked })}
          error={errors.ignoreTlsCertificateErrors}
        />
      ) : (
        <Alert color="yellow" icon={<IconAlert />} py="xs">
          Without encryption the bind password and every address cross the network in clear text.
        </Alert>
      )}
      {draft.protocol !== 'ldap' && draft.ignoreTlsCertificateErrors ? (
        <Alert color="yellow" icon={<IconAlert />} py="xs">
          Certificate errors are ignored: Mailkeep cannot tell the real server from an impostor, which would
          receive the bind password.
        </Alert>
      ) : null}
    </>
  );
}
