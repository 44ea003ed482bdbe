// Prisma CLI configuration. The schema is split by domain into prisma/*.prisma files;
// migrations are plain SQL applied by our offline runner (scripts/db-migrate.ts).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma',
  migrations: { path: 'prisma/migrations' },
});
