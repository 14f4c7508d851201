/**
 * Channel selection (seeds: orchestration §5, worker #8) with the seeds' scores:
 *   WhatsApp 100 with a verified phone (HLR reachable) not opted out,
 *   EMAIL_COLD 70 (lead still COLD) / EMAIL_WARM 80 (already contacted) with a VALID address not
 *   opted out, +20 for WhatsApp when it was the last channel used.
 * Our additions, each visible in `reasons`: a do-not-contact entry zeroes its channel like an opt-out;
 * the journey's preferred_channel gets +30; a channel requested by the sequence step wins when it is
 * usable (the seeds' `preferredChannel` parameter) and otherwise falls back to the best score.
 * Ties go to the earlier channel of SEND_CHANNELS (WhatsApp first), so the choice is deterministic.
 *
 * The fallback is the best other usable channel: the send path uses it when the chosen one turns out
 * impossible for this lead (TimelinesAI says the number is not on WhatsApp).
 */
import { SEND_CHANNELS, type ChannelName, type DncMatch, type JourneyFacts, type LeadContact, type SendChannel } from "./types";

export interface ChannelInput {
  journey: Pick<JourneyFacts, "state" | "whatsappOptedOut" | "emailOptedOut" | "lastChannelUsed" | "preferredChannel">;
  contact: LeadContact;
  dnc: DncMatch;
  /** The channel the sequence step asks for; null/undefined = AUTO. */
  requested?: ChannelName | null;
}

export interface ChannelReasoning {
  hasVerifiedPhone: boolean;
  hasVerifiedEmail: boolean;
  phoneOptedOut: boolean;
  emailOptedOut: boolean;
  phoneDoNotContact: boolean;
  emailDoNotContact: boolean;
  currentStage: string;
  previousEngagement: ChannelName | null;
  preferenceScore: Record<SendChannel, number>;
}

export interface ChannelSelection {
  selected: SendChannel | null;
  fallback: SendChannel | null;
  reasoning: ChannelReasoning;
  /** Short codes explaining the choice, in the order they were applied. */
  reasons: string[];
}

const PREFERRED_BOOST = 30;

export function selectChannel(input: ChannelInput): ChannelSelection {
  const { journey, contact, dnc } = input;
  const reasons: string[] = [];
  const hasVerifiedPhone = Boolean(contact.phone) && contact.hlrReachable === true;
  const hasVerifiedEmail = Boolean(contact.email) && contact.emailStatus === "VALID";
  const emailDnc = dnc.email || dnc.domain;
  const scores: Record<SendChannel, number> = { WHATSAPP: 0, EMAIL_COLD: 0, EMAIL_WARM: 0 };

  if (!hasVerifiedPhone) reasons.push(contact.phone ? "PHONE_NOT_VERIFIED" : "NO_PHONE_NUMBER");
  else if (journey.whatsappOptedOut) reasons.push("WHATSAPP_OPTED_OUT");
  else if (dnc.phone) reasons.push("PHONE_DO_NOT_CONTACT");
  else scores.WHATSAPP = 100;

  const emailChannel: SendChannel = journey.state === "COLD" ? "EMAIL_COLD" : "EMAIL_WARM";
  if (!hasVerifiedEmail) reasons.push(contact.email ? `EMAIL_NOT_VALID_${contact.emailStatus}` : "NO_EMAIL_ADDRESS");
  else if (journey.emailOptedOut) reasons.push("EMAIL_OPTED_OUT");
  else if (emailDnc) reasons.push(dnc.email ? "EMAIL_DO_NOT_CONTACT" : "DOMAIN_DO_NOT_CONTACT");
  else scores[emailChannel] = emailChannel === "EMAIL_COLD" ? 70 : 80;

  if (journey.lastChannelUsed === "WHATSAPP" && scores.WHATSAPP > 0) {
    scores.WHATSAPP += 20;
    reasons.push("BOOST_LAST_CHANNEL_WHATSAPP");
  }
  const preferred = asSendChannel(journey.preferredChannel, journey.state);
  if (preferred && scores[preferred] > 0) {
    scores[preferred] += PREFERRED_BOOST;
    reasons.push(`BOOST_PREFERRED_${preferred}`);
  }

  const ranked = SEND_CHANNELS.filter((c) => scores[c] > 0).sort((a, b) => scores[b] - scores[a] || SEND_CHANNELS.indexOf(a) - SEND_CHANNELS.indexOf(b));
  let selected: SendChannel | null = ranked[0] ?? null;
  const requested = asSendChannel(input.requested ?? null, journey.state);
  if (requested) {
    if (scores[requested] > 0) {
      selected = requested;
      reasons.push(`REQUESTED_${requested}`);
    } else {
      reasons.push(`REQUESTED_${requested}_UNAVAILABLE`);
    }
  }
  reasons.push(selected ? `SELECTED_${selected}` : "NO_USABLE_CHANNEL");
  const fallback = ranked.find((c) => c !== selected) ?? null;

  return {
    selected,
    fallback,
    reasons,
    reasoning: {
      hasVerifiedPhone,
      hasVerifiedEmail,
      phoneOptedOut: journey.whatsappOptedOut,
      emailOptedOut: journey.emailOptedOut,
      phoneDoNotContact: dnc.phone,
      emailDoNotContact: emailDnc,
      currentStage: journey.state,
      previousEngagement: journey.lastChannelUsed,
      preferenceScore: scores,
    },
  };
}

/**
 * A step/preference naming "email" in either flavour means the email channel that fits the stage:
 * a lead already contacted is never cold-emailed again, a COLD lead never gets a warm email.
 */
function asSendChannel(channel: ChannelName | null, state: string): SendChannel | null {
  if (channel === "WHATSAPP") return "WHATSAPP";
  if (channel === "EMAIL_COLD" || channel === "EMAIL_WARM") return state === "COLD" ? "EMAIL_COLD" : "EMAIL_WARM";
  return null;
}
