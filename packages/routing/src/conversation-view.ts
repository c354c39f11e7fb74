/**
 * A conversation's stored turns as the router reads them (the record
 * @weir/bus's conversation store keeps; declared here so that routing does
 * not depend on the bus). Oldest first.
 */
export interface ConversationTurnView {
  readonly requestId: string;
  readonly question: string;
  readonly answer: string;
  readonly tier: string;
  readonly escalated: boolean;
  readonly risk: number;
  readonly riskRules: readonly string[];
  readonly reused: boolean;
}

export interface ConversationView {
  readonly turns: readonly ConversationTurnView[];
}
