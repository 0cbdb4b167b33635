import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestChannel, createWorkspaceWithUsers, messageOf, postMessages } from '../support/app.ts';
import type { TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('lang: rules on ingested posts', () => {
  it("matches the language the platform tagged the post with (kept by listeners in raw.lang)", async () => {
    const { workspace, users } = await createWorkspaceWithUsers(t.ctx, ['supervisor']);
    const created = await t.app.inject({
      method: 'POST', url: '/api/v1/rules', headers: bearer(users[0].token),
      payload: { name: 'Portuguese router complaints', tag: 'product', query: 'router lang:pt' },
    });
    expect(created.statusCode).toBe(201);
    const listening = await createTestChannel(t.ctx, workspace.id, 'bluesky', false);
    const pt = await postMessages(t.app, listening, messageOf({ externalId: 'pt-1', text: 'o router caiu de novo', raw: { lang: 'pt-br' } }));
    const en = await postMessages(t.app, listening, messageOf({ externalId: 'en-1', text: 'the router died again', raw: { lang: 'en' } }));
    const untagged = await postMessages(t.app, listening, messageOf({ externalId: 'un-1', text: 'router router' }));
    expect(pt.json().data.status).toBe('created');
    expect(en.json().data.status).toBe('ignored');
    expect(untagged.json().data.status).toBe('ignored');
  });
});
