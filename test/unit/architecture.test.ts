import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

function sourceFiles(folder: string): string[] {
  const full = path.join(root, folder);
  try {
    statSync(full);
  } catch {
    return [];
  }
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(folder, f));
}

function imports(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);
}

function resolved(file: string, spec: string): string {
  return spec.startsWith('.') ? path.normalize(path.join(path.dirname(file), spec)) : spec;
}

/** The arrows of the architecture (STYLE.md): a wrong import fails here, naming the file. */
describe('import direction', () => {
  it('keeps logic above the ports free of AWS SDKs, Pulumi and adapters', () => {
    const logic = ['shared/find', 'shared/forget', 'shared/job', 'shared/report', 'shared/queue', 'shared/model', 'shared/ports', 'shared/privacy', 'shared/records'].flatMap(sourceFiles);
    assert.ok(logic.length > 20);
    for (const file of logic) {
      for (const spec of imports(file)) {
        const target = resolved(file, spec);
        assert.ok(!spec.startsWith('@aws-sdk/') && !spec.startsWith('@pulumi/'), `${file} imports ${spec}`);
        assert.ok(!target.startsWith('shared/adapters') && !target.startsWith('tasks') && !target.startsWith('infra'), `${file} imports ${spec}`);
      }
    }
  });

  it('lets infra/ import only shared/model, and keeps @pulumi out of tasks/ and shared/', () => {
    for (const file of sourceFiles('infra')) {
      for (const spec of imports(file)) {
        const target = resolved(file, spec);
        if (spec.startsWith('.')) assert.ok(target.startsWith('infra') || target.startsWith('shared/model') || target === 'shared/records/stateKeys', `${file} imports ${spec}`);
      }
    }
    for (const file of [...sourceFiles('tasks'), ...sourceFiles('shared')]) {
      for (const spec of imports(file)) assert.ok(!spec.startsWith('@pulumi/'), `${file} imports ${spec}`);
    }
  });
});
