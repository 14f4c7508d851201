#!/bin/bash
cd /work/wt/leadlist
source /work/wt/leadlist.ports
source /work/wt/testenv.sh
export DATABASE_ADMIN_URL=postgres://postgres@127.0.0.1:$TEST_PG_PORT/cerniq_e2e DATABASE_URL=postgres://cerniq_app:cerniq_app_local@127.0.0.1:$TEST_PG_PORT/cerniq_e2e
if [ -f /tmp/ll/server.pid ]; then kill $(cat /tmp/ll/server.pid) 2>/dev/null; sleep 1; fi
NODE_ENV=production npx remix build 2>&1 | grep -E "built|error|Error" 
PORT=$E2E_PORT HOST=127.0.0.1 NODE_ENV=production LOG_LEVEL=warn nohup node --import tsx server/http/main.server.ts > /tmp/ll/server.log 2>&1 &
echo $! > /tmp/ll/server.pid
for i in $(seq 1 60); do curl -sf http://127.0.0.1:$E2E_PORT/healthz >/dev/null && break; sleep 1; done
echo up
