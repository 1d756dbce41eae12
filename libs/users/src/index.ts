export { User, Role, AuthMethod } from './user.entity.js';
export { LoginService, type Session, type SignInContext } from './auth/login.service.js';
export { UsersModule } from './users.module.js';
export { UsersService, pageSchema } from './users.service.js';
export { UserAuthGuard } from './auth/user-auth.guard.js';
export { CurrentUser, Public, Roles } from './auth/auth.decorators.js';
export { ownsOrAdmin } from './auth/ownership.js';
export { UserType, AuthPayloadType } from './graphql/user.type.js';
export { BootstrapAdminModule } from './bootstrap-admin.service.js';
