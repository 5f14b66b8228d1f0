// Passkey sign-ins: each virtual user holds a software passkey registered after an email sign-in,
// then signs in with it again and again from a fresh browser (options → assertion → verify).
import { CookieJar, call } from "../http.mjs";
import { createSoftAuthenticator } from "../soft-authenticator.mjs";
import { runClosedLoop, VIRTUAL_USERS } from "./closed-loop.mjs";
import { signIn } from "./login.mjs";

const PASSKEYS = "/api/auth/passkeys";

const post = (baseUrl, path, body, jar) =>
  call(baseUrl, { method: "POST", path: `${PASSKEYS}${path}`, body }, jar).then(JSON.parse);

/** Signs `email` in by email and adds a passkey; resolves with the authenticator holding it. */
export async function registerPasskey({ baseUrl, flow, sink, email }) {
  const { jar } = await signIn({ baseUrl, flow, sink, email });
  const authenticator = createSoftAuthenticator({ origin: baseUrl });
  const { options } = await post(baseUrl, "/registration/options", {}, jar);
  await post(
    baseUrl,
    "/registration/verify",
    { response: authenticator.register(options), name: "bench" },
    jar,
  );
  return { email, authenticator };
}

/** One passkey sign-in in a fresh browser; checks the answer names the user. */
export async function passkeySignIn({ baseUrl, holder }) {
  const jar = new CookieJar();
  const { options } = await post(baseUrl, "/authentication/options", {}, jar);
  const answer = await post(
    baseUrl,
    "/authentication/verify",
    { response: holder.authenticator.authenticate(options) },
    jar,
  );
  if (answer.email !== holder.email)
    throw new Error(`passkey sign-in named ${answer.email}, not ${holder.email}`);
  return answer;
}

export async function preparePasskeyUsers({ baseUrl, flow, sink }) {
  const holders = [];
  for (let vu = 0; vu < VIRTUAL_USERS; vu++) {
    holders.push(await registerPasskey({ baseUrl, flow, sink, email: `passkey-${vu}@bench.test` }));
  }
  return holders;
}

export function runPasskeySignIns({ baseUrl, holders, durationS }) {
  return runClosedLoop({
    durationS,
    operation: (vu) => passkeySignIn({ baseUrl, holder: holders[vu] }).then(() => undefined),
  });
}
