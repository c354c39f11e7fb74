/**
 * Evaluates a plain arithmetic expression: numbers, + - * / (also x × ÷),
 * parentheses, unary minus. Returns undefined for anything else, so the
 * verifier only judges what it can read. No eval: the text is model output.
 */
export function evaluateArithmetic(expr: string): number | undefined {
  const tokens = tokenize(expr);
  if (tokens === undefined || tokens.length === 0) return undefined;
  let pos = 0;
  const peek = (): string | number | undefined => tokens[pos];
  const next = (): string | number | undefined => tokens[pos++];

  function primary(): number | undefined {
    const t = next();
    if (typeof t === "number") return t;
    if (t === "-") {
      const v = primary();
      return v === undefined ? undefined : -v;
    }
    if (t === "(") {
      const v = sum();
      if (next() !== ")") return undefined;
      return v;
    }
    return undefined;
  }
  function product(): number | undefined {
    let v = primary();
    while (v !== undefined && (peek() === "*" || peek() === "/")) {
      const op = next();
      const r = primary();
      if (r === undefined) return undefined;
      v = op === "*" ? v * r : v / r;
    }
    return v;
  }
  function sum(): number | undefined {
    let v = product();
    while (v !== undefined && (peek() === "+" || peek() === "-")) {
      const op = next();
      const r = product();
      if (r === undefined) return undefined;
      v = op === "+" ? v + r : v - r;
    }
    return v;
  }
  const v = sum();
  return pos === tokens.length && v !== undefined && Number.isFinite(v) ? v : undefined;
}

function tokenize(expr: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  const re = /\s*(?:(\$?\d[\d,]*(?:\.\d+)?%?)|([-+*/x×÷()]))/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(expr)) !== null) {
    last = re.lastIndex;
    if (m[1] !== undefined) out.push(parseNumber(m[1]));
    else out.push(m[2] === "x" || m[2] === "×" ? "*" : m[2] === "÷" ? "/" : m[2]!);
  }
  if (expr.slice(last).trim() !== "") return undefined;
  return out;
}

/** "$1,234.5" → 1234.5; "20%" → 0.2. */
export function parseNumber(text: string): number {
  const pct = text.endsWith("%");
  const v = Number(text.replace(/[$,%]/g, ""));
  return pct ? v / 100 : v;
}
