import { builder } from '../builder';
import { ws } from '../context';
import { numericId } from '../common/global-id';
import { defineAttribute, listAttributeDefinitions, updateAttribute } from '../../core/attributes/attribute-definitions';

export const AttributeTypeEnum = builder.enumType('AttributeType', { values: ['STRING', 'NUMBER', 'BOOLEAN', 'DATE', 'ENUM'] as const });

builder.prismaNode('AttributeDefinition', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), workspaceId: ws(ctx).workspaceId }),
  nullable: true,
  fields: (t) => ({
    key: t.exposeString('key'),
    label: t.exposeString('label'),
    type: t.expose('type', { type: AttributeTypeEnum }),
    enumValues: t.stringList({ nullable: true, resolve: (d) => (d.enumValues as string[] | null) ?? null }),
    description: t.exposeString('description', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  attributeDefinitions: t.prismaField({
    type: ['AttributeDefinition'],
    resolve: (_query, _root, _args, ctx) => listAttributeDefinitions(ws(ctx)),
  }),
}));

builder.mutationFields((t) => ({
  defineAttribute: t.prismaField({
    type: 'AttributeDefinition',
    description: 'Defines a typed custom attribute (key in snake_case). Values written later are checked against it.',
    args: {
      key: t.arg.string({ required: true }),
      type: t.arg({ type: AttributeTypeEnum, required: true }),
      label: t.arg.string(),
      enumValues: t.arg.stringList(),
      description: t.arg.string(),
    },
    resolve: (_query, _root, args, ctx) =>
      defineAttribute(ws(ctx), { key: args.key, type: args.type, label: args.label ?? undefined, enumValues: args.enumValues, description: args.description }),
  }),
  updateAttribute: t.prismaField({
    type: 'AttributeDefinition',
    args: {
      id: t.arg.id({ required: true }),
      label: t.arg.string(),
      enumValues: t.arg.stringList(),
      description: t.arg.string(),
    },
    resolve: (_query, _root, args, ctx) =>
      updateAttribute(ws(ctx), numericId(String(args.id), 'AttributeDefinition', ['id']), {
        label: args.label ?? undefined,
        description: args.description,
        enumValues: args.enumValues ?? undefined,
      }),
  }),
}));
