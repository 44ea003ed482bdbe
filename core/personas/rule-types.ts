// The persona rule language: the JSON stored in personas.definition and accepted (in the
// same shape) as the GraphQL PersonaRuleInput. docs/personas.md is the reference.

export const OPERATORS = ['EQ', 'NEQ', 'GT', 'GTE', 'LT', 'LTE', 'BETWEEN', 'IN', 'NOT_IN', 'CONTAINS', 'EXISTS', 'NOT_EXISTS', 'WITHIN_LAST', 'NOT_WITHIN_LAST'] as const;
export type Operator = (typeof OPERATORS)[number];

export type ValueType = 'NUMBER' | 'STRING' | 'ENUM' | 'DATE' | 'BOOLEAN';

/** Which operators apply to a value of each type. */
export const OPS_BY_TYPE: Record<ValueType, readonly Operator[]> = {
  NUMBER: ['EQ', 'NEQ', 'GT', 'GTE', 'LT', 'LTE', 'BETWEEN', 'IN', 'NOT_IN', 'EXISTS', 'NOT_EXISTS'],
  STRING: ['EQ', 'NEQ', 'IN', 'NOT_IN', 'CONTAINS', 'EXISTS', 'NOT_EXISTS'],
  ENUM: ['EQ', 'NEQ', 'IN', 'NOT_IN', 'EXISTS', 'NOT_EXISTS'],
  DATE: ['GT', 'GTE', 'LT', 'LTE', 'BETWEEN', 'WITHIN_LAST', 'NOT_WITHIN_LAST', 'EXISTS', 'NOT_EXISTS'],
  BOOLEAN: ['EQ', 'NEQ', 'EXISTS', 'NOT_EXISTS'],
};

export type Scalar = string | number | boolean;

/** A checked comparison: `value` is a scalar, a list (IN, NOT_IN, BETWEEN), seconds (WITHIN_LAST) or absent. */
export interface Comparison {
  op: Operator;
  value?: Scalar | Scalar[];
}

export interface PropertyCondition extends Comparison {
  property: string;
}

export interface EventMatch {
  type: string;
  where?: PropertyCondition[];
}

export type ConsentStatus = 'UNKNOWN' | 'PENDING' | 'SUBSCRIBED' | 'UNSUBSCRIBED';

export type PersonaRule =
  | { and: PersonaRule[] }
  | { or: PersonaRule[] }
  | { not: PersonaRule }
  | { attribute: { key: string } & Comparison }
  | { contact: { field: string } & Comparison }
  | { consent: { in: ConsentStatus[] } }
  | { profile: { field: string } & Comparison }
  | { interest: { category: string } & Comparison }
  | { event: EventMatch & { within?: string; count?: Comparison; sum?: Comparison } }
  | { sequence: { first: EventMatch; then: EventMatch; within: string; followed: boolean; lookback?: string } }
  | { persona: { slug: string } }
  | { score: { target: string } & Comparison }
  | { scoreTop: { target: string; percent: number } };

export const RULE_KINDS = ['and', 'or', 'not', 'attribute', 'contact', 'consent', 'profile', 'interest', 'event', 'sequence', 'persona', 'score', 'scoreTop'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** Limits that keep a rule's SQL reasonable. */
export const RULE_LIMITS = { depth: 8, conditions: 50, listValues: 1000 };
