// Telnet command bytes (RFC 854) and the option codes we speak.
export const IAC = 255;
export const DONT = 254;
export const DO = 253;
export const WONT = 252;
export const WILL = 251;
export const SB = 250;
export const GA = 249;
export const NOP = 241;
export const SE = 240;
export const EOR_CMD = 239;
export const AYT = 246;
export const IP = 244;

export const OPT = {
  ECHO: 1,
  SGA: 3,
  TTYPE: 24,
  EOR: 25,
  NAWS: 31,
  CHARSET: 42,
  MSSP: 70,
  MCCP2: 86,
  GMCP: 201,
} as const;

export type Verb = typeof WILL | typeof WONT | typeof DO | typeof DONT;
