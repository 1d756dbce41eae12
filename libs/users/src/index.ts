export { User, Role } from './user.entity.js';
export { UsersModule } from './users.module.js';
export { UsersService, pageSchema } from './users.service.js';
export { UserAuthGuard } from './auth/user-auth.guard.js';
export { CurrentUser, Public, Roles } from './auth/auth.decorators.js';
export { ownsOrAdmin } from './auth/ownership.js';
export { UserType } from './graphql/user.type.js';
export { BootstrapAdminModule } from './bootstrap-admin.service.js';
