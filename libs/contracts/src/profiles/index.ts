export * from '../connector/test-connection/test-connection.contract.js';
export * from './profile/archiving-profile.js';
export * from './profile/profile-settings.js';
export * from './profile-table.js';
export * from './profile-crud/profile-crud.contract.js';
export * from './profile-events/profile-events.contract.js';

import { CONNECTOR_TEST_CONNECTION_V1 } from '../connector/test-connection/test-connection.contract.js';
import {
  PROFILE_CREATE_V1,
  PROFILE_DELETE_V1,
  PROFILE_GET_V1,
  PROFILE_LIST_V1,
  PROFILE_TEST_CONNECTION_V1,
  PROFILE_UPDATE_V1,
} from './profile-crud/profile-crud.contract.js';
import {
  PROFILE_CREATED_V1,
  PROFILE_DELETED_V1,
  PROFILE_UPDATED_V1,
} from './profile-events/profile-events.contract.js';

/** The profiles service's contracts and the connector test-connection requests it sends. */
export const PROFILES_CONTRACTS = [
  PROFILE_CREATE_V1,
  PROFILE_GET_V1,
  PROFILE_LIST_V1,
  PROFILE_UPDATE_V1,
  PROFILE_DELETE_V1,
  PROFILE_TEST_CONNECTION_V1,
  PROFILE_CREATED_V1,
  PROFILE_UPDATED_V1,
  PROFILE_DELETED_V1,
  ...Object.values(CONNECTOR_TEST_CONNECTION_V1),
] as const;
