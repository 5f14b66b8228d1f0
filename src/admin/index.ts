export { createOperations, type Operations } from "./feature.js";
export { type AdminKey, type AdminKeys, createAdminKeys } from "./keys.js";
export { adminRoutes } from "./routes.js";
export { type AdminService, createAdminService } from "./service.js";
export {
  coreUserData,
  createUserDataRegistry,
  type UserDataRegistry,
  type UserDataSource,
} from "./user-data.js";
