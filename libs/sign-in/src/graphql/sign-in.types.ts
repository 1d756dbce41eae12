import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { SignInProvider } from '../sign-in-provider.js';

registerEnumType(SignInProvider, { name: 'SignInProvider', description: 'External identity providers (GitHub, Azure AD)' });

@ObjectType('SignInProviderInfo', { description: 'A provider enabled on this hub; the login page shows only these' })
export class SignInProviderInfoType {
  @Field(() => SignInProvider) provider!: SignInProvider;
  @Field(() => String) label!: string;
  @Field(() => String, { description: 'Open in the browser to sign in' }) startUrl!: string;
}

@ObjectType('UserIdentity', { description: 'A GitHub or Azure AD account linked to your hub account' })
export class UserIdentityType {
  @Field(() => ID) id!: string;
  @Field(() => SignInProvider) provider!: SignInProvider;
  @Field(() => String, { nullable: true, description: 'Email the provider reported at the last sign-in' }) email!: string | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('ProviderLink')
export class ProviderLinkType {
  @Field(() => String, { description: 'Open in this browser to link the provider; single use' }) url!: string;
  @Field(() => Date) expiresAt!: Date;
}
