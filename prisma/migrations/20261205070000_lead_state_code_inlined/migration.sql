-- lead_state_code() computes the journey's generated column state_code. It was STRICT, and Postgres
-- inlines a STRICT SQL function only if its body is strict too, which a CASE is not. So every journey
-- insert or update ran it as a nested SQL function, parsed and planned on each statement: two calls per
-- WhatsApp send (pg_stat_statements lists them as `SELECT CASE $1 WHEN …`). Without STRICT it is
-- inlined into the expression. The result is unchanged: a NULL state matches no WHEN and gives NULL, as
-- STRICT did, and current_state is NOT NULL anyway. The stored values stay valid (same mapping, still
-- IMMUTABLE), so the table is not rewritten.
CREATE OR REPLACE FUNCTION lead_state_code(current_state_enum) RETURNS smallint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT CASE $1
      WHEN 'COLD' THEN 0 WHEN 'CONTACTED_WA' THEN 1 WHEN 'CONTACTED_EMAIL' THEN 2 WHEN 'WARM_REPLY' THEN 3
      WHEN 'NEGOTIATION' THEN 4 WHEN 'CONVERTED' THEN 5 WHEN 'DEAD' THEN 6 WHEN 'PAUSED' THEN 7
    END::smallint
  $$;
