/**
 * ESLint rule `serial-queries/no-concurrent-queries`: no `Promise.all`/`Promise.allSettled` over the
 * queries of one database connection. A transaction is one connection: its queries run one after
 * another anyway, pg 8.19+ warns when a query is sent while another runs and pg 9 will refuse it.
 *
 * It flags a connection variable (`tx`, `client`, `sql`: the names this code base gives a Prisma
 * transaction or a pg client) used inside the call but declared outside it, so
 * `Promise.all([tx.a.findMany(), count(tx)])` and `Promise.all(ids.map((id) => tx.a.find(id)))` are
 * errors, while `Promise.all(tenants.map((t) => withTenant(t, (tx) => …)))` (a connection each) is not.
 * A name-based check: a connection under another name escapes it; the run-time guard in
 * tests/support/setup.ts catches what a test reaches.
 */
const CONNECTION = /^(tx|client|sql)$/;

function declaredIn(scope, name) {
  for (let s = scope; s; s = s.upper) {
    const variable = s.set.get(name);
    if (variable) return variable;
  }
  return null;
}

function isReference(node, parent) {
  if (!parent) return true;
  if (parent.type === "MemberExpression" && parent.property === node && !parent.computed) return false;
  if ((parent.type === "Property" || parent.type === "MethodDefinition" || parent.type === "PropertyDefinition") && parent.key === node && !parent.computed) return parent.type === "Property" && parent.shorthand;
  return true;
}

const noConcurrentQueries = {
  meta: {
    type: "problem",
    docs: { description: "disallow Promise.all over the queries of one database connection" },
    schema: [],
    messages: { concurrent: "`{{name}}` is one database connection: await its queries one after another instead of Promise.{{method}} (pg 9 refuses a query while another runs)." },
  },
  create(context) {
    const { sourceCode } = context;
    return {
      CallExpression(call) {
        const callee = call.callee;
        if (callee.type !== "MemberExpression" || callee.object.type !== "Identifier" || callee.object.name !== "Promise") return;
        if (callee.property.type !== "Identifier" || (callee.property.name !== "all" && callee.property.name !== "allSettled")) return;
        const [start, end] = call.range;
        const reported = new Set();
        const visit = (node, parent) => {
          if (node.type === "Identifier" && CONNECTION.test(node.name) && isReference(node, parent) && !reported.has(node.name)) {
            const variable = declaredIn(sourceCode.getScope(node), node.name);
            const def = variable?.defs[0]?.name;
            if (def && (def.range[0] < start || def.range[1] > end)) {
              reported.add(node.name);
              context.report({ node, messageId: "concurrent", data: { name: node.name, method: callee.property.name } });
            }
          }
          for (const key of sourceCode.visitorKeys[node.type] ?? []) {
            const child = node[key];
            if (Array.isArray(child)) {
              for (const c of child) if (c) visit(c, node);
            } else if (child && typeof child.type === "string") visit(child, node);
          }
        };
        for (const arg of call.arguments) visit(arg, call);
      },
    };
  },
};

export default { rules: { "no-concurrent-queries": noConcurrentQueries } };
