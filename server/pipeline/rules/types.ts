/**
 * Shapes shared by the pipeline's pure functions (eligibility, channel, allocation, outcome). Plain
 * data, no Prisma types: the repository maps rows into these, so the rules are unit-testable.
 */
export type CurrentState = "COLD" | "CONTACTED_WA" | "CONTACTED_EMAIL" | "WARM_REPLY" | "NEGOTIATION" | "CONVERTED" | "DEAD" | "PAUSED";
export type ChannelName = "WHATSAPP" | "EMAIL_COLD" | "EMAIL_WARM" | "PHONE" | "MANUAL";
/** The channels the pipeline sends on. */
export type SendChannel = "WHATSAPP" | "EMAIL_COLD" | "EMAIL_WARM";
export const SEND_CHANNELS: readonly SendChannel[] = ["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"];

export interface JourneyFacts {
  journeyId: string;
  leadId: string;
  state: CurrentState;
  nextActionAt: Date | null;
  requiresHumanReview: boolean;
  sequencePaused: boolean;
  isHumanControlled: boolean;
  whatsappOptedOut: boolean;
  emailOptedOut: boolean;
  assignedPhoneId: string | null;
  lastChannelUsed: ChannelName | null;
  preferredChannel: ChannelName | null;
  /** True until the first message went out (journey.is_new_contact). */
  isNewContact: boolean;
}

export interface LeadContact {
  phone: string | null;
  /** null = HLR not checked yet (not verified). */
  hlrReachable: boolean | null;
  email: string | null;
  emailStatus: "VALID" | "INVALID" | "CATCH_ALL" | "RISKY" | "UNKNOWN" | "BOUNCED";
}

/** Which do-not-contact entries match the lead (phone number, email address, email domain). */
export interface DncMatch {
  phone: boolean;
  email: boolean;
  domain: boolean;
}

export const NO_DNC: DncMatch = Object.freeze({ phone: false, email: false, domain: false });
