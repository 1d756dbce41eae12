export { User, Role, AuthMethod } from './user.entity.js';
export { LoginService, type Session, type SignInContext } from './auth/login.service.js';
export { UsersModule } from './users.module.js';
export { UsersService, pageSchema } from './users.service.js';
export { AccessGuard } from './auth/access.guard.js';
export { UserType } from './graphql/user.type.js';
export { BootstrapAdminModule } from './bootstrap-admin.service.js';
