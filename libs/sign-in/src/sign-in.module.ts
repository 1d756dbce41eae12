import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { urlencoded } from 'express';
import { UsersModule } from '#users';
import { AccountLinkingService } from './account-linking.service.js';
import { SignInCode } from './codes/sign-in-code.entity.js';
import { SignInCodesRepository } from './codes/sign-in-codes.repository.js';
import { SignInFlow } from './flow/sign-in-flow.entity.js';
import { SignInFlows } from './flow/sign-in-flows.js';
import { SignInSealedColumnsModule } from './flow/sign-in-flow-columns.js';
import { SignInFlowsRepository } from './flow/sign-in-flows.repository.js';
import { IdentitiesResolver } from './graphql/identities.resolver.js';
import { SignInResolver } from './graphql/sign-in.resolver.js';
import { SignInController } from './http/sign-in.controller.js';
import { SignInStartThrottle } from './http/sign-in-start-throttle.js';
import { IdentitiesService } from './identities/identities.service.js';
import { UserIdentitiesRepository } from './identities/user-identities.repository.js';
import { UserIdentity } from './identities/user-identity.entity.js';
import { IdentityProviders } from './identity-providers.js';
import { AzureAdTeamsSync } from './azure-ad-teams.sync.js';
import { EXTERNAL_GROUPS_SYNC } from './external-groups.hook.js';
import { SignInService } from './sign-in.service.js';

/** Sign-in with GitHub and Azure AD, account linking, and the one-time code exchange. Imported by apps/hub. */
@Module({
  imports: [TypeOrmModule.forFeature([UserIdentity, SignInFlow, SignInCode]), UsersModule, SignInSealedColumnsModule],
  controllers: [SignInController],
  providers: [
    IdentityProviders,
    SignInStartThrottle,
    SignInFlowsRepository,
    SignInFlows,
    SignInCodesRepository,
    UserIdentitiesRepository,
    AccountLinkingService,
    SignInService,
    IdentitiesService,
    SignInResolver,
    IdentitiesResolver,
    { provide: EXTERNAL_GROUPS_SYNC, useClass: AzureAdTeamsSync },
  ],
})
export class SignInModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    // The app has no global body parser; a form_post callback is the only body these routes read.
    consumer.apply(urlencoded({ extended: false, limit: '64kb' })).forRoutes({ path: 'auth/:provider/callback', method: RequestMethod.POST });
  }
}
