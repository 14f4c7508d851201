/**
 * Sandbox mode, at start: tells the TimelinesAI simulator the WhatsApp history the database already
 * holds (the seed's past, and whatever the app sent before a restart: the simulator keeps its state in
 * memory only). A real workspace remembers every message it sent; without this the status-sync job
 * would ask the fresh simulator about messages it has never seen and log a failure for each.
 *
 * Only the recent part is needed: status sync polls messages up to 7 days old
 * (server/events/status-sync.server.ts STATUS_SYNC_WINDOW_MS); a day more covers the clock's edge.
 */
import pg from "pg";
import { SIMULATOR_PATHS } from "../../server/providers/sandbox";

const HISTORY_MS = 8 * 24 * 3600_000;
/** Messages per request: well under the simulator's 10 MB body limit. */
const CHUNK = 2_000;

interface Row {
  uid: string;
  chat_id: string;
  inbound: boolean;
  text: string | null;
  created_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  failed_at: Date | null;
  account: string;
  lead_phone: string | null;
  lead_name: string;
}

/** Waits until the simulators answer their control API (they start in a child process). */
export async function waitForSimulators(origin: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${origin}${SIMULATOR_PATHS.control}/state`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the simulators did not answer at ${origin} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function teachTimelinesHistory(adminUrl: string, origin: string, now = new Date()): Promise<{ messages: number; chats: number }> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  let phones: Array<{ phone_number: string; status: string }>;
  let rows: Row[];
  try {
    phones = (await client.query<{ phone_number: string; status: string }>("SELECT phone_number, status FROM wa_phone_numbers")).rows;
    rows = (
      await client.query<Row>(
        `SELECT m.external_message_id AS uid, m.timelinesai_chat_id AS chat_id, m.direction = 'INBOUND' AS inbound, m.content_preview AS text,
                m.created_at, m.sent_at, m.delivered_at, m.read_at, m.failed_at, p.phone_number AS account,
                c.telefon_principal AS lead_phone, c.denumire AS lead_name
           FROM gold_communication_log m
           JOIN wa_phone_numbers p ON p.id = m.phone_id
           JOIN gold_companies c ON c.id = m.lead_id
          WHERE m.channel = 'WHATSAPP' AND m.external_message_id IS NOT NULL AND m.timelinesai_chat_id ~ '^[0-9]{1,15}$'
            AND m.created_at > $1
          ORDER BY m.created_at`,
        [new Date(now.getTime() - HISTORY_MS)],
      )
    ).rows;
  } finally {
    await client.end();
  }

  const e164 = (phone: string) => `+${phone.replace(/\D/g, "")}`;
  const accounts = phones.map((p) => ({ phone: e164(p.phone_number), status: p.status === "OFFLINE" ? "Disconnected" : p.status === "BANNED" ? "Suspended" : "Active" }));
  const chats = new Map<number, { id: number; phone: string; account: string; name: string }>();
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const messages = rows.flatMap((r) => {
    if (!r.lead_phone) return [];
    const id = Number(r.chat_id);
    if (!chats.has(id)) chats.set(id, { id, phone: e164(r.lead_phone), account: e164(r.account), name: r.lead_name });
    return [{ uid: r.uid, chatId: id, fromMe: !r.inbound, text: r.text ?? "", createdAt: r.created_at.toISOString(), sentAt: iso(r.sent_at), deliveredAt: iso(r.delivered_at), readAt: iso(r.read_at), failedAt: iso(r.failed_at) }];
  });

  const post = async (body: unknown) => {
    const res = await fetch(`${origin}${SIMULATOR_PATHS.control}/timelinesai/history`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`the TimelinesAI simulator refused the history: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
  };
  const allChats = [...chats.values()];
  await post({ accounts, chats: allChats, messages: [] });
  for (let i = 0; i < messages.length; i += CHUNK) await post({ messages: messages.slice(i, i + CHUNK) });
  return { messages: messages.length, chats: allChats.length };
}
