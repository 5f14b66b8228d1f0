export { canonicalizeEmail } from "./email.js";
export { createUserService, type SignedInUser, type UserService } from "./service.js";
export { findUserById, type User } from "./store.js";
