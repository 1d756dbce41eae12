import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, identifyRequest } from '#core';
import { AuthMethod, type User } from '../user.entity.js';
import { UsersService } from '../users.service.js';
import { LoginThrottle } from './login-throttle.js';
import { DUMMY_HASH, verifyPassword } from './password-hasher.js';
import { TokensService } from './tokens.service.js';

/** Where a sign-in came from; kept with the session so people can recognise (and revoke) their own. */
export interface SignInContext {
  method: AuthMethod;
  ip?: string;
  userAgent?: string;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: User;
}

// One message for unknown email, wrong password and disabled account: nothing to enumerate.
const INVALID = () => new DomainError(ErrorCode.UNAUTHENTICATED, 'Invalid email or password');

@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly throttle: LoginThrottle,
  ) {}

  async login(email: string, password: string, ip: string): Promise<Session> {
    const key = email.trim().toLowerCase();
    // A refused attempt is audited under the account it tried (never the password).
    identifyRequest({ actorLabel: key.slice(0, 254), authMethod: AuthMethod.PASSWORD });
    await this.throttle.assertAllowed(key, ip);
    const user = await this.users.findByEmail(key);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      await this.throttle.recordFailure(key, ip);
      throw INVALID();
    }
    await this.throttle.recordSuccess(key, ip);
    return this.startSession(user, { method: AuthMethod.PASSWORD, ip });
  }

  /** The one place that hands a person the hub's tokens, whatever proved who they are (password, GitHub, Azure AD). */
  async startSession(user: User, context: SignInContext): Promise<Session> {
    // From here on the request acts as this person (the audit entry of the sign-in names them).
    identifyRequest({ actorId: user.id, authMethod: context.method, actorLabel: user.email });
    return { ...this.tokens.issue(user.id, user.role), user };
  }

  async refresh(refreshToken: string): Promise<Session> {
    const claims = this.tokens.verify(refreshToken, 'refresh');
    const user = await this.users.findById(claims.sub);
    if (!user || user.disabled) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Account no longer active');
    identifyRequest({ actorId: user.id, authMethod: claims.auth ?? AuthMethod.PASSWORD, actorLabel: user.email });
    // The role comes from the database, not the old token, so a demotion takes effect on refresh.
    return { ...this.tokens.issue(user.id, user.role), user };
  }
}
