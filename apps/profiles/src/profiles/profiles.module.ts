import { type DynamicModule, Module } from '@nestjs/common';

import { RemoteServices } from '../ports/remote-services.js';
import { ProfileEventsPublisher } from './profile-events.publisher.js';
import { ProfilesHandler } from './profiles.handler.js';
import { ProfilesRepository } from './profiles.repository.js';
import { ProfilesService } from './profiles.service.js';

@Module({})
export class ProfilesModule {
  static forRoot(): DynamicModule {
    return {
      module: ProfilesModule,
      // The NATS endpoints: served by the bus transport (MessageBusServer).
      controllers: [ProfilesHandler],
      providers: [ProfilesService, ProfilesRepository, ProfileEventsPublisher, RemoteServices],
    };
  }
}
