import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode, PINO, identifyRequest, unauthenticated, type Logger } from '#core';
import { SignInSessionsRepository } from '../sessions/sign-in-sessions.repository.js';
import { AuthMethod, type User } from '../user.entity.js';
import { UsersService } from '../users.service.js';
import { LoginThrottle } from './login-throttle.js';
import { PasswordHasher } from './password-hasher.js';
import { TokensService, hashRefreshToken } from './tokens.service.js';

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
// Stored for recognition only; a client controls both, so they are bounded.
const MAX_USER_AGENT = 512;
const MAX_IP = 64;

@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SignInSessionsRepository,
    private readonly passwords: PasswordHasher,
    @Inject(PINO) private readonly logger: Logger,
  ) {}

  async login(email: string, password: string, ip: string, userAgent?: string): Promise<Session> {
    const key = email.trim().toLowerCase();
    // A refused attempt is audited under the account it tried (never the password).
    identifyRequest({ actorLabel: key.slice(0, 254), authMethod: AuthMethod.PASSWORD });
    await this.throttle.assertAllowed(key, ip);
    const user = await this.users.findByEmail(key);
    const ok = await this.passwords.verify(password, user?.passwordHash ?? this.passwords.dummyHash);
    if (!user || !ok || user.disabled) {
      await this.throttle.recordFailure(key, ip);
      throw INVALID();
    }
    await this.throttle.recordSuccess(key, ip);
    return this.startSession(user, { method: AuthMethod.PASSWORD, ip, userAgent });
  }

  /** The one place that hands a person the hub's tokens, whatever proved who they are (password, GitHub, Azure AD). */
  async startSession(user: User, context: SignInContext): Promise<Session> {
    if (user.disabled) throw INVALID();
    // From here on the request acts as this person (the audit entry of the sign-in names them).
    identifyRequest({ actorId: user.id, authMethod: context.method, actorLabel: user.email });
    const id = randomUUID();
    const expiresAt = this.tokens.refreshExpiry();
    const refreshToken = this.tokens.issueRefresh(user.id, id, expiresAt);
    await this.sessions.create({
      id,
      userId: user.id,
      method: context.method,
      ip: context.ip?.slice(0, MAX_IP) ?? null,
      userAgent: context.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
      expiresAt,
      refreshTokenHash: hashRefreshToken(refreshToken),
    });
    return { ...this.tokens.issueAccess(user, { id, method: context.method }), refreshToken, user };
  }

  /** Rotates: the presented refresh token stops working, and a second use of it ends the whole session. */
  async refresh(refreshToken: string): Promise<Session> {
    const claims = this.tokens.verifyRefresh(refreshToken);
    const expiresAt = this.tokens.refreshExpiry();
    const next = this.tokens.issueRefresh(claims.sub, claims.sid, expiresAt);
    const method = await this.sessions.rotate(claims.sid, claims.sub, hashRefreshToken(refreshToken), hashRefreshToken(next), expiresAt);
    if (!method) {
      // Genuine (signed by us) but not the session's current token: it was exchanged before, so two parties hold
      // this session's tokens. Which one is the thief is unknowable; end the session for both.
      if (await this.sessions.revoke(claims.sid)) {
        this.logger.warn({ userId: claims.sub, sessionId: claims.sid }, 'refresh token reused: sign-in session revoked');
        throw unauthenticated('This refresh token was already used, so the session has been ended for safety: sign in again');
      }
      throw unauthenticated('Session ended: sign in again');
    }
    const user = await this.users.findById(claims.sub);
    // Disabling revokes sessions; this covers an account disabled between the rotation and here.
    if (!user || user.disabled) throw unauthenticated('Account no longer active');
    identifyRequest({ actorId: user.id, authMethod: method, actorLabel: user.email });
    // The role comes from the database, not the old token, so a demotion takes effect on refresh.
    return { ...this.tokens.issueAccess(user, { id: claims.sid, method }), refreshToken: next, user };
  }
}
