import { createTestApp, type TestApp, type TestAppOptions } from "../../support/harness.js";

/** One app instance; several may share a database, a clock and a mailbox (see TestAppOptions). */
export const createInstance = (options: TestAppOptions = {}): Promise<TestApp> => createTestApp(options);
