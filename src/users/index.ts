export { canonicalizeEmail } from "./email.js";
export { createUserService, type SignedInUser, type UserService } from "./service.js";
export { findUserById, insertUserIfAbsent, type User } from "./store.js";
