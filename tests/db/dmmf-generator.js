// A Prisma generator that only writes the datamodel part of the DMMF it is handed to
// <output>/datamodel.json.
// The generated Prisma 7 client keeps just a trimmed runtime data model (no nullability, native
// types or indexes), and Prisma 7 exports no getDMMF, so schema-drift.test.ts asks `prisma generate`
// for the full DMMF through the generator protocol: JSON-RPC requests on stdin, one reply per line
// on stderr.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const request = JSON.parse(line);
  const reply = (result) => process.stderr.write(`${JSON.stringify({ jsonrpc: "2.0", id: request.id, result })}\n`);
  if (request.method === "getManifest") {
    reply({ manifest: { prettyName: "DMMF dump", defaultOutput: "dmmf", requiresEngines: [] } });
  } else if (request.method === "generate") {
    const output = request.params.generator.output.value;
    mkdirSync(output, { recursive: true });
    writeFileSync(path.join(output, "datamodel.json"), JSON.stringify(request.params.dmmf.datamodel));
    reply(null);
  }
});
