/** Where the auth API lives: the routes' prefix, and the path of the refresh and binding cookies. */
export const API_PREFIX = "/api/auth";
