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
 * The fallback is the best other usable channel. A sequence step's template is written for its channel
 * (WhatsApp text vs email subject + body), so crossing between WhatsApp and email needs the step's
 * fallback template of the other channel: `channelForStep` decides what a step sends with.
 * When TimelinesAI says at send time that the number is not on WhatsApp, the send path marks the
 * phone unverified and makes the lead due, so the next dispatch lands here on the fallback.
 */
import { channelSide } from "../../sequences/definition";
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
  /** Why each side is unusable for this lead (the reason code), null when it is usable. */
  unusable: { WHATSAPP: string | null; EMAIL: string | null };
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

  let whatsappUnusable: string | null = null;
  if (!hasVerifiedPhone) whatsappUnusable = contact.phone ? "PHONE_NOT_VERIFIED" : "NO_PHONE_NUMBER";
  else if (journey.whatsappOptedOut) whatsappUnusable = "WHATSAPP_OPTED_OUT";
  else if (dnc.phone) whatsappUnusable = "PHONE_DO_NOT_CONTACT";
  else scores.WHATSAPP = 100;
  if (whatsappUnusable) reasons.push(whatsappUnusable);

  const emailChannel: SendChannel = journey.state === "COLD" ? "EMAIL_COLD" : "EMAIL_WARM";
  let emailUnusable: string | null = null;
  if (!hasVerifiedEmail) emailUnusable = contact.email ? `EMAIL_NOT_VALID_${contact.emailStatus}` : "NO_EMAIL_ADDRESS";
  else if (journey.emailOptedOut) emailUnusable = "EMAIL_OPTED_OUT";
  else if (emailDnc) emailUnusable = dnc.email ? "EMAIL_DO_NOT_CONTACT" : "DOMAIN_DO_NOT_CONTACT";
  else scores[emailChannel] = emailChannel === "EMAIL_COLD" ? 70 : 80;
  if (emailUnusable) reasons.push(emailUnusable);

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
      unusable: { WHATSAPP: whatsappUnusable, EMAIL: emailUnusable },
    },
  };
}

/** What channelForStep needs of a sequence step. */
export interface StepChannels {
  stepNumber: number;
  channel: ChannelName;
  templateId: string;
  /** The step's fallback template and that template's channel (the other side), if it has one. */
  fallback: { templateId: string; channel: ChannelName } | null;
}

export type StepSend =
  | {
      kind: "SEND";
      channel: SendChannel;
      templateId: string;
      /** True when the step goes out on its fallback template because its own channel is unusable. */
      fallback: boolean;
      /** Codes to append to the selection's reasons (empty on the step's own channel). */
      reasons: string[];
      /** One sentence for people; empty on the step's own channel. */
      why: string;
    }
  | { kind: "UNUSABLE"; reasons: string[]; why: string };

/**
 * The channel and template a step goes out with, given the lead's channel selection (made with the
 * step's channel as the requested one). On the step's side (WhatsApp, or either email — the selector
 * picks cold or warm by stage) the step's template goes out. When the step's side is unusable the
 * selector has picked the other side: the step goes there with its fallback template if it names one
 * for that side (reasons STEP_CHANNEL_UNUSABLE, FALLBACK_<channel>), and is unusable otherwise.
 */
export function channelForStep(selection: ChannelSelection, step: StepChannels): StepSend {
  const selected = selection.selected;
  if (!selected) return { kind: "UNUSABLE", reasons: ["NO_USABLE_CHANNEL"], why: "no usable channel" };
  const stepSide = channelSide(step.channel);
  if (channelSide(selected) === stepSide) return { kind: "SEND", channel: selected, templateId: step.templateId, fallback: false, reasons: [], why: "" };
  const cause = stepSide === "WHATSAPP" || stepSide === "EMAIL" ? selection.reasoning.unusable[stepSide] : null;
  const unusable = `step ${step.stepNumber} is a ${step.channel} step and that channel is unusable for this lead${cause ? ` (${cause})` : ""}`;
  if (step.fallback && channelSide(step.fallback.channel) === channelSide(selected)) {
    return {
      kind: "SEND",
      channel: selected,
      templateId: step.fallback.templateId,
      fallback: true,
      reasons: ["STEP_CHANNEL_UNUSABLE", `FALLBACK_${selected}`],
      why: `${unusable}: sent on ${selected} with the step's fallback template`,
    };
  }
  return { kind: "UNUSABLE", reasons: ["STEP_CHANNEL_UNUSABLE"], why: step.fallback ? `${unusable}, and its fallback template is not for ${selected}` : `${unusable} and the step has no fallback template` };
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
