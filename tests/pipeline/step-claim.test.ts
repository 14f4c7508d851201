/**
 * The step claim's rule is written twice: holdsStep in TypeScript (the email send) and holdsStepSql in
 * the WhatsApp intent's statement, which must not write when another channel holds the step. The two
 * must give the same answer for every row, or one channel could send a step the other holds.
 */
import type pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { holdsStep, holdsStepSql, type StepIntentRow } from "../../server/pipeline/send/step-claim.server";
import { serverClient } from "../support/db";

let client: pg.Client;

beforeAll(async () => {
  client = await serverClient();
});

afterAll(async () => {
  await client?.end();
});

it("holdsStepSql answers as holdsStep for every combination of provider ids, status and attempt", async () => {
  const ids = [null, "", "id-1"];
  const statuses = ["QUEUED", "SENT", "DELIVERED", "FAILED", "BOUNCED"];
  const metadatas: unknown[] = [null, {}, [], { attemptAt: null }, { attemptAt: "" }, { attemptAt: "2026-12-05T08:00:00.000Z" }, { attemptAt: 5 }, { attemptAt: true }, { other: "x" }];
  const rows: StepIntentRow[] = [];
  for (const externalMessageId of ids)
    for (const instantlyLeadId of ids)
      for (const resendEmailId of ids)
        for (const status of statuses) for (const metadata of metadatas) rows.push({ externalMessageId, instantlyLeadId, resendEmailId, status, metadata });

  const { rows: answers } = await client.query<{ i: number; holds: boolean }>(
    `SELECT o.i, ${holdsStepSql("o")} AS holds
       FROM jsonb_to_recordset($1::jsonb) AS o(i int, external_message_id text, instantly_lead_id text, resend_email_id text, status text, metadata jsonb)
      ORDER BY o.i`,
    [JSON.stringify(rows.map((r, i) => ({ i, external_message_id: r.externalMessageId, instantly_lead_id: r.instantlyLeadId, resend_email_id: r.resendEmailId, status: r.status, metadata: r.metadata })))],
  );
  expect(answers).toHaveLength(rows.length);
  const disagreements = answers.filter((a) => a.holds !== holdsStep(rows[a.i]!)).map((a) => ({ row: rows[a.i], sql: a.holds }));
  expect(disagreements).toEqual([]);
  // Both answers occur, so the comparison is not between two constants.
  expect(new Set(answers.map((a) => a.holds))).toEqual(new Set([true, false]));
});
