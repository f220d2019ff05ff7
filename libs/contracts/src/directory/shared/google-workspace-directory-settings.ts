import { IsOptional, IsUUID, Matches, ValidateBy, type ValidationOptions } from 'class-validator';

import { checkMailAddress, isMailAddressError } from './mail-address.js';

/**
 * A Google Workspace customer as the Admin SDK takes it: the alias `my_customer` (the customer of
 * the admin the service account acts as) or a customer id as the Admin console shows it under
 * Account settings (`C` and letters or digits, e.g. `C03az79cb`). The pattern is a string so the
 * OpenAPI schema carries it too.
 */
export const GOOGLE_CUSTOMER_PATTERN = '^(my_customer|C[0-9A-Za-z]{4,20})$';

/**
 * A group as `members.list` takes it (`groupKey`): the group's email address (or an alias of
 * it), or its unique id (lower-case letters and digits, e.g. `03ep43zb2ahk8lj`).
 */
export const GOOGLE_GROUP_ID_PATTERN = '^[0-9a-z]{8,32}$';

/** A host name that can be a Workspace domain: two or more DNS labels, IDN allowed (checked as IDNA). */
function isDomainName(value: unknown): boolean {
  return (
    typeof value === 'string' && !value.includes('@') && !isMailAddressError(checkMailAddress(`x@${value}`))
  );
}

function isMailAddress(value: unknown): boolean {
  return typeof value === 'string' && !isMailAddressError(checkMailAddress(value));
}

const IsMailAddress = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isMailAddress',
      validator: {
        validate: isMailAddress,
        defaultMessage: () => '$property must be an email address (local@domain)',
      },
    },
    options,
  );

const IsDomainName = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isDomainName',
      validator: {
        validate: isDomainName,
        defaultMessage: () => '$property must be a domain name, like example.com',
      },
    },
    options,
  );

/** Refuses the field when `other` is set too: the Admin SDK reads one of the two, never both. */
const ExcludesField = (other: string, options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'excludesField',
      constraints: [other],
      validator: {
        validate: (_value, args) => (args?.object as Record<string, unknown>)[other] === undefined,
        defaultMessage: () =>
          `$property and ${other} exclude each other: give ${other} for all of the customer's domains, or $property for one of them`,
      },
    },
    options,
  );

const IsGroupKey = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isGroupKey',
      validator: {
        validate: (value: unknown) =>
          isMailAddress(value) ||
          (typeof value === 'string' && new RegExp(GOOGLE_GROUP_ID_PATTERN).test(value)),
        defaultMessage: () =>
          "$property must be a group's email address (like archive@example.com) or its id (like 03ep43zb2ahk8lj)",
      },
    },
    options,
  );

/**
 * `google-workspace`: the users of a Google Workspace account that have a Gmail mailbox, listed
 * with the Admin SDK Directory API by a service account with domain-wide delegation acting as an
 * admin (SPEC §5).
 */
export class GoogleWorkspaceDirectorySettings {
  /** A `google-service-account` secret of the tenant: the JSON key of the delegated service account. */
  @IsUUID()
  credentialsSecretId!: string;
  /** The address of a Workspace admin the service account acts as (the JWT `sub`). */
  @IsMailAddress()
  adminSubject!: string;
  /** The customer whose users are listed (default `my_customer`, the admin's own account). */
  @IsOptional()
  @Matches(new RegExp(GOOGLE_CUSTOMER_PATTERN), {
    message:
      '$property must be my_customer or a customer id like C03az79cb (Admin console, Account settings)',
  })
  customer?: string;
  /** Only the users of this one domain of the account, instead of the whole customer. */
  @IsOptional()
  @IsDomainName()
  @ExcludesField('customer')
  domain?: string;
  /** Only the members of this group (its email address or id), members of nested groups included. */
  @IsOptional()
  @IsGroupKey()
  groupKey?: string;
}
