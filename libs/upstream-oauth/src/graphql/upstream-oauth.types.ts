import { Field, GraphQLISODateTime, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { UpstreamAuthorizationState } from '../upstream-authorization.service.js';

registerEnumType(UpstreamAuthorizationState, { name: 'UpstreamAuthorizationState', description: "The viewer's own authorization of a server that requires OAuth" });

@ObjectType('UpstreamAuthorization', { description: "Your own authorization of a server that requires OAuth (tokens are never returned)" })
export class UpstreamAuthorizationType {
  @Field(() => UpstreamAuthorizationState) state!: UpstreamAuthorizationState;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the current access token expires (the hub refreshes it before then)' }) expiresAt!: Date | null;
  @Field(() => [String]) scopes!: string[];
  @Field(() => GraphQLISODateTime, { nullable: true }) authorizedAt!: Date | null;
}

@ObjectType('ServerOAuth', { description: 'How a remote server requires OAuth: each person authorizes it, their calls carry their own token' })
export class ServerOAuthType {
  @Field(() => String, { nullable: true, description: 'Configured client; null: the hub registers itself (dynamic client registration)' }) clientId!: string | null;
  @Field(() => Boolean, { description: 'A client secret is stored (it is never returned)' }) clientSecretSet!: boolean;
  @Field(() => [String], { description: 'Requested scopes; empty: those the server asks for' }) scopes!: string[];
}

@ObjectType('UpstreamAuthorizationStart')
export class UpstreamAuthorizationStartType {
  @Field(() => String, { description: "Open it in the person's browser; the authorization server sends them back to the hub" }) authorizationUrl!: string;
  @Field(() => GraphQLISODateTime, { description: 'The flow must be finished by then' }) expiresAt!: Date;
}

@InputType()
export class ServerOAuthInput {
  @Field(() => Boolean, { description: 'false: the server no longer uses OAuth, and every stored authorization of it is forgotten' }) enabled!: boolean;
  @Field(() => String, { nullable: true, description: "A client registered with the server's authorization server; empty: dynamic client registration" }) clientId?: string | null;
  @Field(() => String, { nullable: true, description: 'Stored encrypted, never returned; omit to keep the stored one, empty to remove it' }) clientSecret?: string | null;
  @Field(() => [String], { nullable: true, description: 'Scopes to request; empty: those the server asks for' }) scopes?: string[] | null;
}
