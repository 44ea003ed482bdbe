// PersonaRuleInput: the rule language as a GraphQL @oneOf input (exactly one condition per
// node). It mirrors the stored JSON one to one; core/personas/rule-check.ts validates it
// (fields, operators against types, values, time windows) and reports paths inside the rule.
import { builder } from '../builder';
import { ConsentStatusEnum } from '../common/enums';
import { OPERATORS } from '../../core/personas/rule-types';

export const RuleOperatorEnum = builder.enumType('RuleOperator', {
  description: 'Comparison operators; each field type accepts a subset (see docs/personas.md).',
  values: OPERATORS,
});

const VALUE_DESCRIPTION = 'A value of the field type; a list for IN, NOT_IN and BETWEEN; an ISO 8601 duration for WITHIN_LAST; omitted for EXISTS.';

/** An input type of `{ <name>: String!, op, value }`: every comparison condition has this shape. */
function comparisonInput<K extends string>(typeName: string, key: K | null, description: string) {
  return builder.inputType(typeName, {
    description,
    fields: (t) => ({
      ...(key ? { [key]: t.string({ required: true }) } : {}),
      op: t.field({ type: RuleOperatorEnum, required: true }),
      value: t.field({ type: 'JSON', description: VALUE_DESCRIPTION }),
    }),
  });
}

export const AttributeRuleInput = comparisonInput('AttributeRuleInput', 'key', 'A custom attribute (demographic data: age, gender, region, income...).');
export const FieldRuleInput = comparisonInput('FieldRuleInput', 'field', 'A contact or profile field by name (see docs/personas.md for the list and types).');
export const InterestRuleInput = comparisonInput('InterestRuleInput', 'category', 'Interest score (0–1 share of recent product attention) in a category.');
export const PropertyConditionInput = comparisonInput('PropertyConditionInput', 'property', 'A condition on an event property.');
export const MeasureInput = comparisonInput('MeasureInput', null, 'How many (count) or how much (sum of value).');
export const ScoreRuleInput = comparisonInput('ScoreRuleInput', 'target', 'A propensity score (0–1) for a model target.');

export const ConsentRuleInput = builder.inputType('ConsentRuleInput', {
  fields: (t) => ({ in: t.field({ type: [ConsentStatusEnum], required: true }) }),
});

export const EventMatchInput = builder.inputType('EventMatchInput', {
  fields: (t) => ({
    type: t.string({ required: true }),
    where: t.field({ type: [PropertyConditionInput] }),
  }),
});

export const EventRuleInput = builder.inputType('EventRuleInput', {
  description: 'Did events of a type (matching property conditions) happen, how often or for how much, within a window.',
  fields: (t) => ({
    type: t.string({ required: true }),
    where: t.field({ type: [PropertyConditionInput] }),
    within: t.string({ description: 'ISO 8601 duration, e.g. P30D.' }),
    count: t.field({ type: MeasureInput, description: 'Default: at least 1.' }),
    sum: t.field({ type: MeasureInput, description: 'Compare the sum of event values instead of the count.' }),
  }),
});

export const SequenceRuleInput = builder.inputType('SequenceRuleInput', {
  description: 'An event followed (or not) by another within a time window, e.g. add_to_cart then no purchase within PT1H.',
  fields: (t) => ({
    first: t.field({ type: EventMatchInput, required: true }),
    then: t.field({ type: EventMatchInput, required: true }),
    within: t.string({ required: true }),
    followed: t.boolean({ required: true }),
    lookback: t.string({ description: 'Only first events within this duration.' }),
  }),
});

export const PersonaRefInput = builder.inputType('PersonaRefInput', { fields: (t) => ({ slug: t.string({ required: true }) }) });
export const ScoreTopRuleInput = builder.inputType('ScoreTopRuleInput', {
  fields: (t) => ({ target: t.string({ required: true }), percent: t.float({ required: true }) }),
});

export interface PersonaRuleShape {
  and?: PersonaRuleShape[] | null;
  or?: PersonaRuleShape[] | null;
  not?: PersonaRuleShape | null;
  [condition: string]: unknown;
}

export const PersonaRuleInput = builder.inputRef<PersonaRuleShape>('PersonaRuleInput').implement({
  description: 'One condition, or an and/or/not group of rules. Exactly one field must be set.',
  isOneOf: true,
  fields: (t) => ({
    and: t.field({ type: [PersonaRuleInput] }),
    or: t.field({ type: [PersonaRuleInput] }),
    not: t.field({ type: PersonaRuleInput }),
    attribute: t.field({ type: AttributeRuleInput }),
    contact: t.field({ type: FieldRuleInput }),
    consent: t.field({ type: ConsentRuleInput }),
    profile: t.field({ type: FieldRuleInput }),
    interest: t.field({ type: InterestRuleInput }),
    event: t.field({ type: EventRuleInput }),
    sequence: t.field({ type: SequenceRuleInput }),
    persona: t.field({ type: PersonaRefInput }),
    score: t.field({ type: ScoreRuleInput }),
    scoreTop: t.field({ type: ScoreTopRuleInput }),
  }),
});
