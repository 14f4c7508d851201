import bcrypt from "bcryptjs";

/**
 * bcrypt (bcryptjs: pure JS, no native build, maintained) with cost 12 in production. Tests and the
 * seed may lower the cost through BCRYPT_COST to keep runs fast; verification reads the cost from the
 * hash itself, so hashes of any cost keep working.
 */
const cost = Number(process.env.BCRYPT_COST ?? 12);

export function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, cost);
}

export function verifyPassword(plain: string, hash: string): Promise<boolean> {
  return bcrypt.compare(plain, hash);
}

/** Compared against when the email is unknown, so a miss costs the same time as a wrong password. */
export const DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5JYR6n8gnGk3o6nAIt6l8QcbWNmkQWy";

export const PASSWORD_MIN_LENGTH = 10;
