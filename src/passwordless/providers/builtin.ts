import type { Db } from "../../db/database.js";
import { constantTimeEqual, keyedHash, randomDigits, randomToken } from "../../security/crypto.js";
import { findChallengeByLinkHash } from "../challenge-store.js";
import type { ChallengeDraft, IssuedSecrets, PasswordlessProvider } from "../provider.js";
import { buildMagicLink } from "../redirect.js";

/**
 * Latchkey's own engine: a uniform numeric code and a 256-bit link token, kept only as
 * HMAC digests; the mail goes through the outbox.
 */
export function createBuiltinProvider({
  codeKey,
  linkKey,
  otpLength,
}: {
  codeKey: Buffer;
  linkKey: Buffer;
  otpLength: number;
}): PasswordlessProvider {
  function issueSecrets(draft: ChallengeDraft): IssuedSecrets {
    const hasCode = draft.passwordlessType !== "LINK";
    const hasLink = draft.passwordlessType !== "OTP";
    const code = hasCode ? randomDigits(otpLength) : undefined;
    const linkToken = hasLink ? randomToken(32) : undefined;
    return {
      codeHash: code === undefined ? null : keyedHash(codeKey, `${draft.id}:${code}`),
      linkHash: linkToken === undefined ? null : keyedHash(linkKey, linkToken),
      providerRequestId: null,
      mail: { code, link: linkToken === undefined ? undefined : buildMagicLink(draft.linkBase, linkToken) },
    };
  }

  return {
    name: "builtin",
    provesLinkOnLookup: true,
    issue: async (draft) => issueSecrets(draft),
    reissue: async (_challenge, draft) => issueSecrets(draft),
    async checkCode(challenge, code) {
      if (!challenge.codeHash) return false;
      // The code is bound to its challenge id, so a code works only for its own request.
      return constantTimeEqual(keyedHash(codeKey, `${challenge.id}:${code}`), challenge.codeHash);
    },
    findLinkChallenge: (db: Db, { linkToken }) => findChallengeByLinkHash(db, keyedHash(linkKey, linkToken)),
    // The token was matched by its digest in findLinkChallenge; nothing is kept elsewhere.
    redeemLink: async () => true,
  };
}
