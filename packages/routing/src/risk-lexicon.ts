/**
 * L2 risk categories: a name, a severity weight (0..1) and a lexicon of
 * case-insensitive regular expressions. A category fires when any of its
 * patterns matches the user's question. The built-in set is deliberately
 * small and specific (phrases, not single common words) so that everyday
 * questions do not trip it; deployments replace it with router.risk.categories.
 * docs/notes/router-layers.md lists it.
 */
export interface RiskCategory {
  readonly name: string;
  readonly weight: number;
  readonly lexicon: readonly string[];
}

export const DEFAULT_RISK_CATEGORIES: readonly RiskCategory[] = [
  {
    name: "self-harm",
    weight: 1,
    lexicon: [
      String.raw`\b(kill|hurt|harm|cut)(ing)? myself\b`,
      String.raw`\bsuicid(e|al)\b`,
      String.raw`\bend (my|it all|my life)\b`,
      String.raw`\bwant to die\b`,
    ],
  },
  {
    name: "medical-dosage",
    weight: 0.8,
    lexicon: [
      String.raw`\b(dosage|dose|overdose)\b`,
      String.raw`\bhow (many|much) (mg|milligrams?|pills?|tablets?)\b`,
      String.raw`\b(mg|milligrams?) of\b`,
      String.raw`\b(ibuprofen|acetaminophen|paracetamol|insulin|opioids?|fentanyl|morphine|warfarin)\b`,
    ],
  },
  {
    name: "security-exploitation",
    weight: 0.7,
    lexicon: [
      String.raw`\b(exploit|payload|shellcode|privilege escalation|zero[- ]day)\b`,
      String.raw`\bsql injection\b`,
      String.raw`\b(bypass|crack) (the )?(authentication|login|password|license)\b`,
      String.raw`\b(ransomware|keylogger|botnet)\b`,
    ],
  },
  {
    name: "legal-advice",
    weight: 0.6,
    lexicon: [
      String.raw`\b(sue|lawsuit|legal advice|custody|eviction|plead guilty)\b`,
      String.raw`\bis it (il)?legal\b`,
      String.raw`\b(my|a) lawyer\b`,
    ],
  },
  {
    name: "financial-advice",
    weight: 0.4,
    lexicon: [String.raw`\b(should i (buy|sell|invest)|retirement savings|mortgage|leverage my)\b`],
  },
];

/** A category with its patterns compiled once. */
export interface CompiledRiskCategory {
  readonly name: string;
  readonly weight: number;
  readonly patterns: readonly RegExp[];
}

/** Compiles the lexicons; a pattern that is not a valid regular expression fails here, at start-up, naming the category. */
export function compileRiskCategories(categories: readonly RiskCategory[]): CompiledRiskCategory[] {
  return categories.map((c, i) => ({
    name: c.name,
    weight: c.weight,
    patterns: c.lexicon.map((source, j) => {
      try {
        return new RegExp(source, "i");
      } catch (err) {
        throw new Error(
          `router.risk.categories[${i}].lexicon[${j}] of "${c.name}" is not a valid regular expression (${(err as Error).message}): fix or remove it`,
        );
      }
    }),
  }));
}
