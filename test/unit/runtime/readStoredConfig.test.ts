import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DirectoryStateStore } from '../../../shared/adapters/local/DirectoryStateStore';
import { readStoredConfig } from '../../../shared/runtime/readStoredConfig';
import { parseStateKey } from '../../../shared/model/identifiers';

describe('readStoredConfig (the config pulumi up writes to the state bucket)', () => {
  it('refuses a config holding an HMAC key: auditors read that object; the key belongs in SSM', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'lethe-stored-config-'));
    try {
      const state = new DirectoryStateStore(root);
      const configKey = parseStateKey('config/lethe.json');
      const key = 'cd'.repeat(32);
      const etag = await state.create(configKey, JSON.stringify({ dataMappers: [], settings: { hmacKey: key } }));
      await assert.rejects(readStoredConfig(state, configKey), (error: Error) => {
        assert.equal(error.name, 'InputError');
        assert.match(error.message, /settings\.hmacKey is not used on AWS: the HMAC key is the SSM parameter LETHE_HMAC_KEY_PARAMETER names/);
        assert.doesNotMatch(error.message, new RegExp(key));
        return true;
      });
      await state.replace(configKey, JSON.stringify({ dataMappers: [], settings: { requireApproval: true } }), etag);
      assert.equal((await readStoredConfig(state, configKey)).settings.requireApproval, true);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
