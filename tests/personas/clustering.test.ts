import type { RowDataPacket } from 'mysql2/promise';
import type { App } from '../../api/app';
import { kmeans } from '../../core/clustering/kmeans';
import { mulberry32 } from '../../core/random/seeded-random';
import { computeProfiles } from '../../core/profiles/compute-profiles';
import { createTestApp, createTestWorkspace, type TestWorkspace } from '../support/test-app';
import { errorCodes, gql, gqlOk } from '../support/graphql-client';
import { DiscoverPersonasDocument, PersonaDocument, SavePersonaFromClusterDocument } from '../generated/graphql';
import { contact, track } from './persona-fixtures';

describe('kmeans', () => {
  /** n points around each centre with uniform noise of ±spread. */
  function blobs(centres: number[][], n: number, spread: number, seed = 1) {
    const rand = mulberry32(seed);
    const d = centres[0].length;
    const x = new Float64Array(centres.length * n * d);
    const truth: number[] = [];
    centres.forEach((c, ci) => {
      for (let i = 0; i < n; i++) {
        const row = ci * n + i;
        truth.push(ci);
        for (let j = 0; j < d; j++) x[row * d + j] = c[j] + (rand() * 2 - 1) * spread;
      }
    });
    return { x, n: centres.length * n, d, truth };
  }

  test('recovers well-separated groups exactly and is reproducible with a seed', () => {
    const { x, n, d, truth } = blobs([[0, 0, 0], [10, 10, 0], [0, 10, 10], [10, 0, 10]], 50, 1);
    const r = kmeans(x, n, d, 4, { nInit: 5, seed: 3 });
    // Same partition as the truth, up to renaming clusters.
    const mapping = new Map<number, number>();
    truth.forEach((t, i) => mapping.set(t, r.labels[i]));
    expect(new Set(mapping.values()).size).toBe(4);
    truth.forEach((t, i) => expect(r.labels[i]).toBe(mapping.get(t)));
    expect(kmeans(x, n, d, 4, { nInit: 5, seed: 3 }).inertia).toBe(r.inertia);
  });

  test('inertia never grows with k, and more restarts never do worse than one', () => {
    const { x, n, d } = blobs([[0, 0], [4, 0], [0, 4], [4, 4], [2, 2]], 40, 1.5, 9);
    const inertias = [1, 2, 3, 4, 5, 6].map((k) => kmeans(x, n, d, k, { nInit: 10, seed: 0 }).inertia);
    for (let i = 1; i < inertias.length; i++) expect(inertias[i]).toBeLessThanOrEqual(inertias[i - 1] + 1e-9);
    expect(kmeans(x, n, d, 5, { nInit: 10, seed: 4 }).inertia).toBeLessThanOrEqual(kmeans(x, n, d, 5, { nInit: 1, seed: 4 }).inertia + 1e-9);
  });

  test('handles duplicate points (k-means++ must not pick the same point twice for separate clusters)', () => {
    const x = new Float64Array([0, 0, 0, 0, 0, 0, 5, 5, 5, 5]);
    const r = kmeans(x, 5, 2, 2, { nInit: 3 });
    expect(r.inertia).toBe(0);
    expect(new Set(r.labels).size).toBe(2);
  });
});

describe('discoverPersonas', () => {
  let app: App;
  let ws: TestWorkspace;
  const groups = { loyal: [] as number[], lapsed: [] as number[], newbie: [] as number[] };

  beforeAll(async () => {
    app = await createTestApp();
    ws = await createTestWorkspace(app);
    const day = (d: number) => new Date(Date.now() - d * 86_400_000);
    for (let i = 0; i < 12; i++) {
      const loyal = await contact(ws.ctx, `loyal${i}@example.com`);
      const lapsed = await contact(ws.ctx, `lapsed${i}@example.com`);
      const newbie = await contact(ws.ctx, `new${i}@example.com`);
      groups.loyal.push(loyal);
      groups.lapsed.push(lapsed);
      groups.newbie.push(newbie);
      await track(ws.ctx, [
        ...[2, 9, 15, 22, 30].map((d) => ({ contactId: loyal, type: 'purchase', value: 400 + i * 10, occurredAt: day(d + i % 3) })),
        { contactId: lapsed, type: 'purchase', value: 1500 + i * 20, occurredAt: day(250 + i) },
        { contactId: newbie, type: 'purchase', value: 15 + i, occurredAt: day(1 + (i % 4)) },
      ]);
    }
    await computeProfiles(ws.ctx);
  });
  afterAll(async () => {
    await app.close();
  });

  test('finds the three groups, labels them in plain language, reports k candidates, and a cluster saves as a persona with the same members', async () => {
    const { discoverPersonas: d } = await gqlOk(app, ws.key, DiscoverPersonasDocument, {
      k: 3, features: ['recency', 'frequency', 'monetary'], kRange: { from: 2, to: 5 }, restarts: 10,
    });
    expect(d.contacts).toBe(36);
    expect(d.clusters.map((c) => c.size).sort()).toEqual([12, 12, 12]);
    const byLabel = Object.fromEntries(d.clusters.map((c) => [c.label, c]));
    expect(Object.keys(byLabel).sort()).toEqual(['high value, loyal', 'lapsed big spenders', 'recent, low spend']);
    const loyal = byLabel['high value, loyal'].centroid as Record<string, number>;
    expect(loyal.frequency).toBeCloseTo(5, 5);
    expect(loyal.recency).toBeLessThan(10);
    expect(d.candidates.map((c) => c.k)).toEqual([2, 3, 4, 5]);
    const best = d.candidates.reduce((a, b) => ((b.silhouette ?? -1) > (a.silhouette ?? -1) ? b : a));
    expect(best.k).toBe(3);

    const cluster = byLabel['lapsed big spenders'].index;
    const { savePersonaFromCluster: p } = await gqlOk(app, ws.key, SavePersonaFromClusterDocument, { discoveryId: d.id, cluster, slug: 'lapsed-big-spenders' });
    expect(p).toMatchObject({ kind: 'CLUSTER', name: 'lapsed big spenders', memberCount: 12 });
    const { persona } = await gqlOk(app, ws.key, PersonaDocument, { id: p.id });
    expect(persona!.cluster).toMatchObject({ discoveryId: d.id, index: cluster, label: 'lapsed big spenders' });
    // The SQL nearest-centroid assignment reproduces the in-process clustering.
    const emails = persona!.members.edges.map((e) => e.node.email).sort();
    expect(emails).toEqual(groups.lapsed.map((_, i) => `lapsed${i}@example.com`).sort());
  });

  test('bad requests name the argument and store nothing', async () => {
    const count = async () => {
      const [[r]] = await app.core.db.sql.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM persona_discoveries WHERE workspace_id = ?', [ws.workspaceId]);
      return Number(r.n);
    };
    const before = await count();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ k: 1, features: ['recency'] }, ['k']],
      [{ k: 21, features: ['recency'] }, ['k']],
      [{ k: 3, features: [] }, ['features']],
      [{ k: 3, features: ['recency', 'shoeSize'] }, ['features.1']],
      [{ k: 3, features: ['recency'], kRange: { from: 5, to: 2 } }, ['kRange']],
      [{ k: 3, features: ['attribute:nothing'] }, ['features.0']],
      [{ k: 3, features: ['recency'], population: { profile: { field: 'nope', op: 'EQ', value: 1 } } }, ['population.profile.field']],
      [{ k: 40, features: ['recency'], kRange: { from: 2, to: 3 } }, ['k']],
    ];
    for (const [vars, paths] of cases) {
      const res = await gql(app, ws.key, DiscoverPersonasDocument, { restarts: 2, ...vars } as never);
      expect({ vars, codes: errorCodes(res) }).toEqual({ vars, codes: ['BAD_USER_INPUT'] });
      expect(res.errors![0].extensions!.issues!.map((i) => i.path.join('.'))).toEqual(paths);
    }
    // More clusters than profiled contacts.
    const tiny = await createTestWorkspace(app);
    await contact(tiny.ctx, 'only@example.com');
    await computeProfiles(tiny.ctx);
    const res = await gql(app, tiny.key, DiscoverPersonasDocument, { k: 2, features: ['monetary'], restarts: 1 });
    expect(res.errors![0].extensions!.issues).toEqual([{ path: ['k'], message: expect.stringMatching(/only 1 contacts/) }]);
    expect(await count()).toBe(before);
  });
});
