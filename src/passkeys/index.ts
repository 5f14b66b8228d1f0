export { deleteOldCeremonyChallenges } from "./challenge-store.js";
export { passkeyRoutes } from "./routes.js";
export { createPasskeyService, type PasskeyService, passkeyAmr } from "./service.js";
export { passkeyUserData } from "./user-data.js";
