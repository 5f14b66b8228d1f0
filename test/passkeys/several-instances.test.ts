import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryMailbox } from "../../src/mail/transports.js";
import { createSteppableClock } from "../support/clock.js";
import {
  createPostgresSchema,
  type TestDatabase,
  testDatabaseKind,
  testRedisUrl,
  uniqueName,
} from "../support/database.js";
import { createBrowser, createTestApp, signIn, type TestApp } from "../support/harness.js";
import { addPasskey, authenticationOptions, createAuthenticator, expectError, PASSKEYS } from "./helpers.js";

describe.runIf(testDatabaseKind === "postgres" && testRedisUrl)(
  "passkeys on two instances sharing PostgreSQL and Redis",
  () => {
    let database: TestDatabase;
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      database = await createPostgresSchema();
      const shared = {
        database,
        clock: createSteppableClock(Date.now()),
        mailbox: createMemoryMailbox(),
        env: { REDIS_URL: testRedisUrl as string, REDIS_KEY_PREFIX: `${uniqueName("lkt")}:` },
      };
      a = await createTestApp(shared);
      b = await createTestApp(shared);
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await database?.drop();
    });

    it("a passkey registered on A signs in on B, and the session works on A", async () => {
      const owner = createBrowser(a);
      await signIn(a, owner, "pair@example.com");
      const authenticator = createAuthenticator();
      expect((await addPasskey(owner, authenticator)).statusCode).toBe(200);

      const onB = createBrowser(b);
      const options = await authenticationOptions(onB);
      const response = await onB.post(`${PASSKEYS}/authentication/verify`, {
        response: authenticator.authenticate(options),
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().amr).toEqual(["hwk", "user"]);
      const onA = createBrowser(a);
      Object.assign(onA.jar, onB.jar);
      expect((await onA.get("/api/auth/session")).json()).toMatchObject({ email: "pair@example.com" });
    });

    it("a challenge asked for on A is verified once on B, and never again on A", async () => {
      const owner = createBrowser(a);
      await signIn(a, owner, "challenge-pair@example.com");
      const authenticator = createAuthenticator();
      await addPasskey(owner, authenticator);
      const onFirst = createBrowser(a);
      const options = await authenticationOptions(onFirst);
      // The same browser behind a load balancer: its ceremony cookie reaches either instance.
      const onSecond = createBrowser(b);
      Object.assign(onSecond.jar, onFirst.jar);
      const assertion = authenticator.authenticate(options);
      const [onB, onA] = await Promise.all([
        onSecond.post(`${PASSKEYS}/authentication/verify`, { response: assertion }),
        onFirst.post(`${PASSKEYS}/authentication/verify`, { response: assertion }),
      ]);
      expect([onB.statusCode, onA.statusCode].sort()).toEqual([200, 400]);
    });

    it("a passkey removed on A is refused on B at once", async () => {
      const owner = createBrowser(a);
      await signIn(a, owner, "removed-pair@example.com");
      const authenticator = createAuthenticator();
      const added = await addPasskey(owner, authenticator);
      expect((await owner.delete(`${PASSKEYS}/${added.json().id}`)).statusCode).toBe(200);
      const onB = createBrowser(b);
      const options = await authenticationOptions(onB);
      const response = await onB.post(`${PASSKEYS}/authentication/verify`, {
        response: authenticator.authenticate(options),
      });
      expectError(response, 400, "passkey_unknown");
    });
  },
);
