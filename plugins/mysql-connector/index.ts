import { definePlugin } from '../sdk';
import { mysqlConnector } from './mysql-connector';

/** Built-in connector plugin: contacts from a MySQL/MariaDB table. Configure per workspace with createIntegration. */
export const mysqlConnectorPlugin = definePlugin({
  name: '@personae/plugin-mysql-connector',
  version: '1.0.0',
  compatibility: '^1.0.0',
  description: 'Syncs contacts from a table in a MySQL or MariaDB database.',
  connectors: [mysqlConnector],
});
