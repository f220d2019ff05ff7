import type { ServiceSchema } from '@mailkeep/persistence';

import { ProfileEntity } from '../profiles/profile.entity.js';
import { CreateProfilesSchema1764000000100 } from './migrations/1764000000100-create-profiles-schema.js';

/** The profiles service's own tables, in schema `profiles`, changed only by these migrations. */
export const PROFILES_SCHEMA: ServiceSchema = {
  schema: 'profiles',
  entities: [ProfileEntity],
  migrations: [CreateProfilesSchema1764000000100],
};
