import {
  ContractError,
  PROFILE_SETTINGS,
  type PayloadClass,
  type ProfileBase,
  type ProfileType,
  SETTING_PROPERTIES,
} from '@mailkeep/contracts';
import { toValidPayload } from '@mailkeep/messaging';

/** What a connection test receives: a saved profile or a draft, without the stored bookkeeping. */
export type ProfileDraftOf<P> = Omit<P, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

/**
 * Checks a profile (a saved one or a draft) against the settings class of the connector's type and
 * hands it on typed, so the connector reads its own settings without checking them again. Only the
 * type-specific properties are judged (the common ones were checked by the reply or the profiles
 * service); one that another type uses is refused like a wrong value. A profile that does not fit
 * is a permanent VALIDATION error naming the fields, never retried.
 */
export async function checkProfileFor<P extends Pick<ProfileBase, 'type'>>(
  type: P['type'] & ProfileType,
  profile: Readonly<Record<string, unknown>> | object,
): Promise<P> {
  const given = profile as Readonly<Record<string, unknown>>;
  if (given['type'] !== undefined && given['type'] !== type) {
    throw ContractError.validation(
      [
        {
          field: 'type',
          message: `a ${type} connector cannot use a ${JSON.stringify(given['type'])} profile`,
        },
      ],
      `The profile is not a ${type} profile`,
    );
  }
  const settings = Object.fromEntries(
    SETTING_PROPERTIES.filter((property) => given[property] !== undefined).map((property) => [
      property,
      given[property],
    ]),
  );
  try {
    const settingsClass: PayloadClass<object> = PROFILE_SETTINGS[type];
    await toValidPayload(settingsClass, settings);
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    throw ContractError.validation(
      error.fields ?? [],
      `The profile's settings do not fit a ${type} connector`,
    );
  }
  // Checked just above against the type's settings class: this is what P promises.
  return profile as P;
}
