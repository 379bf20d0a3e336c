import type { JNode } from "./fold.js";

const MAX_SHOWN = 120;

function q(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
}

function render(n: JNode | undefined, depth: number): string {
  if (!n) return "";
  if (depth > 30) return "…";
  const r = (x: unknown) => render(x as JNode, depth + 1);
  switch (n.type) {
    case "Identifier":
    case "IntegerLiteral":
    case "FloatLiteral":
    case "BooleanLiteral":
      return String(n.value);
    case "StringLiteral":
      return q(n.value as string);
    case "ArrayLiteral":
      return `[${(n.value as JNode[]).map(r).join(", ")}]`;
    case "TupleLiteral":
      return `(${(n.value as JNode[]).map(r).join(", ")})`;
    case "MemberExpression": {
      const p = n.property as JNode;
      if (!n.computed) return `${r(n.object)}.${r(p)}`;
      return `${r(n.object)}[${r(p)}]`;
    }
    case "SliceExpression":
      return `${r(n.start)}:${r(n.stop)}${n.step ? ":" + r(n.step) : ""}`;
    case "CallExpression":
      return `${r(n.callee)}(${(n.args as JNode[]).map(r).join(", ")})`;
    case "KeywordArgumentExpression":
      return `${r(n.key)}=${r(n.value)}`;
    case "FilterExpression":
      return `${r(n.operand)}|${r(n.filter)}`;
    case "BinaryExpression":
      return `${r(n.left)} ${(n.operator as { value: string }).value} ${r(n.right)}`;
    case "UnaryExpression":
      return `${(n.operator as { value: string }).value} ${r(n.argument)}`;
    case "TestExpression":
      return `${r(n.operand)} is ${n.negate ? "not " : ""}${r(n.test)}`;
    case "Ternary":
      return `${r(n.trueExpr)} if ${r(n.condition)} else ${r(n.falseExpr)}`;
    default:
      return `<${n.type}>`;
  }
}

/** A node in Jinja syntax, shortened, for messages. */
export function show(node: JNode): string {
  const s = render(node, 0);
  return s.length > MAX_SHOWN ? s.slice(0, MAX_SHOWN) + "…" : s;
}
