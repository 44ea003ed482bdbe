#!/bin/sh
# Stands in for Prisma's native schema engine, which `prisma generate` insists on locating
# but does not need, and which cannot be downloaded offline. See scripts/prisma-generate.ts.
exit 0
