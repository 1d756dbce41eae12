import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '#users';
import { ApiKey } from './api-key.entity.js';
import { KeysResolver } from './graphql/keys.resolver.js';
import { KeysService } from './keys.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ApiKey]), UsersModule],
  providers: [KeysService, KeysResolver],
  exports: [KeysService],
})
export class KeysModule {}
